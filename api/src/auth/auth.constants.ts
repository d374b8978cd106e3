import type { ThrottleRule } from './throttle.service';

export const CONFIRM_TOKEN_TTL_MS = 48 * 60 * 60 * 1000;
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

// Cached bearer validations; short so a revocation missed by the cache cannot live long.
export const SESSION_CACHE_SECONDS = 60;

// Sign-in failures lock the client address out of that one account, not the account: anyone can type
// somebody's email, so a lock on the email alone would let anyone lock the owner out.
export const LOGIN_LOCK = { lockAfter: 10, lockSeconds: 15 * 60, memorySeconds: 24 * 60 * 60 } as const;

// Across every address: a guesser spread over many addresses is stopped here. One address can fail at
// most 40 times an hour (LOGIN_LOCK), so a single attacker cannot reach it. While it holds, only
// addresses that signed in to the account lately may try; a password reset or such a sign-in lifts it.
export const ACCOUNT_GUARD = {
  rule: { name: 'login-account-fail', limit: 100, windowSeconds: 60 * 60 },
  lockSeconds: 60 * 60,
  knownAddressSeconds: 30 * 24 * 60 * 60,
} as const;

// An office behind one NAT shares an IP, so per-IP limits are looser than per-account ones.
export const THROTTLE_RULES = {
  loginPerIp: { name: 'login-ip', limit: 50, windowSeconds: 15 * 60 },
  loginPerPair: { name: 'login-pair', limit: 20, windowSeconds: 15 * 60 },
  registerAttemptsPerIp: { name: 'register-attempt-ip', limit: 60, windowSeconds: 15 * 60 },
  registerPerIp: { name: 'register-ip', limit: 20, windowSeconds: 60 * 60 },
  registerPerEmail: { name: 'register-email', limit: 5, windowSeconds: 60 * 60 },
  forgotPerIp: { name: 'forgot-ip', limit: 20, windowSeconds: 60 * 60 },
  forgotPerEmail: { name: 'forgot-email', limit: 5, windowSeconds: 60 * 60 },
  resendPerIp: { name: 'resend-ip', limit: 20, windowSeconds: 60 * 60 },
  resendPerEmail: { name: 'resend-email', limit: 5, windowSeconds: 60 * 60 },
  tokenPerIp: { name: 'token-ip', limit: 60, windowSeconds: 15 * 60 },
  // Every page view without a session may send one; an office arriving at 9 shares one address.
  siteTokenPerIp: { name: 'site-token-ip', limit: 120, windowSeconds: 15 * 60 },
} satisfies Record<string, ThrottleRule>;
