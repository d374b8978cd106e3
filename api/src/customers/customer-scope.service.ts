import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ContactLinkQueue } from './contact-link.queue';
import { Customer } from './customer.entity';

export interface CustomerScope {
  /** HubSpot contact id of the account. */
  contactId: string;
  /** The contact's primary company (HubSpot id), null when it has none. */
  companyId: string | null;
  /**
   * The contact's PORTAL_COMPANY_SCOPE_PROPERTY is true (mirrored by sync): with that setting, only
   * such contacts see their company's tickets (TicketVisibility.scopeOf).
   */
  companyScope: boolean;
}

/** Which HubSpot records a signed-in customer may see (GET /tickets scope). */
@Injectable()
export class CustomerScopeService {
  constructor(
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
    private readonly linkQueue: ContactLinkQueue,
  ) {}

  /**
   * The account's linked contact and company, read from its row. null when it is not linked yet: a
   * confirmed account then gets a link job queued (the answer never waits on HubSpot).
   */
  async scopeFor(customerId: string): Promise<CustomerScope | null> {
    const row = await this.customers.findOne({
      where: { id: customerId },
      select: {
        id: true,
        confirmedAt: true,
        hubspotContactId: true,
        hubspotCompanyId: true,
        companyScope: true,
      },
    });
    if (!row) return null;
    if (row.hubspotContactId) {
      return {
        contactId: row.hubspotContactId,
        companyId: row.hubspotCompanyId,
        companyScope: Boolean(row.companyScope),
      };
    }
    if (row.confirmedAt) await this.linkQueue.enqueueQuietly(row.id);
    return null;
  }
}
