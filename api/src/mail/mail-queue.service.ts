import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { MAIL_JOB_OPTIONS, MAIL_QUEUE, type MailJob, mailJobId } from './mail-queue.constants';

@Injectable()
export class MailQueue {
  constructor(@InjectQueue(MAIL_QUEUE) private readonly queue: Queue) {}

  async enqueue(job: MailJob): Promise<void> {
    await this.queue.add(job.name, job.data, {
      ...MAIL_JOB_OPTIONS,
      jobId: mailJobId(job.name, job.data.email),
    });
  }
}
