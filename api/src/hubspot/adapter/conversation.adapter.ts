import { AssociationSpecAssociationCategoryEnum as EmailAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/emails';
import { AssociationTypeId, EMAIL_PROPERTIES, HubSpotLimits } from '../hubspot.constants';
import { type HsCustomerReplyInput, type HsCustomerReplyResult, type HsMessage } from '../hubspot.types';
import { HubSpotError } from '../hubspot-error';
import { replyHeaders, messageAttachmentIds, sortConversation, toMessage } from '../hubspot-message.mapper';
import { chunk, cleanIds, uniqueIds } from '../hubspot-value.util';
import { type WireObject } from '../hubspot-wire.types';
import { type HubSpotAssociations } from './associations.adapter';
import { type HubSpotFiles } from './files.adapter';
import { type HubSpotCalls, isKind } from './hubspot-calls';

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

    const properties: Record<string, string> = {
      hs_timestamp: reply.sentAt.toISOString(),
      hs_email_direction: 'INCOMING_EMAIL',
      hs_email_status: 'SENT',
      hs_email_text: reply.text,
      hs_email_headers: replyHeaders({ ...reply.from, email: fromEmail }, reply.replyKey),
    };
    if (reply.subject) properties.hs_email_subject = reply.subject;
    if (reply.html) properties.hs_email_html = reply.html;
    const attachmentIds = cleanIds(reply.attachmentIds ?? []);
    if (attachmentIds.length > 0) properties.hs_attachment_ids = attachmentIds.join(';');
    const raw = await this.calls.call('log customer reply', 'general', () =>
      this.calls.client.crm.objects.emails.basicApi.create({
        properties,
        associations: [
          emailAssociation(ticketId, AssociationTypeId.emailToTicket),
          emailAssociation(contactId, AssociationTypeId.emailToContact),
        ],
      }),
    );
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
}

function emailAssociation(id: string, typeId: number) {
  return {
    to: { id },
    types: [{ associationCategory: EmailAssociationCategory.HubspotDefined, associationTypeId: typeId }],
  };
}
