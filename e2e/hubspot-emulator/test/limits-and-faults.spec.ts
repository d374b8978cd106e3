import { Client } from '@hubspot/api-client';
import { startEmulator, type Emulator } from '../src';
import { DEFAULT_RATE_LIMITS, RateLimiter } from '../src/rate-limiter';
import { Recorder } from './helpers/recorder';

const searchBody = { filterGroups: [], limit: 1 } as never;

describe('Rate limits', () => {
  let em: Emulator;
  let rec: Recorder;

  beforeAll(async () => {
    em = await startEmulator({
      seed: { tickets: 5 },
      rateLimit: { max: 4, intervalMs: 60_000, searchPerSecond: 2 },
    });
    rec = await new Recorder(em.url).start();
  });
  beforeEach(() => em.resetRateLimits());
  afterAll(async () => {
    await rec.stop();
    await em.close();
  });

  it('should send X-HubSpot-RateLimit headers and a TEN_SECONDLY_ROLLING 429 past the window', async () => {
    const hs = new Client({ accessToken: em.accessToken, basePath: rec.url });
    for (let i = 0; i < 4; i++) {
      await hs.crm.tickets.basicApi.getPage(1);
      const h = rec.last().headers;
      expect(h['x-hubspot-ratelimit-max']).toBe('4');
      expect(h['x-hubspot-ratelimit-remaining']).toBe(String(3 - i));
      expect(h['x-hubspot-ratelimit-interval-milliseconds']).toBe('60000');
      expect(h['x-hubspot-ratelimit-daily']).toBeDefined();
    }
    const err = await hs.crm.tickets.basicApi.getPage(1).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 429,
      body: {
        status: 'error',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        message: 'You have reached your ten_secondly_rolling limit.',
      },
    });
    expect(rec.last().headers['x-hubspot-ratelimit-remaining']).toBe('0');
    expect(rec.last().headers['content-type']).toContain('application/json');
  });

  it('should limit search separately at N per second without rate-limit headers, and the SDK should retry it', async () => {
    const plain = new Client({ accessToken: em.accessToken, basePath: rec.url });
    await plain.crm.tickets.searchApi.doSearch(searchBody);
    expect(rec.last().headers['x-hubspot-ratelimit-max']).toBeUndefined();
    await plain.crm.tickets.searchApi.doSearch(searchBody);
    await expect(plain.crm.tickets.searchApi.doSearch(searchBody)).rejects.toMatchObject({
      code: 429,
      body: { message: 'You have reached your secondly limit.' },
    });
    // Search does not count against the ten-secondly window.
    await plain.crm.tickets.basicApi.getPage(1);
    expect(rec.last().status).toBe(200);

    em.resetRateLimits();
    const before = rec.exchanges.length;
    const retrying = new Client({
      accessToken: em.accessToken,
      basePath: rec.url,
      numberOfApiCallRetries: 3,
    });
    const started = Date.now();
    const results = await Promise.all(
      [1, 2, 3].map(() => retrying.crm.tickets.searchApi.doSearch(searchBody)),
    );
    expect(results).toHaveLength(3);
    const statuses = rec.exchanges.slice(before).map((e) => e.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('should be configurable through the admin endpoint', async () => {
    const res = await fetch(`${em.url}/_emulator/rate-limits`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ max: 190, intervalMs: 10_000 }),
    });
    expect(await res.json()).toMatchObject({ max: 190, intervalMs: 10_000 });
    const bad = await fetch(`${em.url}/_emulator/rate-limits`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ max: -1 }),
    });
    expect(bad.status).toBe(400);
  });
});

describe('RateLimiter window', () => {
  it('should keep counting requests older than a second within the ten-second window', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, max: 3, intervalMs: 10_000 }, () => now);
    const remaining = () => limiter.check(false);
    expect(remaining().headers['X-HubSpot-RateLimit-Remaining']).toBe('2');
    now += 1_500; // the secondly header looks back one second only; the window is ten
    expect(remaining().headers['X-HubSpot-RateLimit-Remaining']).toBe('1');
    now += 1_500;
    expect(remaining().headers['X-HubSpot-RateLimit-Remaining']).toBe('0');
    now += 1_500;
    expect(limiter.check(false)).toMatchObject({
      allowed: false,
      body: { policyName: 'TEN_SECONDLY_ROLLING' },
    });
    now += 10_000;
    expect(limiter.check(false).allowed).toBe(true);
  });
});

describe('Fault switches', () => {
  let em: Emulator;
  let rec: Recorder;
  const queue: number[] = [];

  beforeAll(async () => {
    em = await startEmulator({
      seed: { tickets: 5 },
      rateLimit: { disabled: true },
      random: () => queue.shift() ?? 0.99,
    });
    rec = await new Recorder(em.url).start();
  });
  afterEach(() => {
    em.clearFaults();
    queue.length = 0;
  });
  afterAll(async () => {
    await rec.stop();
    await em.close();
  });

  it('should add latency', async () => {
    const hs = new Client({ accessToken: em.accessToken, basePath: em.url });
    em.setFaults({ latencyMs: 300 });
    const started = Date.now();
    await hs.crm.tickets.basicApi.getPage(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('should answer 500/502/503 at the error rate, which the SDK retries', async () => {
    em.setFaults({ errorRate: 0.5, errorStatuses: [500, 502, 503] });
    // random() < 0.5 → error; the next random picks the status
    queue.push(0.1, 0.5, 0.9);
    const before = rec.exchanges.length;
    const hs = new Client({ accessToken: em.accessToken, basePath: rec.url, numberOfApiCallRetries: 3 });
    const page = await hs.crm.tickets.basicApi.getPage(1);
    expect(page.results).toHaveLength(1);
    expect(rec.exchanges.slice(before).map((e) => e.status)).toEqual([502, 200]);
    em.setFaults({ errorRate: 1, errorStatuses: [503] });
    const plain = new Client({ accessToken: em.accessToken, basePath: em.url });
    await expect(plain.crm.tickets.basicApi.getPage(1)).rejects.toMatchObject({
      code: 503,
      body: { status: 'error' },
    });
  });

  it('should be fully down during an outage and recover after it', async () => {
    const hs = new Client({ accessToken: em.accessToken, basePath: em.url });
    em.setFaults({ outageSeconds: 0.4 });
    await expect(hs.crm.tickets.basicApi.getPage(1)).rejects.toMatchObject({ code: 503 });
    await expect(hs.crm.pipelines.pipelinesApi.getAll('tickets')).rejects.toMatchObject({ code: 503 });
    await new Promise((r) => setTimeout(r, 450));
    await expect(hs.crm.tickets.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('should delay search visibility by the index lag while reads see writes at once', async () => {
    const hs = new Client({ accessToken: em.accessToken, basePath: em.url });
    em.setFaults({ searchLagMs: 400 });
    const t = await hs.crm.tickets.basicApi.create({
      properties: { subject: 'lagging zebra' },
      associations: [],
    });
    const find = () =>
      hs.crm.tickets.searchApi.doSearch({
        filterGroups: [
          { filters: [{ propertyName: 'subject', operator: 'CONTAINS_TOKEN', value: 'zebra' }] },
        ],
      } as never);
    expect((await find()).total).toBe(0);
    expect((await hs.crm.tickets.basicApi.getById(t.id, ['subject'])).properties.subject).toBe(
      'lagging zebra',
    );
    await new Promise((r) => setTimeout(r, 420));
    expect((await find()).total).toBe(1);
    await hs.crm.tickets.basicApi.update(t.id, { properties: { subject: 'lagging giraffe' } });
    expect((await find()).total).toBe(1);
    await new Promise((r) => setTimeout(r, 420));
    expect((await find()).total).toBe(0);
  });

  it('should set faults through the admin endpoint with the token, and reject bad switches', async () => {
    const put = (body: unknown, token = em.accessToken) =>
      fetch(`${em.url}/_emulator/faults`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await put({ latencyMs: 10, errorRate: 0 });
    expect(await ok.json()).toMatchObject({ latencyMs: 10, errorRate: 0 });
    expect(em.faults.latencyMs).toBe(10);
    expect((await put({ errorRate: 2 })).status).toBe(400);
    expect((await put({ volcano: true })).status).toBe(400);
    expect((await put({ errorStatuses: [404] })).status).toBe(400);
    expect((await put({ latencyMs: 1 }, 'nope')).status).toBe(401);
    const cleared = await fetch(`${em.url}/_emulator/faults`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${em.accessToken}` },
    });
    expect(await cleared.json()).toMatchObject({
      latencyMs: 0,
      errorRate: 0,
      outageUntil: 0,
      searchLagMs: 0,
    });
  });
});
