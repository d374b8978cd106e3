import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { logRedisErrors } from '../common/redis/redis-errors';

// Linking an account to its HubSpot contact happens in the worker, so no HTTP answer waits on HubSpot.
export const CONTACT_LINK_QUEUE = 'contact-link';
export const CONTACT_LINK_JOB = 'link-contact';

export interface ContactLinkJobData {
  customerId: string;
}

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

  constructor(@InjectQueue(CONTACT_LINK_QUEUE) private readonly queue: Queue) {
    logRedisErrors(queue, `queue ${CONTACT_LINK_QUEUE}`);
  }

  async enqueue(customerId: string): Promise<void> {
    await this.queue.add(CONTACT_LINK_JOB, { customerId } satisfies ContactLinkJobData, {
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
