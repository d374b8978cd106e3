import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AccountMailHandler } from '../auth/account-mail.handler';
import { MailJobName, QueueName, typedJob } from '../queues/queue.constants';

// Only dispatches. Errors are rethrown so BullMQ retries with backoff and keeps the failure visible.
@Processor(QueueName.Mail, { concurrency: 5 })
export class MailProcessor extends WorkerHost {
  constructor(private readonly accounts: AccountMailHandler) {
    super();
  }

  async process(job: Job): Promise<void> {
    const typed = typedJob(QueueName.Mail, job);
    switch (typed.name) {
      case MailJobName.Register:
        return this.accounts.register(typed.data);
      case MailJobName.ResendConfirmation:
        return this.accounts.resendConfirmation(typed.data);
      case MailJobName.ForgotPassword:
        return this.accounts.forgotPassword(typed.data);
      default:
        throw new Error(`Unknown mail job "${String(job.name)}"`);
    }
  }
}
