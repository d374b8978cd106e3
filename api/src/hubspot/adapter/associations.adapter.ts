import { HubSpotLimits, AssociationTypeId } from '../hubspot.constants';
import { associationMap, type AssociationLinks } from '../hubspot-association.mapper';
import { chunk, cleanIds, uniqueIds } from '../hubspot-value.util';
import { type HubSpotCalls, isKind } from './hubspot-calls';

/**
 * HubSpot's v4 associations: who is linked to what. Reads serve the other areas (a ticket's contacts
 * and companies, a contact's companies, a ticket's emails and tasks); writes put people in copy.
 */
export class HubSpotAssociations {
  constructor(private readonly calls: HubSpotCalls) {}

  async associateContacts(ticketId: string, contactIds: readonly string[]): Promise<void> {
    for (const contactId of cleanIds(contactIds)) {
      await this.calls.call('associate contact with ticket', 'general', () =>
        this.calls.client.crm.associations.v4.basicApi.createDefault(
          'tickets',
          ticketId,
          'contacts',
          contactId,
        ),
      );
    }
  }

  async dissociateContact(ticketId: string, contactId: string): Promise<void> {
    await this.calls.call('dissociate contact from ticket', 'general', () =>
      this.calls.client.crm.associations.v4.basicApi.archive('tickets', ticketId, 'contacts', contactId),
    );
  }

  /** Each ticket's contacts and companies (the primary company first), keyed by ticket id. */
  async ticketLinks(
    ids: readonly string[],
  ): Promise<Map<string, { contactIds: string[]; companyIds: string[] }>> {
    const result = new Map<string, { contactIds: string[]; companyIds: string[] }>();
    if (ids.length === 0) return result;
    const [contacts, companies] = await Promise.all([
      this.links('tickets', 'contacts', ids, []),
      this.links('tickets', 'companies', ids, [AssociationTypeId.ticketToPrimaryCompany]),
    ]);
    for (const id of ids.map(String)) {
      result.set(id, { contactIds: contacts.get(id)?.ids ?? [], companyIds: companies.get(id)?.ids ?? [] });
    }
    return result;
  }

  /** v4 association batch read (batch read of objects cannot return associations). */
  async links(
    from: string,
    to: string,
    ids: readonly string[],
    primaryTypeIds: number[],
  ): Promise<Map<string, AssociationLinks>> {
    const merged = new Map<string, AssociationLinks>();
    for (const part of chunk(uniqueIds(ids), HubSpotLimits.associationBatchInputs)) {
      let answer;
      try {
        answer = await this.calls.call(`batch read ${from}→${to} associations`, 'general', () =>
          this.calls.client.crm.associations.v4.batchApi.getPage(from, to, {
            inputs: part.map((id) => ({ id })),
          }),
        );
      } catch (error) {
        // No record of the batch has any association: some portals answer 404 instead of 207.
        if (isKind(error, 'not_found')) continue;
        throw error;
      }
      for (const [id, link] of associationMap(answer.results ?? [], primaryTypeIds)) merged.set(id, link);
    }
    return merged;
  }

  // Walks one record's v4 association list page by page. `startAfter` continues a list that a batch read
  // began; past `max` ids it stops early and reports the list as incomplete.
  async associatedIds(
    operation: string,
    fromType: string,
    fromId: string,
    toType: string,
    options: { startAfter?: string; max?: number } = {},
  ): Promise<{ ids: string[]; complete: boolean }> {
    const ids: string[] = [];
    let after = options.startAfter;
    do {
      const page = await this.calls.call(operation, 'general', () =>
        this.calls.client.crm.associations.v4.basicApi.getPage(
          fromType,
          fromId,
          toType,
          after,
          HubSpotLimits.associationPage,
        ),
      );
      ids.push(...(page.results ?? []).map((r) => String(r.toObjectId)));
      after = page.paging?.next?.after || undefined;
      if (options.max !== undefined && ids.length > options.max) return { ids, complete: false };
    } while (after !== undefined);
    return { ids, complete: true };
  }
}
