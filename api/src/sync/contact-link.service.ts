import { Injectable, Logger } from '@nestjs/common';
import { ContactsRepository } from '../repositories/contacts.repository';
import { CustomerLinksRepository } from '../repositories/customer-links.repository';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { primaryCompanyOf } from './mirror-row.mapper';
import { MirrorWriter } from './mirror-writer.service';
import { ReferenceResolver } from './reference-resolver.service';

export interface ContactLink {
  /** HubSpot contact id. */
  contactId: string;
  /** The contact's primary company (HubSpot id), null when it has none. */
  companyId: string | null;
}

/** Links a portal account to the HubSpot contact with the same email. */
@Injectable()
export class ContactLinkService {
  private readonly logger = new Logger(ContactLinkService.name);

  constructor(
    private readonly port: HubSpotPort,
    private readonly writer: MirrorWriter,
    private readonly references: ReferenceResolver,
    private readonly contacts: ContactsRepository,
    private readonly customerLinks: CustomerLinksRepository,
  ) {}

  /**
   * Asks HubSpot for the contact with this email (case-insensitive) and mirrors it with its primary
   * company. Returns null when HubSpot has no such contact (the first request creates one). When
   * HubSpot is unreachable or limiting, answers from the mirror instead (null if it has none).
   */
  async linkCustomerToContact(email: string): Promise<ContactLink | null> {
    const normalised = email.trim().toLowerCase();
    if (normalised === '') return null;
    try {
      const readStartedAt = new Date();
      const contact = await this.port.findContactByEmail(normalised);
      if (!contact) return null;
      await this.writer.upsertContacts([contact], readStartedAt);
      const companyId = primaryCompanyOf(contact);
      if (companyId !== null) await this.references.ensureCompanies([companyId]);
      return { contactId: contact.id, companyId };
    } catch (error) {
      if (!(error instanceof HubSpotError) || !error.retryable) throw error;
      this.logger.warn(`HubSpot unavailable while linking an account; using the mirror (${error.message})`);
      return this.fromMirror(normalised);
    }
  }

  /**
   * Stores the link on an account that has none yet; answers false when it already had one. The
   * company is taken from the mirrored contact at the moment of the write, not from the link's own
   * read: a webhook refresh that moved the contact to another company in between has already written
   * the mirror (and found no linked account to update), so copying the older read would keep the
   * account in the company it left.
   */
  async storeLink(customerId: string, link: ContactLink): Promise<boolean> {
    return this.customerLinks.link(customerId, link.contactId, link.companyId, new Date());
  }

  /** The mirrored contact with this email, if any (oldest id first when HubSpot has duplicates). */
  async fromMirror(email: string): Promise<ContactLink | null> {
    const row = await this.contacts.findByEmail(email.trim().toLowerCase());
    return row ? { contactId: row.id, companyId: row.primary_company_id } : null;
  }
}
