import { toErrorResponse } from '../errors/error-response';
import { HubSpotError } from '../../hubspot/hubspot-error';
import { dependencyOutageOf, OutageLog, outageOf } from './outage-log';

function sink() {
  const lines: Array<{ level: 'error' | 'log'; message: unknown; stack?: string }> = [];
  return {
    lines,
    error: (message: unknown, stack?: string) => lines.push({ level: 'error', message, stack }),
    log: (message: unknown) => lines.push({ level: 'log', message }),
  };
}

const refused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED', fatal: true });

describe(OutageLog.name, () => {
  it('should log an outage once when it starts, with one stack, and once when it ends, with counts', () => {
    const logger = sink();
    let now = 1_000_000;
    const log = new OutageLog(logger, () => now, 0);
    for (let i = 0; i < 1234; i++) log.failed('MySQL', refused(), 'requests failed with 503');
    log.failed('MySQL', refused());
    now += 20_400;
    log.recovered('MySQL');
    log.recovered('MySQL');
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[0]).toMatchObject({
      level: 'error',
      message: { msg: expect.stringMatching(/^MySQL unreachable \(ECONNREFUSED\)/), dependency: 'MySQL' },
      stack: expect.stringContaining('ECONNREFUSED'),
    });
    expect(logger.lines[1]).toMatchObject({
      level: 'log',
      message: {
        msg: 'MySQL unreachable (ECONNREFUSED) — 1,234 requests failed with 503 during 20.4 s; reachable again',
        seconds: 20.4,
        failed: { 'requests failed with 503': 1234 },
      },
    });
    expect(log.isDown('MySQL')).toBe(false);
  });

  it('should keep outages of different dependencies apart', () => {
    const logger = sink();
    const log = new OutageLog(logger, () => 0, 0);
    log.failed('Redis', new Error('Connection is closed.'), 'requests failed with 503');
    log.failed(
      'HubSpot',
      new HubSpotError({
        kind: 'unavailable',
        operation: 'x',
        message: 'HubSpot x answered 503',
        status: 503,
      }),
    );
    log.recovered('Redis');
    expect(logger.lines.map((l) => (l.message as { msg: string }).msg)).toEqual([
      expect.stringMatching(/^Redis unreachable/),
      expect.stringMatching(/^HubSpot unreachable \(HTTP 503\)/),
      expect.stringMatching(
        /^Redis unreachable .* 1 requests failed with 503 during 0\.0 s; reachable again$/,
      ),
    ]);
    expect(log.isDown('HubSpot')).toBe(true);
  });

  it('should notice the end with its probe', async () => {
    const logger = sink();
    const log = new OutageLog(logger, Date.now, 5);
    let up = false;
    log.setProbe('Redis', () => (up ? Promise.resolve('PONG') : Promise.reject(new Error('down'))));
    log.failed('Redis', new Error('Connection is closed.'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(log.isDown('Redis')).toBe(true);
    up = true;
    const deadline = Date.now() + 2000;
    while (log.isDown('Redis') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(log.isDown('Redis')).toBe(false);
    expect(logger.lines).toHaveLength(2);
    log.stop();
  });
});

describe(outageOf.name, () => {
  it.each([
    ['a refused MySQL connection', refused(), 'MySQL'],
    [
      'TypeORM wrapping a lost connection',
      Object.assign(new Error('q'), {
        name: 'QueryFailedError',
        driverError: { code: 'PROTOCOL_CONNECTION_LOST' },
      }),
      'MySQL',
    ],
    [
      "mysql2's closed connection",
      new Error("Can't add new command when connection is in closed state"),
      'MySQL',
    ],
    ['a server shutting down', Object.assign(new Error('shutdown'), { code: 'ER_SERVER_SHUTDOWN' }), 'MySQL'],
    [
      'ioredis giving up',
      Object.assign(new Error('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
      'Redis',
    ],
    ['a closed Redis connection', new Error('Connection is closed.'), 'Redis'],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')"), null],
    ['a duplicate key', Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' }), null],
    ['HubSpot down', new HubSpotError({ kind: 'unavailable', operation: 'x', message: 'm' }), null],
  ])('should classify %s', (_name, error, expected) => {
    expect(outageOf(error)).toBe(expected);
  });

  it('should count HubSpot being unreachable as its outage for jobs, not its refusals', () => {
    expect(dependencyOutageOf(new HubSpotError({ kind: 'unavailable', operation: 'x', message: 'm' }))).toBe(
      'HubSpot',
    );
    expect(
      dependencyOutageOf(new HubSpotError({ kind: 'invalid', operation: 'x', message: 'm', status: 400 })),
    ).toBeNull();
  });

  it('should answer a database outage with 503, not 500', () => {
    const response = toErrorResponse(new Error("Can't add new command when connection is in closed state"));
    expect(response).toMatchObject({
      status: 503,
      outage: 'MySQL',
      body: { code: 'DEPENDENCY_UNAVAILABLE' },
    });
    expect(response.headers['retry-after']).toBe('30');
  });
});
