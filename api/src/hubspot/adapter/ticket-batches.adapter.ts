import { HubSpotLimits, REQUEST_KEY_PROPERTY, TICKET_PROPERTIES } from '../hubspot.constants';
import {
  type HsBatchCreateOptions,
  type HsCreateTicketInput,
  type HsCreateTicketOutcome,
  type HsStageChangeInput,
  type HsStageChangeOutcome,
  type HsTicket,
} from '../hubspot.types';
import { HubSpotError } from '../hubspot-error';
import { recordErrors } from '../hubspot-error.classifier';
import { toTicket } from '../hubspot-ticket.mapper';
import { chunk, uniqueIds } from '../hubspot-value.util';
import { type WireObject } from '../hubspot-wire.types';
import { type HubSpotAssociations } from './associations.adapter';
import { type HubSpotCalls, isKind } from './hubspot-calls';
import {
  type HubSpotTickets,
  mentionsRequestKey,
  newTicketAssociations,
  newTicketLinks,
  newTicketProperties,
} from './tickets.adapter';

const TICKET_PROPS = [...TICKET_PROPERTIES];

/**
 * Tickets many at a time (the delivery worker's batches): per 100, one batch read by the unique
 * request key (of the keys an earlier attempt may have sent), then one batch create of the rest with
 * associations inline; stage changes in one batch update. Per-record refusals (a 207) fail that
 * record alone.
 */
export class HubSpotTicketBatches {
  constructor(
    private readonly calls: HubSpotCalls,
    private readonly associations: HubSpotAssociations,
    private readonly tickets: HubSpotTickets,
  ) {}

  async createTickets(
    inputs: readonly HsCreateTicketInput[],
    options: HsBatchCreateOptions = {},
  ): Promise<HsCreateTicketOutcome[]> {
    const outcomes = new Map<string, HsCreateTicketOutcome>();
    const unique = [...new Map(inputs.map((i) => [i.requestKey, i])).values()];
    for (const part of chunk(unique, HubSpotLimits.batchInputs)) {
      // What an earlier attempt (one that died before its commit) already made is not made again.
      const found = await this.ticketsByRequestKey(part.filter((i) => !options.unsent?.has(i.requestKey)));
      for (const [requestKey, ticket] of found) {
        outcomes.set(requestKey, { requestKey, ok: true, ticket, created: false });
      }
      await this.createTicketBatch(
        part.filter((i) => !found.has(i.requestKey)),
        outcomes,
      );
    }
    return inputs.map((i) => outcomes.get(i.requestKey)!);
  }

  async updateTicketStages(inputs: readonly HsStageChangeInput[]): Promise<HsStageChangeOutcome[]> {
    const moved = new Set<string>();
    const refused = new Map<string, HubSpotError>();
    // One change per ticket (HubSpot refuses a batch naming a record twice): the last one wins.
    const unique = [...new Map(inputs.map((i) => [i.ticketId, i])).values()];
    for (const part of chunk(unique, HubSpotLimits.batchInputs)) {
      await this.updateStageBatch(part, moved, refused);
    }
    // A batch update answers only some properties: read the moved tickets back (consistent reads).
    const tickets = new Map((await this.tickets.getTicketsByIds([...moved])).map((t) => [t.id, t]));
    return inputs.map(({ ticketId }): HsStageChangeOutcome => {
      const ticket = tickets.get(ticketId);
      if (ticket) return { ticketId, ok: true, ticket };
      const error =
        refused.get(ticketId) ??
        new HubSpotError({
          kind: 'not_found',
          operation: 'batch update ticket stages',
          message: `HubSpot ticket ${ticketId} disappeared right after its stage was changed`,
        });
      return { ticketId, ok: false, error };
    });
  }

  async findTicketsByRequestKeys(requestKeys: readonly string[]): Promise<Map<string, HsTicket>> {
    return this.ticketsByRequestKey(requestKeys.map((requestKey) => ({ requestKey })));
  }

  /** findTicketsByRequestKeys, with each key's contact for the lookup where the key is not unique. */
  private async ticketsByRequestKey(
    keys: ReadonlyArray<{ requestKey: string; contactId?: string }>,
  ): Promise<Map<string, HsTicket>> {
    const found = new Map<string, HsTicket>();
    const contactOf = new Map(keys.map((k) => [k.requestKey, k.contactId]));
    for (const part of chunk(uniqueIds(keys.map((k) => k.requestKey)), HubSpotLimits.batchInputs)) {
      const objects = await this.batchReadTicketsByKey(part);
      if (objects === null) {
        // The key property is not unique here (made by hand): the slower consistent lookups, one by one.
        for (const key of part) {
          const ticket = await this.tickets.findTicketByRequestKey(key, contactOf.get(key));
          if (ticket) found.set(key, ticket);
        }
        continue;
      }
      const links = await this.associations.ticketLinks(objects.map((o) => o.id));
      for (const o of objects) {
        const key = o.properties?.[REQUEST_KEY_PROPERTY];
        if (key && part.includes(key)) found.set(key, toTicket(o, links.get(String(o.id))));
      }
    }
    return found;
  }

  /**
   * One batch create with associations inline, each input traced by its request key so a 207 names
   * the refused records. A batch HubSpot refuses as a whole (a 400 naming no record) is split in
   * halves until the refused record stands alone; a refused duplicate key means an earlier or
   * concurrent attempt won, and that ticket is the answer.
   */
  private async createTicketBatch(
    inputs: readonly HsCreateTicketInput[],
    outcomes: Map<string, HsCreateTicketOutcome>,
  ): Promise<void> {
    if (inputs.length === 0) return;
    let answer;
    try {
      answer = await this.calls.call('batch create tickets', 'general', () =>
        this.calls.client.crm.tickets.batchApi.create({
          inputs: inputs.map((input) => ({
            properties: newTicketProperties(input),
            associations: newTicketAssociations(input),
            objectWriteTraceId: input.requestKey,
          })),
        }),
      );
    } catch (error) {
      if (!isKind(error, 'invalid') && !isKind(error, 'conflict')) throw error;
      if (inputs.length > 1) {
        const half = Math.ceil(inputs.length / 2);
        await this.createTicketBatch(inputs.slice(0, half), outcomes);
        await this.createTicketBatch(inputs.slice(half), outcomes);
        return;
      }
      const input = inputs[0]!;
      const winner = await this.tickets.findTicketByRequestKey(input.requestKey, input.contactId);
      outcomes.set(
        input.requestKey,
        winner
          ? { requestKey: input.requestKey, ok: true, ticket: winner, created: false }
          : { requestKey: input.requestKey, ok: false, error: error as HubSpotError },
      );
      return;
    }
    const byKey = new Map(inputs.map((i) => [i.requestKey, i]));
    for (const raw of answer.results ?? []) {
      const input = byKey.get(raw.properties?.[REQUEST_KEY_PROPERTY] ?? '');
      if (!input) continue;
      outcomes.set(input.requestKey, {
        requestKey: input.requestKey,
        ok: true,
        ticket: toTicket(raw, newTicketLinks(input)),
        created: true,
      });
    }
    const missing = inputs.filter((i) => !outcomes.has(i.requestKey));
    if (missing.length === 0) return;
    const refusals = recordErrors('errors' in answer ? (answer.errors ?? []) : [], 'batch create tickets');
    // A refused duplicate key (or a record HubSpot left out without a reason): an attempt that raced
    // this one may have made the ticket, so look it up. Other refusals need no second call.
    const doubtful = missing.filter((i) => {
      const refusal = refusals.get(i.requestKey);
      return refusal === undefined || refusal.kind === 'conflict' || mentionsRequestKey(refusal);
    });
    const winners =
      doubtful.length > 0 ? await this.ticketsByRequestKey(doubtful) : new Map<string, HsTicket>();
    for (const input of missing) {
      const winner = winners.get(input.requestKey);
      outcomes.set(
        input.requestKey,
        winner
          ? { requestKey: input.requestKey, ok: true, ticket: winner, created: false }
          : {
              requestKey: input.requestKey,
              ok: false,
              error:
                refusals.get(input.requestKey) ??
                new HubSpotError({
                  kind: 'unavailable',
                  operation: 'batch create tickets',
                  message: 'HubSpot answered the batch without this ticket and without naming an error',
                }),
            },
      );
    }
  }

  /**
   * One batch update of stages, each input traced by its ticket id so a 207 names the refused ones;
   * ids HubSpot no longer has come back as OBJECT_NOT_FOUND. A batch refused as a whole (a 400 naming
   * no record) is split in halves until the refused ticket stands alone.
   */
  private async updateStageBatch(
    inputs: readonly HsStageChangeInput[],
    moved: Set<string>,
    refused: Map<string, HubSpotError>,
  ): Promise<void> {
    if (inputs.length === 0) return;
    const operation = 'batch update ticket stages';
    let answer;
    try {
      answer = await this.calls.call(operation, 'general', () =>
        this.calls.client.crm.tickets.batchApi.update({
          inputs: inputs.map((i) => ({
            id: i.ticketId,
            properties: { hs_pipeline_stage: i.stageId },
            objectWriteTraceId: i.ticketId,
          })),
        }),
      );
    } catch (error) {
      if (!isKind(error, 'invalid') && !isKind(error, 'not_found')) throw error;
      if (inputs.length > 1) {
        const half = Math.ceil(inputs.length / 2);
        await this.updateStageBatch(inputs.slice(0, half), moved, refused);
        await this.updateStageBatch(inputs.slice(half), moved, refused);
        return;
      }
      refused.set(inputs[0]!.ticketId, error as HubSpotError);
      return;
    }
    const errors = 'errors' in answer ? (answer.errors ?? []) : [];
    const refusals = recordErrors(errors, operation);
    const gone = new Set(
      errors.filter((e) => e.category === 'OBJECT_NOT_FOUND').flatMap((e) => e.context?.ids ?? []),
    );
    const updated = new Set((answer.results ?? []).map((r) => String(r.id)));
    for (const { ticketId } of inputs) {
      const refusal = refusals.get(ticketId);
      if (updated.has(ticketId) && !refusal) {
        moved.add(ticketId);
        continue;
      }
      refused.set(
        ticketId,
        refusal ??
          new HubSpotError(
            gone.has(ticketId)
              ? { kind: 'not_found', operation, message: `HubSpot has no ticket ${ticketId}`, status: 404 }
              : {
                  kind: 'unavailable',
                  operation,
                  message: 'HubSpot answered the batch without this ticket and without naming an error',
                },
          ),
      );
    }
  }

  /**
   * Batch read by the unique request key property (consistent, like the single read by idProperty):
   * keys no ticket carries are simply absent. Null when HubSpot refuses idProperty (the property is
   * not unique in this portal).
   */
  private async batchReadTicketsByKey(keys: string[]): Promise<WireObject[] | null> {
    try {
      const answer = await this.calls.call('batch read tickets by request key', 'general', () =>
        this.calls.client.crm.tickets.batchApi.read(
          {
            idProperty: REQUEST_KEY_PROPERTY,
            inputs: keys.map((id) => ({ id })),
            properties: TICKET_PROPS,
            propertiesWithHistory: [],
          },
          false,
        ),
      );
      // A 207 lists the keys no ticket carries under `errors`: absent here.
      return answer.results ?? [];
    } catch (error) {
      // Some portals answer a whole-request 404 when none (or, unnamed, some) of the keys exist.
      if (isKind(error, 'not_found')) {
        const missing = new Set((error as HubSpotError).contextIds);
        const rest = keys.filter((k) => !missing.has(k));
        if (missing.size > 0 && rest.length < keys.length) {
          return rest.length > 0 ? this.batchReadTicketsByKey(rest) : [];
        }
        return null;
      }
      if (isKind(error, 'invalid')) return null;
      throw error;
    }
  }
}
