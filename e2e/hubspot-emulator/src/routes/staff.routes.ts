import { badRequest, notFound } from '../errors';
import { json, objectBody, type Router } from '../http';
import { parseSearchRequest, runSearch } from '../search';
import { iso, type CrmRecord, type Store } from '../store';
import { type StaffActions } from '../staff';
import { threadIdFor } from './conversations.routes';

const str = (v: unknown, name: string, required = true): string => {
  if (v === undefined || v === null || v === '') {
    if (required) throw badRequest(`"${name}" is required.`);
    return '';
  }
  if (typeof v !== 'string') throw badRequest(`"${name}" must be a string.`);
  return v;
};

function ticketSummary(store: Store, t: CrmRecord) {
  const contactId = store.associatedIds(t, 'contacts')[0];
  const contact = contactId ? store.get('contacts', contactId) : undefined;
  return {
    id: t.id,
    subject: t.props.subject ?? '',
    stageId: t.props.hs_pipeline_stage ?? '',
    priority: t.props.hs_ticket_priority ?? null,
    category: t.props.hs_ticket_category ?? null,
    ownerId: t.props.hubspot_owner_id ?? null,
    createdAt: t.props.createdate ?? iso(t.createdAt),
    lastActivityAt: t.props.hs_lastactivitydate ?? null,
    lastModifiedAt: t.props.hs_lastmodifieddate ?? null,
    contact: contact
      ? {
          id: contact.id,
          name: `${contact.props.firstname ?? ''} ${contact.props.lastname ?? ''}`.trim(),
          email: contact.props.email ?? '',
        }
      : null,
    company: t.props.hs_primary_company_name ?? null,
  };
}

function contactSummary(store: Store, staff: StaffActions, c: CrmRecord) {
  const companyId = staff.contactCompanyId(c.id) ?? null;
  const company = companyId ? store.get('companies', companyId) : undefined;
  return {
    id: c.id,
    name: `${c.props.firstname ?? ''} ${c.props.lastname ?? ''}`.trim(),
    email: c.props.email ?? '',
    companyId,
    company: company?.props.name ?? '',
  };
}

/** JSON endpoints behind the staff console (under /_emulator/staff, not HubSpot paths). */
export function registerStaffRoutes(router: Router, store: Store, staff: StaffActions): void {
  router.add(
    'GET',
    '/_emulator/staff/bootstrap',
    () =>
      json(200, {
        owners: store.owners
          .filter((o) => !o.archived)
          .map((o) => ({ id: o.id, name: `${o.firstName} ${o.lastName}`, email: o.email })),
        stages: store.pipelines.flatMap((p) =>
          p.stages.map((s) => ({
            id: s.id,
            label: s.label,
            pipelineId: p.id,
            ticketState: s.metadata.ticketState,
          })),
        ),
        contacts: store.ordered.contacts
          .filter((c) => !c.archived)
          .slice(0, 500)
          .map((c) => contactSummary(store, staff, c)),
        companies: store.ordered.companies
          .filter((c) => !c.archived)
          .slice(0, 500)
          .map((c) => ({ id: c.id, name: c.props.name ?? '' })),
      }),
    'admin',
  );

  router.add(
    'GET',
    '/_emulator/staff/tickets',
    (ctx) => {
      const q = ctx.query.get('q') ?? '';
      const stage = ctx.query.get('stage') ?? '';
      const owner = ctx.query.get('owner') ?? '';
      const offset = Number(ctx.query.get('offset') ?? '0') || 0;
      const filters: Record<string, unknown>[] = [];
      if (stage) filters.push({ propertyName: 'hs_pipeline_stage', operator: 'EQ', value: stage });
      if (owner === 'none') filters.push({ propertyName: 'hubspot_owner_id', operator: 'NOT_HAS_PROPERTY' });
      else if (owner) filters.push({ propertyName: 'hubspot_owner_id', operator: 'EQ', value: owner });
      const body = {
        ...(q ? { query: q } : {}),
        filterGroups: filters.length > 0 ? [{ filters }] : [],
        sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }],
        limit: 50,
      };
      // The console reads live state, not the (possibly lagging) search index.
      const lag = store.searchLagMs;
      store.searchLagMs = 0;
      try {
        const { total, hits } = runSearch(store, 'tickets', parseSearchRequest(store, 'tickets', body, 0));
        return json(200, {
          total,
          offset,
          results: hits.slice(offset, offset + 50).map((h) => ticketSummary(store, h.rec)),
        });
      } finally {
        store.searchLagMs = lag;
      }
    },
    'admin',
  );

  router.add(
    'GET',
    '/_emulator/staff/tickets/:id',
    (ctx) => {
      const t = store.get('tickets', ctx.params.id ?? '');
      if (!t) throw notFound(`Ticket ${ctx.params.id} does not exist.`);
      const conversation = (['emails', 'notes'] as const)
        .flatMap((type) => store.associatedIds(t, type).map((id) => store.get(type, id)))
        .filter((e): e is CrmRecord => !!e)
        .map((e) => ({
          id: e.id,
          kind:
            e.type === 'notes'
              ? 'note'
              : e.props.hs_email_direction === 'INCOMING_EMAIL'
                ? 'customer'
                : 'agent',
          at: e.props.hs_timestamp ?? iso(e.createdAt),
          from: e.type === 'notes' ? 'Internal note' : (e.props.hs_email_from_email ?? ''),
          text:
            e.type === 'notes'
              ? (e.props.hs_note_body ?? '').replace(/<[^>]*>/g, '')
              : (e.props.hs_email_text ?? ''),
        }))
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      return json(200, {
        ...ticketSummary(store, t),
        content: t.props.content ?? '',
        properties: t.props,
        threadId: threadIdFor(store, t.id),
        conversation,
      });
    },
    'admin',
  );

  router.add(
    'POST',
    '/_emulator/staff/tickets',
    (ctx) => {
      const b = objectBody(ctx);
      const t = staff.createTicket({
        subject: str(b.subject, 'subject'),
        content: str(b.content, 'content', false),
        priority: str(b.priority, 'priority', false) || undefined,
        contactId: str(b.contactId, 'contactId', false) || undefined,
        ownerId: str(b.ownerId, 'ownerId', false) || undefined,
      });
      return json(201, ticketSummary(store, t));
    },
    'admin',
  );

  router.add(
    'POST',
    '/_emulator/staff/tickets/:id/owner',
    (ctx) =>
      json(
        200,
        ticketSummary(
          store,
          staff.assignOwner(ctx.params.id ?? '', str(objectBody(ctx).ownerId, 'ownerId', false)),
        ),
      ),
    'admin',
  );
  router.add(
    'POST',
    '/_emulator/staff/tickets/:id/stage',
    (ctx) =>
      json(
        200,
        ticketSummary(store, staff.moveStage(ctx.params.id ?? '', str(objectBody(ctx).stageId, 'stageId'))),
      ),
    'admin',
  );
  router.add(
    'POST',
    '/_emulator/staff/tickets/:id/reply',
    (ctx) => {
      const body = objectBody(ctx);
      const html = body.html === undefined ? undefined : str(body.html, 'html');
      const text =
        html === undefined ? str(body.text, 'text') : typeof body.text === 'string' ? body.text : '';
      const e = staff.replyToCustomer(ctx.params.id ?? '', text, { html });
      return json(201, { id: e.id });
    },
    'admin',
  );
  router.add(
    'POST',
    '/_emulator/staff/tickets/:id/note',
    (ctx) => {
      const n = staff.addNote(ctx.params.id ?? '', str(objectBody(ctx).text, 'text'));
      return json(201, { id: n.id });
    },
    'admin',
  );
  // Moves a contact to another company ({"companyId": "…"}), or out of every company ({"companyId": null}).
  router.add(
    'POST',
    '/_emulator/staff/contacts/:id/company',
    (ctx) => {
      const body = objectBody(ctx);
      if (!('companyId' in body)) {
        throw badRequest(
          '"companyId" is required: a company id, or null to remove the contact from every company.',
        );
      }
      const companyId = body.companyId === null ? null : str(body.companyId, 'companyId');
      const contact = staff.moveContactToCompany(ctx.params.id ?? '', companyId);
      return json(200, contactSummary(store, staff, contact));
    },
    'admin',
  );
  router.add(
    'DELETE',
    '/_emulator/staff/tickets/:id',
    (ctx) => {
      staff.deleteTicket(ctx.params.id ?? '');
      return { status: 204 };
    },
    'admin',
  );
}
