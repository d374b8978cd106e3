import { sha256Hex } from '../common/crypto.util';

export const QUEUE_PREFIX = 'tp';
export const MAIL_QUEUE = 'mail';

// Account mails are decided in the worker (does the account exist? is it confirmed?), so the HTTP
// answer is the same, and costs the same, whether or not the email has an account.
export enum MailJobName {
  Register = 'register',
  ResendConfirmation = 'resend-confirmation',
  ForgotPassword = 'forgot-password',
}

export interface RegisterJobData {
  email: string;
  // argon2id hash computed by the HTTP process; the plain password never reaches Redis
  passwordHash: string;
}

export interface EmailJobData {
  email: string;
}

export type MailJob =
  | { name: MailJobName.Register; data: RegisterJobData }
  | { name: MailJobName.ResendConfirmation; data: EmailJobData }
  | { name: MailJobName.ForgotPassword; data: EmailJobData };

// Deterministic ids collapse repeated clicks within the same minute into one mail (no ':' allowed).
// Registrations are never collapsed: each carries its own password, and dropping one would mail its
// registrant a link that sets somebody else's password.
export function mailJobId(job: MailJob, now = Date.now()): string {
  const base = `${job.name}-${sha256Hex(job.data.email).slice(0, 32)}-${Math.floor(now / 60000)}`;
  return job.name === MailJobName.Register
    ? `${base}-${sha256Hex(job.data.passwordHash).slice(0, 16)}`
    : base;
}

export const MAIL_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 60 * 60, count: 1000 },
} as const;
