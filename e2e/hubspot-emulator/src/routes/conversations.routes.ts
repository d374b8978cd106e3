import { badRequest, notFound } from '../errors';
import { fullName } from '../files';
import { boolParam, intParam, json, type Router } from '../http';
import { iso, type CrmRecord, type Store } from '../store';

// One email inbox, as a small support team has. Ids look like HubSpot's.
const INBOX_ID = '481939';
const EMAIL_CHANNEL_ID = '1002';
const EMAIL_CHANNEL_ACCOUNT_ID = '148662';

/**
 * Read-only view of a ticket's conversation in the Conversations v3 shape, derived from the email
 * engagements (MESSAGE, INCOMING from the customer, OUTGOING from an agent) and notes (COMMENT,
 * internal) associated with the ticket. One thread per ticket that has any.
 */
export function threadIdFor(store: Store, ticketId: string): string {
  let id = store.threadByTicket.get(ticketId);
  if (!id) {
    store.nextThreadId += 1;
    id = String(store.nextThreadId);
    store.threadByTicket.set(ticketId, id);
    store.version += 1;
  }
  return id;
}

function ticketForThread(store: Store, threadId: string): CrmRecord | undefined {
  for (const [ticketId, id] of store.threadByTicket) {
    if (id === threadId) return store.get('tickets', ticketId);
  }
  return undefined;
}

function engagements(store: Store, ticket: CrmRecord): CrmRecord[] {
  const out: CrmRecord[] = [];
  for (const type of ['emails', 'notes'] as const) {
    for (const id of store.associatedIds(ticket, type)) {
      const rec = store.get(type, id);
      if (rec) out.push(rec);
    }
  }
  return out.sort((a, b) => time(a) - time(b) || Number(a.id) - Number(b.id));
}

const time = (r: CrmRecord): number => Date.parse(r.props.hs_timestamp ?? iso(r.createdAt));

function contactActor(
  store: Store,
  ticket: CrmRecord,
): { id: string; email: string; name: string } | undefined {
  const contactId = store.associatedIds(ticket, 'contacts')[0];
  const c = contactId ? store.get('contacts', contactId) : undefined;
  if (!c) return undefined;
  return {
    id: c.id,
    email: c.props.email ?? '',
    name: `${c.props.firstname ?? ''} ${c.props.lastname ?? ''}`.trim(),
  };
}

function threadOut(store: Store, ticket: CrmRecord, withAssociation: boolean) {
  const items = engagements(store, ticket);
  const emails = items.filter((e) => e.type === 'emails');
  const incoming = emails.filter((e) => e.props.hs_email_direction === 'INCOMING_EMAIL');
  const outgoing = emails.filter((e) => e.props.hs_email_direction !== 'INCOMING_EMAIL');
  const last = (list: CrmRecord[]) =>
    list.length > 0 ? iso(time(list[list.length - 1] as CrmRecord)) : undefined;
  const closed = ticket.props.hs_is_closed === 'true';
  const ownerId = ticket.props.hubspot_owner_id;
  const owner = ownerId ? store.owner(ownerId, true) : undefined;
  const first = items[0];
  return {
    id: threadIdFor(store, ticket.id),
    createdAt: iso(first ? time(first) : ticket.createdAt),
    status: closed ? 'CLOSED' : 'OPEN',
    ...(closed && ticket.props.closed_date ? { closedAt: ticket.props.closed_date } : {}),
    originalChannelId: EMAIL_CHANNEL_ID,
    originalChannelAccountId: EMAIL_CHANNEL_ACCOUNT_ID,
    ...(last(emails) ? { latestMessageTimestamp: last(emails) } : {}),
    ...(last(outgoing) ? { latestMessageSentTimestamp: last(outgoing) } : {}),
    ...(last(incoming) ? { latestMessageReceivedTimestamp: last(incoming) } : {}),
    ...(owner ? { assignedTo: `A-${owner.userId}` } : {}),
    spam: false,
    inboxId: INBOX_ID,
    associatedContactId: contactActor(store, ticket)?.id ?? '',
    archived: false,
    ...(withAssociation ? { threadAssociations: { associatedTicketId: ticket.id } } : {}),
  };
}

/** `hs_attachment_ids` as Conversations `FILE` attachments (files deleted since are left out). */
export function attachmentsOf(store: Store, e: CrmRecord, baseUrl: string) {
  return attachmentIds(e)
    .map((id) => store.files.get(id))
    .filter((f) => f !== undefined)
    .map((f) => ({
      type: 'FILE',
      fileId: f.id,
      fileUsageType: 'STANDARD',
      name: fullName(f),
      url: store.files.hostingUrl(f, baseUrl),
    }));
}

export function attachmentIds(e: CrmRecord): string[] {
  return (e.props.hs_attachment_ids ?? '')
    .split(';')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

function messageOut(store: Store, ticket: CrmRecord, threadId: string, e: CrmRecord, baseUrl: string) {
  const customer = contactActor(store, ticket);
  const ownerId = e.props.hubspot_owner_id ?? ticket.props.hubspot_owner_id;
  const owner = ownerId ? store.owner(ownerId, true) : undefined;
  const agent = owner
    ? { actorId: `A-${owner.userId}`, name: `${owner.firstName} ${owner.lastName}`, email: owner.email }
    : { actorId: 'A-1', name: 'Support', email: 'support@synchtank.example' };
  const createdAt = iso(time(e));
  const updatedAt = iso(e.updatedAt);
  if (e.type === 'notes') {
    const html = e.props.hs_note_body ?? '';
    return {
      type: 'COMMENT',
      id: e.id,
      conversationsThreadId: threadId,
      createdAt,
      updatedAt,
      createdBy: agent.actorId,
      client: { clientType: 'HUBSPOT' },
      senders: [{ actorId: agent.actorId, name: agent.name }],
      recipients: [],
      archived: false,
      text: html.replace(/<[^>]*>/g, ''),
      richText: html || '<p></p>',
      attachments: attachmentsOf(store, e, baseUrl),
    };
  }
  const incoming = e.props.hs_email_direction === 'INCOMING_EMAIL';
  const customerId = customer ? `V-${customer.id}` : 'E-unknown';
  const customerParty = {
    actorId: customerId,
    name: customer?.name ?? e.props.hs_email_from_email ?? '',
    deliveryIdentifier: {
      type: 'HS_EMAIL_ADDRESS',
      value: customer?.email ?? e.props.hs_email_from_email ?? '',
    },
  };
  const agentParty = {
    actorId: agent.actorId,
    name: agent.name,
    deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: agent.email },
  };
  const text = e.props.hs_email_text ?? '';
  return {
    type: 'MESSAGE',
    id: e.id,
    conversationsThreadId: threadId,
    createdAt,
    updatedAt,
    createdBy: incoming ? customerId : agent.actorId,
    client: { clientType: incoming ? 'SYSTEM' : 'HUBSPOT' },
    senders: [{ ...(incoming ? customerParty : agentParty), senderField: 'FROM' }],
    recipients: [{ ...(incoming ? agentParty : customerParty), recipientField: 'TO' }],
    archived: false,
    text,
    richText: e.props.hs_email_html ?? `<div>${escapeHtml(text)}</div>`,
    subject: e.props.hs_email_subject ?? '',
    attachments: attachmentsOf(store, e, baseUrl),
    truncationStatus: 'NOT_TRUNCATED',
    status: { statusType: incoming ? 'RECEIVED' : 'SENT' },
    direction: incoming ? 'INCOMING' : 'OUTGOING',
    channelId: EMAIL_CHANNEL_ID,
    channelAccountId: EMAIL_CHANNEL_ACCOUNT_ID,
  };
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export function registerConversationRoutes(router: Router, store: Store, baseUrl: () => string): void {
  router.add('GET', '/conversations/v3/conversations/threads', (ctx) => {
    const limit = intParam(ctx.query, 'limit', 100, 1, 500);
    const withAssociation = (ctx.query.get('association') ?? '').toUpperCase() === 'TICKET';
    const ticketId = ctx.query.get('associatedTicketId');
    const contactId = ctx.query.get('associatedContactId');
    const status = ctx.query.get('threadStatus');
    if (boolParam(ctx.query, 'archived')) return json(200, { results: [] });
    let tickets: CrmRecord[];
    if (ticketId) {
      const t = store.get('tickets', ticketId);
      tickets = t ? [t] : [];
    } else if (contactId) {
      const c = store.get('contacts', contactId);
      tickets = c
        ? store
            .associatedIds(c, 'tickets')
            .map((id) => store.get('tickets', id))
            .filter((t): t is CrmRecord => !!t)
        : [];
      if (status && status !== 'OPEN' && status !== 'CLOSED') {
        throw badRequest('threadStatus must be OPEN or CLOSED.');
      }
    } else {
      throw badRequest('Give associatedTicketId, or associatedContactId with threadStatus, to list threads.');
    }
    const after = Number(ctx.query.get('after') ?? '0') || 0;
    const threads = tickets
      .filter((t) => engagements(store, t).length > 0)
      .map((t) => threadOut(store, t, withAssociation))
      .filter((t) => !status || t.status === status);
    const page = threads.slice(after, after + limit);
    const body: Record<string, unknown> = { results: page };
    if (after + limit < threads.length) body.paging = { next: { after: String(after + limit) } };
    return json(200, body);
  });

  router.add('GET', '/conversations/v3/conversations/threads/:threadId', (ctx) => {
    const ticket = ticketForThread(store, ctx.params.threadId ?? '');
    if (!ticket) throw notFound(`Thread ${ctx.params.threadId} does not exist.`);
    return json(
      200,
      threadOut(store, ticket, (ctx.query.get('association') ?? '').toUpperCase() === 'TICKET'),
    );
  });

  router.add('GET', '/conversations/v3/conversations/threads/:threadId/messages', (ctx) => {
    const threadId = ctx.params.threadId ?? '';
    const ticket = ticketForThread(store, threadId);
    if (!ticket) throw notFound(`Thread ${threadId} does not exist.`);
    const limit = intParam(ctx.query, 'limit', 100, 1, 500);
    const after = Number(ctx.query.get('after') ?? '0') || 0;
    const descending = (ctx.query.get('sort') ?? '').startsWith('-');
    const all = engagements(store, ticket).map((e) => messageOut(store, ticket, threadId, e, baseUrl()));
    if (descending) all.reverse();
    const page = all.slice(after, after + limit);
    const body: Record<string, unknown> = { results: page };
    if (after + limit < all.length) body.paging = { next: { after: String(after + limit) } };
    return json(200, body);
  });

  router.add('GET', '/conversations/v3/conversations/threads/:threadId/messages/:messageId', (ctx) => {
    const threadId = ctx.params.threadId ?? '';
    const ticket = ticketForThread(store, threadId);
    const e = ticket ? engagements(store, ticket).find((x) => x.id === ctx.params.messageId) : undefined;
    if (!ticket || !e) {
      throw notFound(`Message ${ctx.params.messageId} does not exist in thread ${threadId}.`);
    }
    return json(200, messageOut(store, ticket, threadId, e, baseUrl()));
  });
}
