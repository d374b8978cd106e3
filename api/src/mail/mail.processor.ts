import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AccountMailHandler } from '../auth/account-mail.handler';
import { type EmailJobData, MAIL_QUEUE, MailJobName, type RegisterJobData } from './mail-queue.constants';

// Only dispatches. Errors are rethrown so BullMQ retries with backoff and keeps the failure visible.
@Processor(MAIL_QUEUE, { concurrency: 5 })
export class MailProcessor extends WorkerHost {
  constructor(private readonly accounts: AccountMailHandler) {
    super();
  }

  async process(job: Job): Promise<void> {
    const name = job.name as MailJobName;
    switch (name) {
      case MailJobName.Register:
        return this.accounts.register(job.data as RegisterJobData);
      case MailJobName.ResendConfirmation:
        return this.accounts.resendConfirmation(job.data as EmailJobData);
      case MailJobName.ForgotPassword:
        return this.accounts.forgotPassword(job.data as EmailJobData);
      default:
        throw new Error(`Unknown mail job "${String(job.name)}"`);
    }
  }
}
