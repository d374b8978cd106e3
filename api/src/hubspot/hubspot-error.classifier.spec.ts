import { UnrecoverableError } from 'bullmq';
import { HubSpotError } from './hubspot-error';
import {
  classifyHubSpotError,
  hubSpotBackoffDelay,
  isRetryable,
  msUntilNextUtcMidnight,
  parseRetryAfter,
  toJobError,
} from './hubspot-error.classifier';
import errors from './__fixtures__/errors.json';

// The shape @hubspot/api-client throws for a non-2xx answer: ApiException {code, body, headers}.
class FakeApiException extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`HTTP-Code: ${code}`);
  }
}

function apiError(fixture: { status: number; headers: Record<string, string>; body: unknown }) {
  return new FakeApiException(fixture.status, fixture.body, fixture.headers);
}

const NOW = Date.parse('2026-11-23T22:00:00.000Z');

describe(classifyHubSpotError.name, () => {
  it('should wait for the 10-second window when the ten-secondly limit is hit', () => {
    const error = classifyHubSpotError(apiError(errors.tenSecondly429), 'batch read tickets', NOW);

    expect(error).toBeInstanceOf(HubSpotError);
    expect(error.kind).toBe('rate_limited');
    expect(error.policy).toBe('TEN_SECONDLY_ROLLING');
    expect(error.retryAfterMs).toBe(10_000);
    expect(error.retryable).toBe(true);
    expect(error.correlationId).toBe('c033cdaa-2c40-4a64-ae48-b4cec88dad24');
    expect(error.message).toContain('batch read tickets');
  });

  it('should wait one second when the search secondly limit is hit', () => {
    const error = classifyHubSpotError(apiError(errors.searchSecondly429), 'search tickets', NOW);

    expect(error.kind).toBe('rate_limited');
    expect(error.policy).toBe('SECONDLY');
    expect(error.retryAfterMs).toBe(1000);
  });

  it('should wait until after the next midnight when the daily limit is hit', () => {
    const error = classifyHubSpotError(apiError(errors.daily429), 'create ticket', NOW);

    expect(error.kind).toBe('rate_limited');
    expect(error.policy).toBe('DAILY');
    expect(error.retryAfterMs).toBe(2 * 3600_000 + 1000);
  });

  it('should honour a Retry-After header over the policy default', () => {
    const fixture = {
      ...errors.tenSecondly429,
      headers: { ...errors.tenSecondly429.headers, 'Retry-After': '3' },
    };

    expect(classifyHubSpotError(apiError(fixture), 'x', NOW).retryAfterMs).toBe(3000);
  });

  it('should call 5xx with an HTML body unavailable and retryable', () => {
    const error = classifyHubSpotError(apiError(errors.badGateway502), 'list tickets', NOW);

    expect(error.kind).toBe('unavailable');
    expect(error.status).toBe(502);
    expect(isRetryable(error)).toBe(true);
  });

  it('should use Retry-After of a 477 migration answer', () => {
    const error = classifyHubSpotError(apiError(errors.migration477), 'x', NOW);

    expect(error.kind).toBe('unavailable');
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('should call 404 not_found and keep the ids HubSpot named', () => {
    const error = classifyHubSpotError(apiError(errors.batchNotFound404), 'batch read tickets', NOW);

    expect(error.kind).toBe('not_found');
    expect(error.contextIds).toEqual(['999', '1000']);
    expect(error.retryable).toBe(false);
  });

  it('should call 409 conflict', () => {
    expect(classifyHubSpotError(apiError(errors.conflict409), 'create contact', NOW).kind).toBe('conflict');
  });

  it('should call other 4xx invalid with the reasons HubSpot gave', () => {
    const error = classifyHubSpotError(apiError(errors.validation400), 'create ticket', NOW);

    expect(error.kind).toBe('invalid');
    expect(error.category).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('discount was not a valid number');
    expect(isRetryable(error)).toBe(false);
    expect(classifyHubSpotError(apiError(errors.unauthorized401), 'x', NOW).kind).toBe('invalid');
  });

  it('should call network failures unavailable', () => {
    const refused = Object.assign(new Error('request to http://127.0.0.1:1/crm failed'), {
      name: 'FetchError',
      code: 'ECONNREFUSED',
      type: 'system',
    });
    const error = classifyHubSpotError(refused, 'read ticket', NOW);

    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.cause).toBe(refused);
  });

  it('should return a HubSpotError unchanged', () => {
    const original = classifyHubSpotError(apiError(errors.conflict409), 'x', NOW);

    expect(classifyHubSpotError(original, 'y')).toBe(original);
  });
});

describe(toJobError.name, () => {
  it('should turn permanent refusals into UnrecoverableError', () => {
    const job = toJobError(classifyHubSpotError(apiError(errors.validation400), 'create ticket', NOW));

    expect(job).toBeInstanceOf(UnrecoverableError);
    expect(job.message).toContain('VALIDATION_ERROR');
  });

  it('should keep retryable errors as they are', () => {
    const limited = classifyHubSpotError(apiError(errors.tenSecondly429), 'x', NOW);

    expect(toJobError(limited)).toBe(limited);
  });
});

describe(hubSpotBackoffDelay.name, () => {
  it('should use the wait HubSpot asked for', () => {
    const limited = classifyHubSpotError(apiError(errors.tenSecondly429), 'x', NOW);

    expect(hubSpotBackoffDelay(1, limited, () => 0.5)).toBe(10_000);
  });

  it('should back off exponentially up to five minutes otherwise', () => {
    const down = classifyHubSpotError(apiError(errors.badGateway502), 'x', NOW);

    expect(hubSpotBackoffDelay(1, down, () => 0.5)).toBe(1000);
    expect(hubSpotBackoffDelay(4, down, () => 0.5)).toBe(8000);
    expect(hubSpotBackoffDelay(30, down, () => 0.5)).toBe(300_000);
  });
});

describe(parseRetryAfter.name, () => {
  it('should read seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(new Date(NOW + 5000).toUTCString(), NOW)).toBe(5000);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
  });

  it('should count to the next UTC midnight', () => {
    expect(msUntilNextUtcMidnight(Date.parse('2026-11-23T23:59:59.000Z'))).toBe(2000);
  });
});
