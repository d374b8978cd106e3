import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { logRedisErrors } from '../common/redis/redis-errors';
import { type ContactLinkJobData, ContactLinkJobName, QueueName } from '../queues/queue.constants';

// Linking an account to its HubSpot contact happens in the worker, so no HTTP answer waits on HubSpot.

// One job per customer at a time: a second request while one waits or runs collapses into it.
export function contactLinkJobId(customerId: string): string {
  return `link-contact-${customerId}`;
}

export const CONTACT_LINK_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: true,
  // Removed after the last attempt so a later sign-in can queue it again.
  removeOnFail: true,
} as const;

@Injectable()
export class ContactLinkQueue {
  private readonly logger = new Logger(ContactLinkQueue.name);

  constructor(@InjectQueue(QueueName.ContactLink) private readonly queue: Queue) {
    logRedisErrors(queue, `queue ${QueueName.ContactLink}`);
  }

  async enqueue(customerId: string): Promise<void> {
    await this.queue.add(ContactLinkJobName.Link, { customerId } satisfies ContactLinkJobData, {
      ...CONTACT_LINK_JOB_OPTIONS,
      jobId: contactLinkJobId(customerId),
    });
  }

  /** For request paths: linking is best effort there, a Redis hiccup must not fail the request. */
  async enqueueQuietly(customerId: string): Promise<void> {
    try {
      await this.enqueue(customerId);
    } catch (error) {
      this.logger.warn(
        `Could not queue the HubSpot contact link (${error instanceof Error ? error.message : String(error)}); it is retried at the next sign-in.`,
      );
    }
  }
}
