import { AssociationSpecAssociationCategoryEnum as EmailAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/emails';
import { AssociationTypeId, EMAIL_PROPERTIES, HubSpotLimits, REPLY_KEY_PROPERTY } from '../hubspot.constants';
import {
  type HsCustomerReplyBatchInput,
  type HsCustomerReplyInput,
  type HsCustomerReplyResult,
  type HsMessage,
} from '../hubspot.types';
import { HubSpotError } from '../hubspot-error';
import { replyHeaders, messageAttachmentIds, sortConversation, toMessage } from '../hubspot-message.mapper';
import { chunk, cleanIds, uniqueIds } from '../hubspot-value.util';
import { type WireObject } from '../hubspot-wire.types';
import { type HubSpotAssociations } from './associations.adapter';
import { type HubSpotFiles } from './files.adapter';
import { type HubSpotCalls, isKind, mentionsProperty } from './hubspot-calls';
import { type ReplyKeyProperty } from './reply-key-property';

const EMAIL_PROPS = [...EMAIL_PROPERTIES];

/**
 * A ticket's conversation: the email engagements associated with it (one ticket, or many at once for
 * the backfill), with their attachments, and the customer's reply logged as an incoming email.
 */
export class HubSpotConversation {
  constructor(
    private readonly calls: HubSpotCalls,
    private readonly associations: HubSpotAssociations,
    private readonly files: HubSpotFiles,
    private readonly replyKeys: ReplyKeyProperty,
  ) {}

  async getTicketConversation(ticketId: string): Promise<HsMessage[]> {
    const { ids: emailIds } = await this.associations.associatedIds(
      'list ticket emails',
      'tickets',
      ticketId,
      'emails',
    );

    const emails: WireObject[] = [];
    for (const part of chunk(uniqueIds(emailIds), HubSpotLimits.batchInputs)) {
      const answer = await this.calls.call('batch read emails', 'general', () =>
        this.calls.client.crm.objects.emails.batchApi.read(
          { inputs: part.map((id) => ({ id })), properties: EMAIL_PROPS, propertiesWithHistory: [] },
          false,
        ),
      );
      emails.push(...(answer.results ?? []));
    }
    const files = await this.files.attachmentFiles(emails.flatMap(messageAttachmentIds));
    const messages: HsMessage[] = [];
    for (const raw of emails) {
      const message = toMessage(raw, ticketId, files);
      if (message) messages.push(message);
    }
    return sortConversation(messages);
  }

  async getTicketConversations(ticketIds: readonly string[]): Promise<Map<string, HsMessage[]>> {
    const ids = cleanIds(ticketIds);
    const emailsByTicket = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const part of chunk(ids, HubSpotLimits.associationBatchInputs)) {
      let answer;
      try {
        answer = await this.calls.call('batch read ticket→email associations', 'general', () =>
          this.calls.client.crm.associations.v4.batchApi.getPage('tickets', 'emails', {
            inputs: part.map((id) => ({ id })),
          }),
        );
      } catch (error) {
        if (isKind(error, 'not_found')) continue;
        throw error;
      }
      // A ticket with no email is a 207 error (NO_ASSOCIATIONS_FOUND): an empty conversation. Any
      // other error leaves its ticket out of the answer, to be read again.
      for (const error of 'errors' in answer ? (answer.errors ?? []) : []) {
        const subCategory = typeof error.subCategory === 'string' ? error.subCategory : '';
        if (error.category === 'OBJECT_NOT_FOUND' || subCategory.includes('NO_ASSOCIATIONS_FOUND')) {
          continue;
        }
        for (const id of error.context?.fromObjectId ?? error.context?.ids ?? []) {
          emailsByTicket.delete(String(id));
        }
      }
      for (const result of answer.results ?? []) {
        const ticketId = String(result._from.id);
        emailsByTicket.get(ticketId)?.push(...(result.to ?? []).map((to) => String(to.toObjectId)));
        // More than one page of emails on this ticket: read the rest from the single-ticket list.
        const startAfter = result.paging?.next?.after || undefined;
        if (startAfter !== undefined) {
          const rest = await this.associations.associatedIds(
            'list ticket emails',
            'tickets',
            ticketId,
            'emails',
            {
              startAfter,
            },
          );
          emailsByTicket.get(ticketId)?.push(...rest.ids);
        }
      }
    }

    const emails = new Map<string, WireObject>();
    const allEmailIds = uniqueIds([...emailsByTicket.values()].flat());
    for (const part of chunk(allEmailIds, HubSpotLimits.batchInputs)) {
      const answer = await this.calls.call('batch read emails', 'general', () =>
        this.calls.client.crm.objects.emails.batchApi.read(
          { inputs: part.map((id) => ({ id })), properties: EMAIL_PROPS, propertiesWithHistory: [] },
          false,
        ),
      );
      for (const raw of answer.results ?? []) emails.set(String(raw.id), raw);
    }

    const files = await this.files.attachmentFiles([...emails.values()].flatMap(messageAttachmentIds));
    const conversations = new Map<string, HsMessage[]>();
    for (const [ticketId, emailIds] of emailsByTicket) {
      const messages: HsMessage[] = [];
      for (const emailId of uniqueIds(emailIds)) {
        const raw = emails.get(emailId);
        const message = raw ? toMessage(raw, ticketId, files) : null;
        if (message) messages.push(message);
      }
      conversations.set(ticketId, sortConversation(messages));
    }
    return conversations;
  }

  async addCustomerReply(
    ticketId: string,
    contactId: string,
    reply: HsCustomerReplyInput,
  ): Promise<HsCustomerReplyResult> {
    // Reading the ticket's emails is consistent (unlike search): a retry after a crash between
    // HubSpot's answer and our commit finds the email it already logged.
    const fromEmail = reply.from.email.trim().toLowerCase();
    const existing = (await this.getTicketConversation(ticketId)).find(
      (m) =>
        m.requestKey === reply.replyKey ||
        (m.direction === 'customer' &&
          m.createdAt.getTime() === reply.sentAt.getTime() &&
          m.authorEmail === fromEmail),
    );
    if (existing) return { message: existing, created: false };

    const keyed = await this.replyKeys.ready();
    const properties = replyProperties(reply, keyed);
    const attachmentIds = cleanIds(reply.attachmentIds ?? []);
    let raw;
    try {
      raw = await this.calls.call('log customer reply', 'general', () =>
        this.calls.client.crm.objects.emails.basicApi.create({
          properties,
          associations: replyAssociations(ticketId, contactId),
        }),
      );
    } catch (error) {
      // The unique reply key refused a duplicate: a concurrent attempt logged it.
      if (keyed && (isKind(error, 'conflict') || mentionsProperty(error, REPLY_KEY_PROPERTY))) {
        const winner = (await this.repliesByKey([{ ticketId, contactId, reply }])).get(reply.replyKey);
        if (winner) return { message: winner, created: false };
      }
      throw error;
    }
    const files = await this.files.attachmentFiles(attachmentIds);
    const message = toMessage({ ...raw, properties: { ...properties, ...raw.properties } }, ticketId, files);
    if (message === null) {
      throw new HubSpotError({
        kind: 'invalid',
        operation: 'log customer reply',
        message: `HubSpot logged email ${raw.id} without the incoming direction it was sent with`,
      });
    }
    return { message, created: true };
  }

  /** The replies logged under these keys, by a batch read by the unique tp_reply_key (consistent). */
  async repliesByKey(inputs: readonly HsCustomerReplyBatchInput[]): Promise<Map<string, HsMessage>> {
    const found = new Map<string, HsMessage>();
    const ticketOf = new Map(inputs.map((i) => [i.reply.replyKey, i.ticketId]));
    for (const part of chunk([...ticketOf.keys()], HubSpotLimits.batchInputs)) {
      let objects: WireObject[];
      try {
        const answer = await this.calls.call('batch read emails by reply key', 'general', () =>
          this.calls.client.crm.objects.emails.batchApi.read(
            {
              idProperty: REPLY_KEY_PROPERTY,
              inputs: part.map((id) => ({ id })),
              properties: [...EMAIL_PROPS, REPLY_KEY_PROPERTY],
              propertiesWithHistory: [],
            },
            false,
          ),
        );
        // A 207 lists the keys no email carries under `errors`: absent here.
        objects = answer.results ?? [];
      } catch (error) {
        // Some portals answer a whole-request 404 when none of the keys exist.
        if (!isKind(error, 'not_found')) throw error;
        objects = [];
      }
      const files = await this.files.attachmentFiles(objects.flatMap(messageAttachmentIds));
      for (const o of objects) {
        const key = o.properties?.[REPLY_KEY_PROPERTY];
        const ticketId = key ? ticketOf.get(key) : undefined;
        const message = ticketId ? toMessage(o, ticketId, files) : null;
        if (key && message) found.set(key, message);
      }
    }
    return found;
  }
}

/** The email a customer's reply is logged as (an incoming email), with its key where emails carry one. */
export function replyProperties(
  reply: HsCustomerReplyInput,
  withKeyProperty: boolean,
): Record<string, string> {
  const fromEmail = reply.from.email.trim().toLowerCase();
  const properties: Record<string, string> = {
    hs_timestamp: reply.sentAt.toISOString(),
    hs_email_direction: 'INCOMING_EMAIL',
    hs_email_status: 'SENT',
    hs_email_text: reply.text,
    hs_email_headers: replyHeaders({ ...reply.from, email: fromEmail }, reply.replyKey),
  };
  if (withKeyProperty) properties[REPLY_KEY_PROPERTY] = reply.replyKey;
  if (reply.subject) properties.hs_email_subject = reply.subject;
  if (reply.html) properties.hs_email_html = reply.html;
  const attachmentIds = cleanIds(reply.attachmentIds ?? []);
  if (attachmentIds.length > 0) properties.hs_attachment_ids = attachmentIds.join(';');
  return properties;
}

/** A reply email's associations, made with it: its ticket (224) and the writer's contact (198). */
export function replyAssociations(ticketId: string, contactId: string) {
  return [
    emailAssociation(ticketId, AssociationTypeId.emailToTicket),
    emailAssociation(contactId, AssociationTypeId.emailToContact),
  ];
}

function emailAssociation(id: string, typeId: number) {
  return {
    to: { id },
    types: [{ associationCategory: EmailAssociationCategory.HubspotDefined, associationTypeId: typeId }],
  };
}
