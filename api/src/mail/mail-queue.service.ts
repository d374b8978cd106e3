import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { logRedisErrors } from '../common/redis/redis-errors';
import { MAIL_JOB_OPTIONS, MAIL_QUEUE, type MailJob, mailJobId } from './mail-queue.constants';

@Injectable()
export class MailQueue {
  constructor(@InjectQueue(MAIL_QUEUE) private readonly queue: Queue) {
    logRedisErrors(queue, `queue ${MAIL_QUEUE}`);
  }

  async enqueue(job: MailJob): Promise<void> {
    await this.queue.add(job.name, job.data, {
      ...MAIL_JOB_OPTIONS,
      jobId: mailJobId(job),
    });
  }
}
