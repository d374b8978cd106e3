import { HubSpotLimits, AssociationTypeId } from '../hubspot.constants';
import { type HsTicketContactPair, type HsTicketContactRefusal } from '../hubspot.types';
import { associationMap, type AssociationLinks } from '../hubspot-association.mapper';
import { HubSpotError } from '../hubspot-error';
import { chunk, cleanIds, uniqueIds } from '../hubspot-value.util';
import { type HubSpotCalls, isKind } from './hubspot-calls';

/** What a batch write of associations answered: a 200's per-record `errors` (the spec allows them). */
interface PairsAnswer {
  errors?: ReadonlyArray<{ status?: string; category?: string; message?: string }>;
}

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

  /**
   * Ticket→contact default associations for many pairs: one v4 batch associate-default per 1,000.
   * Idempotent (an association that exists stays). Answers the pairs HubSpot refused.
   */
  async associateContactsMany(pairs: readonly HsTicketContactPair[]): Promise<HsTicketContactRefusal[]> {
    const refused: HsTicketContactRefusal[] = [];
    for (const part of chunk(uniquePairs(pairs), HubSpotLimits.associationBatchWrites)) {
      await this.writePairs('batch associate contacts with tickets', part, refused, async (inputs) =>
        this.calls.client.crm.associations.v4.batchApi.createDefault('tickets', 'contacts', {
          inputs: inputs.map((p) => ({ _from: { id: p.ticketId }, to: { id: p.contactId } })),
        }),
      );
    }
    return refused;
  }

  /**
   * Removes every association of many ticket–contact pairs: one v4 batch archive per 1,000 pairs.
   * Idempotent (nothing associated is nothing to remove). Answers the pairs HubSpot refused.
   */
  async dissociateContactsMany(pairs: readonly HsTicketContactPair[]): Promise<HsTicketContactRefusal[]> {
    const refused: HsTicketContactRefusal[] = [];
    for (const part of chunk(uniquePairs(pairs), HubSpotLimits.associationBatchWrites)) {
      await this.writePairs('batch dissociate contacts from tickets', part, refused, async (inputs) => {
        await this.calls.client.crm.associations.v4.batchApi.archive('tickets', 'contacts', {
          inputs: inputs.map((p) => ({ _from: { id: p.ticketId }, to: [{ id: p.contactId }] })),
        });
        return {};
      });
    }
    return refused;
  }

  /**
   * One batch write of pairs. A refusal that names no pair we could trust — a whole-batch 4xx, a 207
   * (the SDK throws on any status but the documented one, keeping only the error's fields) or a 200
   * carrying `errors` — is split in halves until the refused pair stands alone; re-sending the
   * others is harmless, the writes being idempotent. Outages and rate limits throw.
   */
  private async writePairs(
    operation: string,
    pairs: readonly HsTicketContactPair[],
    refused: HsTicketContactRefusal[],
    send: (pairs: readonly HsTicketContactPair[]) => Promise<PairsAnswer>,
  ): Promise<void> {
    if (pairs.length === 0) return;
    let error: HubSpotError | null = null;
    try {
      const answer = await this.calls.call(operation, 'general', () => send(pairs));
      const first = answer.errors?.[0];
      if (first) {
        const status = Number(first.status);
        const retryable = Number.isFinite(status) && (status >= 500 || status === 429);
        error = new HubSpotError({
          kind: retryable ? 'unavailable' : 'invalid',
          operation,
          message: first.message ?? 'HubSpot refused this association',
          status: Number.isFinite(status) ? status : 400,
          category: first.category ?? null,
        });
      }
    } catch (thrown) {
      if (!isKind(thrown, 'invalid') && !isKind(thrown, 'not_found') && !isKind(thrown, 'conflict')) {
        throw thrown;
      }
      error = thrown as HubSpotError;
    }
    if (error === null) return;
    if (pairs.length === 1) {
      refused.push({ ...pairs[0]!, error });
      return;
    }
    const half = Math.ceil(pairs.length / 2);
    await this.writePairs(operation, pairs.slice(0, half), refused, send);
    await this.writePairs(operation, pairs.slice(half), refused, send);
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

/** Each ticket–contact pair once, in the order first given. */
function uniquePairs(pairs: readonly HsTicketContactPair[]): HsTicketContactPair[] {
  return [
    ...new Map(
      pairs.map((p) => [`${p.ticketId}:${p.contactId}`, { ticketId: p.ticketId, contactId: p.contactId }]),
    ).values(),
  ];
}
