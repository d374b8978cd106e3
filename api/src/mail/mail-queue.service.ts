import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { logRedisErrors } from '../common/redis/redis-errors';
import { type MailJob, QueueName } from '../queues/queue.constants';
import { MAIL_JOB_OPTIONS, mailJobId } from './mail-queue.constants';

@Injectable()
export class MailQueue {
  constructor(@InjectQueue(QueueName.Mail) private readonly queue: Queue) {
    logRedisErrors(queue, `queue ${QueueName.Mail}`);
  }

  async enqueue(job: MailJob): Promise<void> {
    await this.queue.add(job.name, job.data, {
      ...MAIL_JOB_OPTIONS,
      jobId: mailJobId(job),
    });
  }
}
