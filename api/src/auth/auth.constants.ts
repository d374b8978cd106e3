import type { ThrottleRule } from './throttle.service';

export const CONFIRM_TOKEN_TTL_MS = 48 * 60 * 60 * 1000;
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

// Cached bearer validations; short so a revocation missed by the cache cannot live long.
export const SESSION_CACHE_SECONDS = 60;

export const LOGIN_LOCK = { lockAfter: 10, lockSeconds: 15 * 60, memorySeconds: 24 * 60 * 60 } as const;

// An office behind one NAT shares an IP, so per-IP limits are looser than per-email ones.
export const THROTTLE_RULES = {
  loginPerIp: { name: 'login-ip', limit: 50, windowSeconds: 15 * 60 },
  loginPerEmail: { name: 'login-email', limit: 20, windowSeconds: 15 * 60 },
  registerPerIp: { name: 'register-ip', limit: 20, windowSeconds: 60 * 60 },
  registerPerEmail: { name: 'register-email', limit: 5, windowSeconds: 60 * 60 },
  forgotPerIp: { name: 'forgot-ip', limit: 20, windowSeconds: 60 * 60 },
  forgotPerEmail: { name: 'forgot-email', limit: 5, windowSeconds: 60 * 60 },
  resendPerIp: { name: 'resend-ip', limit: 20, windowSeconds: 60 * 60 },
  resendPerEmail: { name: 'resend-email', limit: 5, windowSeconds: 60 * 60 },
  tokenPerIp: { name: 'token-ip', limit: 60, windowSeconds: 15 * 60 },
} satisfies Record<string, ThrottleRule>;
