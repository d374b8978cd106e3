import { sha256Hex } from '../common/crypto.util';
import { type MailJob, MailJobName } from '../queues/queue.constants';

// The mail queue's ids and options; its name, jobs and data live in api/src/queues.

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
