import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ContactLinkJobName, QueueName, typedJob } from '../queues/queue.constants';
import { type ContactLinkOutcome, CustomerContactLinkService } from './customer-contact-link.service';

// Only dispatches. Errors are rethrown so BullMQ retries with backoff.
@Processor(QueueName.ContactLink, { concurrency: 2 })
export class ContactLinkProcessor extends WorkerHost {
  constructor(private readonly linker: CustomerContactLinkService) {
    super();
  }

  async process(job: Job): Promise<ContactLinkOutcome> {
    const typed = typedJob(QueueName.ContactLink, job);
    switch (typed.name) {
      case ContactLinkJobName.Link:
        return this.linker.link(typed.data.customerId);
      default:
        throw new Error(`Unknown contact-link job "${String(job.name)}"`);
    }
  }
}
