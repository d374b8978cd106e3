// @open-wc/testing, with one change: `waitUntil` waits up to 5 s by default instead of 1 s. Conditions
// that hold in a few milliseconds on an idle machine took over a second when CI shared two cores
// with other work, and a test must wait on its condition, not on the machine. Import from here;
// an ESLint rule keeps `waitUntil` from being imported from @open-wc/testing directly.
import { waitUntil as waitUntilOpenWc } from '@open-wc/testing';

export * from '@open-wc/testing';

export const WAIT_UNTIL_TIMEOUT_MS = 5000;

export function waitUntil(
  predicate: () => unknown,
  message?: string,
  options: { interval?: number; timeout?: number } = {},
): Promise<void> {
  return waitUntilOpenWc(predicate, message, { timeout: WAIT_UNTIL_TIMEOUT_MS, ...options });
}
