import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ContactLinkService } from '../sync/contact-link.service';
import { Customer } from './customer.entity';

export type ContactLinkOutcome = 'linked' | 'no-contact' | 'skipped';

/** The worker's side of account linking (the `contact-link` queue's one job). */
@Injectable()
export class CustomerContactLinkService {
  private readonly logger = new Logger(CustomerContactLinkService.name);

  constructor(
    private readonly links: ContactLinkService,
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
  ) {}

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
