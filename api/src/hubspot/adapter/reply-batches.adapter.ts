import { HubSpotLimits, REPLY_KEY_PROPERTY } from '../hubspot.constants';
import {
  type HsBatchCreateOptions,
  type HsCustomerReplyBatchInput,
  type HsCustomerReplyOutcome,
  type HsMessage,
} from '../hubspot.types';
import { HubSpotError } from '../hubspot-error';
import { recordErrors } from '../hubspot-error.classifier';
import { toMessage } from '../hubspot-message.mapper';
import { chunk, cleanIds } from '../hubspot-value.util';
import { type HubSpotConversation, replyAssociations, replyProperties } from './conversation.adapter';
import { type HubSpotFiles } from './files.adapter';
import { type HubSpotCalls, isKind, mentionsProperty } from './hubspot-calls';
import { type ReplyKeyProperty } from './reply-key-property';

/**
 * Customers' replies many at a time (the delivery worker's batches, ADR 0015): per 100, one batch
 * read by the unique email property tp_reply_key (of the keys an earlier attempt may have sent), then
 * one batch create of the rest with their associations inline; per-record refusals (a 207) fail that
 * reply alone. Where emails have no reply key property, the replies go one by one.
 */
export class HubSpotReplyBatches {
  constructor(
    private readonly calls: HubSpotCalls,
    private readonly conversation: HubSpotConversation,
    private readonly files: HubSpotFiles,
    private readonly replyKeys: ReplyKeyProperty,
  ) {}

  async addCustomerReplies(
    inputs: readonly HsCustomerReplyBatchInput[],
    options: HsBatchCreateOptions = {},
  ): Promise<HsCustomerReplyOutcome[]> {
    const outcomes = new Map<string, HsCustomerReplyOutcome>();
    const unique = [...new Map(inputs.map((i) => [i.reply.replyKey, i])).values()];
    if (!(await this.replyKeys.ready())) {
      // No unique key on emails here: each reply the consistent way, by reading its ticket's emails.
      for (const input of unique) {
        const replyKey = input.reply.replyKey;
        try {
          const { message, created } = await this.conversation.addCustomerReply(
            input.ticketId,
            input.contactId,
            input.reply,
          );
          outcomes.set(replyKey, { replyKey, ok: true, message, created });
        } catch (error) {
          if (!(error instanceof HubSpotError) || error.retryable) throw error;
          outcomes.set(replyKey, { replyKey, ok: false, error });
        }
      }
      return inputs.map((i) => outcomes.get(i.reply.replyKey)!);
    }
    for (const part of chunk(unique, HubSpotLimits.batchInputs)) {
      // What an earlier attempt (one that died before its commit) already logged is not logged again.
      const found = await this.conversation.repliesByKey(
        part.filter((i) => !options.unsent?.has(i.reply.replyKey)),
      );
      for (const [replyKey, message] of found) {
        outcomes.set(replyKey, { replyKey, ok: true, message, created: false });
      }
      await this.createReplyBatch(
        part.filter((i) => !found.has(i.reply.replyKey)),
        outcomes,
      );
    }
    return inputs.map((i) => outcomes.get(i.reply.replyKey)!);
  }

  /**
   * One batch create of reply emails with their associations inline, each traced by its reply key
   * so a 207 names the refused ones. A batch refused as a whole (a 400 or 409 naming no record) is
   * split in halves until the refused reply stands alone; a refused duplicate key means an earlier or
   * concurrent attempt logged it, and that email is the answer.
   */
  private async createReplyBatch(
    inputs: readonly HsCustomerReplyBatchInput[],
    outcomes: Map<string, HsCustomerReplyOutcome>,
  ): Promise<void> {
    if (inputs.length === 0) return;
    const operation = 'batch create reply emails';
    const properties = new Map(inputs.map((i) => [i.reply.replyKey, replyProperties(i.reply, true)]));
    let answer;
    try {
      answer = await this.calls.call(operation, 'general', () =>
        this.calls.client.crm.objects.emails.batchApi.create({
          inputs: inputs.map((i) => ({
            properties: properties.get(i.reply.replyKey)!,
            associations: replyAssociations(i.ticketId, i.contactId),
            objectWriteTraceId: i.reply.replyKey,
          })),
        }),
      );
    } catch (error) {
      if (!isKind(error, 'invalid') && !isKind(error, 'conflict')) throw error;
      if (
        mentionsProperty(error, REPLY_KEY_PROPERTY) &&
        /PROPERTY_DOESNT_EXIST/.test((error as Error).message)
      ) {
        // Someone deleted the property: look again on the next try (one by one if it stays away).
        this.replyKeys.set(undefined);
        throw error;
      }
      if (inputs.length > 1) {
        const half = Math.ceil(inputs.length / 2);
        await this.createReplyBatch(inputs.slice(0, half), outcomes);
        await this.createReplyBatch(inputs.slice(half), outcomes);
        return;
      }
      const input = inputs[0]!;
      const replyKey = input.reply.replyKey;
      const winner = (await this.conversation.repliesByKey([input])).get(replyKey);
      outcomes.set(
        replyKey,
        winner
          ? { replyKey, ok: true, message: winner, created: false }
          : { replyKey, ok: false, error: error as HubSpotError },
      );
      return;
    }
    const byKey = new Map(inputs.map((i) => [i.reply.replyKey, i]));
    const files = await this.files.attachmentFiles(
      inputs.flatMap((i) => cleanIds(i.reply.attachmentIds ?? [])),
    );
    for (const raw of answer.results ?? []) {
      const key = raw.properties?.[REPLY_KEY_PROPERTY] ?? '';
      const input = byKey.get(key);
      if (!input) continue;
      const message = toMessage(
        { ...raw, properties: { ...properties.get(key)!, ...raw.properties } },
        input.ticketId,
        files,
      );
      if (message) outcomes.set(key, { replyKey: key, ok: true, message, created: true });
    }
    const missing = inputs.filter((i) => !outcomes.has(i.reply.replyKey));
    if (missing.length === 0) return;
    const refusals = recordErrors('errors' in answer ? (answer.errors ?? []) : [], operation);
    // A refused duplicate key (or a reply HubSpot left out without a reason): an attempt that raced
    // this one may have logged it, so look it up. Other refusals need no second call.
    const doubtful = missing.filter((i) => {
      const refusal = refusals.get(i.reply.replyKey);
      return (
        refusal === undefined || refusal.kind === 'conflict' || mentionsProperty(refusal, REPLY_KEY_PROPERTY)
      );
    });
    const winners =
      doubtful.length > 0 ? await this.conversation.repliesByKey(doubtful) : new Map<string, HsMessage>();
    for (const input of missing) {
      const replyKey = input.reply.replyKey;
      const winner = winners.get(replyKey);
      outcomes.set(
        replyKey,
        winner
          ? { replyKey, ok: true, message: winner, created: false }
          : {
              replyKey,
              ok: false,
              error:
                refusals.get(replyKey) ??
                new HubSpotError({
                  kind: 'unavailable',
                  operation,
                  message: 'HubSpot answered the batch without this reply and without naming an error',
                }),
            },
      );
    }
  }
}
