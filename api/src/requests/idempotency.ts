import { createHash } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';

const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{1,100}$/;

/** The Idempotency-Key header, checked: 1..100 of A-Z a-z 0-9 _ - : . (absent → undefined). */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!KEY_PATTERN.test(value)) {
    const text = 'Idempotency-Key must be 1 to 100 letters, digits, "_", "-", ":" or "." (a UUID works).';
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Idempotency-Key: ${text}`, {
      fields: { 'Idempotency-Key': text },
    });
  }
  return value;
}

/** What the key stands for: the route and the normalised body. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(JSON.stringify(body)).digest('hex');
}

export function keyReused(): AppError {
  return new AppError(
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    'This Idempotency-Key was already used for a different request. Send a new key for a new request.',
  );
}

export function isDuplicateKey(error: unknown): boolean {
  const e = error as { errno?: unknown; driverError?: { errno?: unknown } } | null;
  return Number(e?.errno) === 1062 || Number(e?.driverError?.errno) === 1062;
}
