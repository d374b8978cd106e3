import { createHash, randomBytes } from 'node:crypto';

// 256 bits of randomness, URL-safe, 43 characters.
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}
