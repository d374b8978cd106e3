import {
  AssociationTypeId,
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  HubSpotLimits,
} from '../hubspot.constants';
import { type HsCompany, type HsContact, type HsCreateContactInput } from '../hubspot.types';
import { toCompany, toContact } from '../hubspot-contact.mapper';
import { HubSpotError } from '../hubspot-error';
import { recordErrors } from '../hubspot-error.classifier';
import { chunk, cleanIds, uniqueIds } from '../hubspot-value.util';
import { type WireObject } from '../hubspot-wire.types';
import { type HubSpotAssociations } from './associations.adapter';
import { type HubSpotCalls, isKind } from './hubspot-calls';

const COMPANY_PROPS = [...COMPANY_PROPERTIES];

/**
 * Contacts (by id, by email, created one at a time or in batches) with their companies, and
 * companies by id.
 */
export class HubSpotContacts {
  /** The contact properties every contact read asks for. */
  private readonly contactProps: string[];

  constructor(
    private readonly calls: HubSpotCalls,
    private readonly associations: HubSpotAssociations,
    /** PORTAL_COMPANY_SCOPE_PROPERTY: read with every contact (`HsContact.companyScope`). */
    private readonly companyScopeProperty: string | undefined,
  ) {
    this.contactProps = companyScopeProperty
      ? [...CONTACT_PROPERTIES, companyScopeProperty]
      : [...CONTACT_PROPERTIES];
  }

  async getContactsByIds(ids: readonly string[]): Promise<HsContact[]> {
    const contacts: HsContact[] = [];
    for (const part of chunk(cleanIds(ids), HubSpotLimits.batchInputs)) {
      const answer = await this.calls.call('batch read contacts', 'general', () =>
        this.calls.client.crm.contacts.batchApi.read(
          { inputs: part.map((id) => ({ id })), properties: this.contactProps, propertiesWithHistory: [] },
          false,
        ),
      );
      contacts.push(...(await this.withCompanies(answer.results ?? [])));
    }
    return contacts;
  }

  async getContactCompanies(ids: readonly string[]): Promise<Map<string, string | null>> {
    const asked = cleanIds(ids);
    const links = await this.associations.links('contacts', 'companies', asked, [
      AssociationTypeId.contactToPrimaryCompany,
    ]);
    return new Map(
      asked.map((id) => {
        const link = links.get(id);
        return [id, link?.primaryId ?? link?.ids[0] ?? null];
      }),
    );
  }

  async findContactByEmail(email: string): Promise<HsContact | null> {
    const normalized = email.trim().toLowerCase();
    if (normalized === '') return null;
    let raw: WireObject;
    try {
      raw = await this.calls.call('read contact by email', 'general', () =>
        this.calls.client.crm.contacts.basicApi.getById(
          normalized,
          this.contactProps,
          undefined,
          undefined,
          false,
          'email',
        ),
      );
    } catch (error) {
      if (isKind(error, 'not_found')) return null;
      throw error;
    }
    const [contact] = await this.withCompanies([raw]);
    return contact!;
  }

  async createContact(input: HsCreateContactInput): Promise<HsContact> {
    const properties = newContactProperties(input.email.trim().toLowerCase(), input);
    try {
      const raw = await this.calls.call('create contact', 'general', () =>
        this.calls.client.crm.contacts.basicApi.create({ properties, associations: [] }),
      );
      return toContact(raw, [], null, this.companyScopeProperty);
    } catch (error) {
      // 409 "Contact already exists": the email is HubSpot's dedupe key, so return that contact.
      if (isKind(error, 'conflict')) {
        const existing = await this.findContactByEmail(input.email);
        if (existing) return existing;
      }
      throw error;
    }
  }

  async findContactsByEmails(emails: readonly string[]): Promise<Map<string, HsContact>> {
    const found = new Map<string, HsContact>();
    const asked = uniqueIds(emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ''));
    for (const part of chunk(asked, HubSpotLimits.batchInputs)) {
      let objects: WireObject[];
      try {
        const answer = await this.calls.call('batch read contacts by email', 'general', () =>
          this.calls.client.crm.contacts.batchApi.read(
            {
              idProperty: 'email',
              inputs: part.map((id) => ({ id })),
              properties: this.contactProps,
              propertiesWithHistory: [],
            },
            false,
          ),
        );
        // A 207 lists the emails HubSpot has no contact for: absent here.
        objects = answer.results ?? [];
      } catch (error) {
        // Some portals answer a whole-request 404 when none of the emails is a contact's.
        if (isKind(error, 'not_found')) continue;
        throw error;
      }
      for (const contact of await this.withCompanies(objects)) {
        if (contact.email) found.set(contact.email.toLowerCase(), contact);
      }
    }
    return found;
  }

  async createContacts(
    inputs: readonly HsCreateContactInput[],
  ): Promise<Map<string, HsContact | HubSpotError>> {
    const answers = new Map<string, HsContact | HubSpotError>();
    const byEmail = new Map(inputs.map((i) => [i.email.trim().toLowerCase(), i]));
    for (const part of chunk([...byEmail.keys()], HubSpotLimits.batchInputs)) {
      const answer = await this.calls.call('batch create contacts', 'general', () =>
        this.calls.client.crm.contacts.batchApi.create({
          inputs: part.map((email) => {
            const properties = newContactProperties(email, byEmail.get(email)!);
            return { properties, associations: [], objectWriteTraceId: email };
          }),
        }),
      );
      for (const raw of answer.results ?? []) {
        const contact = toContact(raw, [], null, this.companyScopeProperty);
        if (contact.email) answers.set(contact.email.toLowerCase(), contact);
      }
      const missing = part.filter((email) => !answers.has(email));
      if (missing.length === 0) continue;
      // A duplicate email (a contact made meanwhile, or by an earlier attempt) is that contact.
      const existing = await this.findContactsByEmails(missing);
      const refusals = recordErrors('errors' in answer ? (answer.errors ?? []) : [], 'batch create contacts');
      for (const email of missing) {
        answers.set(
          email,
          existing.get(email) ??
            refusals.get(email) ??
            new HubSpotError({
              kind: 'unavailable',
              operation: 'batch create contacts',
              message: 'HubSpot answered the batch without this contact and without naming an error',
            }),
        );
      }
    }
    return answers;
  }

  async getCompaniesByIds(ids: readonly string[]): Promise<HsCompany[]> {
    const companies: HsCompany[] = [];
    for (const part of chunk(cleanIds(ids), HubSpotLimits.batchInputs)) {
      const answer = await this.calls.call('batch read companies', 'general', () =>
        this.calls.client.crm.companies.batchApi.read(
          { inputs: part.map((id) => ({ id })), properties: COMPANY_PROPS, propertiesWithHistory: [] },
          false,
        ),
      );
      companies.push(...(answer.results ?? []).map(toCompany));
    }
    return companies;
  }

  /** Contacts as read, with their companies (one association batch read per 1,000 contacts). */
  private async withCompanies(objects: readonly WireObject[]): Promise<HsContact[]> {
    const companies = await this.associations.links(
      'contacts',
      'companies',
      objects.map((o) => o.id),
      [AssociationTypeId.contactToPrimaryCompany],
    );
    return objects.map((o) => {
      const link = companies.get(String(o.id));
      return toContact(o, link?.ids ?? [], link?.primaryId ?? null, this.companyScopeProperty);
    });
  }
}

function newContactProperties(email: string, input: HsCreateContactInput): Record<string, string> {
  const properties: Record<string, string> = { email };
  if (input.firstName) properties.firstname = input.firstName;
  if (input.lastName) properties.lastname = input.lastName;
  return properties;
}
