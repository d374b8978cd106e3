import type { Logger } from '@nestjs/common';
import { Worker } from 'bullmq';
import { HubSpotError } from '../hubspot/hubspot-error';

/** The shortest and the default pause after a HubSpot 429 (when HubSpot named no wait). */
export const MIN_PAUSE_MS = 1000;
export const DEFAULT_PAUSE_MS = 10_000;

/**
 * The one answer to a HubSpot rate limit inside a job: pause the whole queue — in every worker
 * process, through BullMQ's shared rate-limit key — for HubSpot's window, and put the job back without
 * spending an attempt (BullMQ's RateLimitError). Returns normally for any other error, so the caller
 * goes on with its own policy.
 */
export async function pauseOnHubSpotRateLimit(worker: Worker, error: unknown, logger: Logger): Promise<void> {
  if (!(error instanceof HubSpotError) || error.kind !== 'rate_limited') return;
  const waitMs = Math.max(MIN_PAUSE_MS, error.retryAfterMs ?? DEFAULT_PAUSE_MS);
  logger.warn(`HubSpot rate limit (${error.policy ?? 'unknown'}): pausing ${worker.name} for ${waitMs} ms`);
  await worker.rateLimit(waitMs);
  throw Worker.RateLimitError();
}
