import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { Repository } from 'typeorm';
import { ContactLinkService } from '../sync/contact-link.service';
import { CONTACT_LINK_QUEUE, type ContactLinkJobData } from './contact-link.queue';
import { Customer } from './customer.entity';

export type ContactLinkOutcome = 'linked' | 'no-contact' | 'skipped';

// Worker side of account linking. Errors are rethrown so BullMQ retries with backoff.
@Processor(CONTACT_LINK_QUEUE, { concurrency: 2 })
export class ContactLinkProcessor extends WorkerHost {
  private readonly logger = new Logger(ContactLinkProcessor.name);

  constructor(
    private readonly links: ContactLinkService,
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
  ) {
    super();
  }

  async process(job: Job<ContactLinkJobData>): Promise<ContactLinkOutcome> {
    return this.link(job.data.customerId);
  }

  async link(customerId: string): Promise<ContactLinkOutcome> {
    const customer = await this.customers.findOneBy({ id: customerId });
    // Gone, not confirmed (the address is not proven yet) or already linked: nothing to do.
    if (!customer?.confirmedAt || customer.hubspotContactId) return 'skipped';
    const link = await this.links.linkCustomerToContact(customer.email);
    if (!link) {
      // HubSpot has no contact with this email yet; the customer's first ticket creates one.
      this.logger.log(`No HubSpot contact for customer ${customerId} yet`);
      return 'no-contact';
    }
    await this.links.storeLink(customerId, link);
    return 'linked';
  }
}
