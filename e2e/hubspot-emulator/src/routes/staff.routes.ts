import { badRequest, notFound } from '../errors';
import { json, objectBody, type Router } from '../http';
import { parseSearchRequest, runSearch } from '../search';
import { iso, type CrmRecord, type Store } from '../store';
import { type StaffActions } from '../staff';
import { fullName } from '../files';
import { attachmentIds, threadIdFor } from './conversations.routes';
import { uploadFromForm } from './files.routes';

// Where files staff attach to replies go, as HubSpot's inbox keeps them: private.
const STAFF_UPLOAD_FOLDER = '/support-replies';
const STAFF_UPLOAD_OPTIONS = JSON.stringify({ access: 'PRIVATE' });
// Download links in the console (signed: the browser cannot send the console key on a link).
const CONSOLE_LINK_SECONDS = 3600;

const str = (v: unknown, name: string, required = true): string => {
  if (v === undefined || v === null || v === '') {
    if (required) throw badRequest(`"${name}" is required.`);
    return '';
  }
  if (typeof v !== 'string') throw badRequest(`"${name}" must be a string.`);
  return v;
};

function openTaskCount(store: Store, t: CrmRecord): number {
  return store
    .associatedIds(t, 'tasks')
    .filter((id) => store.get('tasks', id)?.props.hs_task_status !== 'COMPLETED').length;
}

function stageOf(store: Store, t: CrmRecord) {
  const stage = store.stage(t.props.hs_pipeline ?? '', t.props.hs_pipeline_stage ?? '');
  return {
    id: t.props.hs_pipeline_stage ?? '',
    label: stage?.label ?? t.props.hs_pipeline_stage ?? '',
    ticketState: stage?.metadata.ticketState ?? 'OPEN',
  };
}

/** A task's notes (rich text in HubSpot) as the console shows them: text, line breaks kept. */
function richTextLines(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|blockquote|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, name: string) => entities[name]!)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function taskSummary(store: Store, task: CrmRecord) {
  const owner = task.props.hubspot_owner_id ? store.owner(task.props.hubspot_owner_id, true) : undefined;
  return {
    id: task.id,
    subject: task.props.hs_task_subject ?? '',
    body: richTextLines(task.props.hs_task_body ?? ''),
    status: task.props.hs_task_status ?? 'NOT_STARTED',
    priority: task.props.hs_task_priority ?? null,
    ownerId: task.props.hubspot_owner_id ?? null,
    ownerName: owner ? `${owner.firstName} ${owner.lastName}` : null,
    dueAt: task.props.hs_timestamp ?? null,
    completedAt: task.props.hs_task_completion_date ?? null,
  };
}

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
    stage: stageOf(store, t),
    openTasks: openTaskCount(store, t),
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
export function registerStaffRoutes(
  router: Router,
  store: Store,
  staff: StaffActions,
  baseUrl: () => string,
): void {
  const attachmentsFor = (e: CrmRecord) =>
    attachmentIds(e)
      .map((id) => store.files.get(id))
      .filter((f) => f !== undefined)
      .map((f) => ({
        fileId: f.id,
        name: fullName(f),
        size: f.size,
        url: store.files.signedUrl(f, baseUrl(), CONSOLE_LINK_SECONDS).url,
      }));

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
          attachments: attachmentsFor(e),
        }))
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      return json(200, {
        ...ticketSummary(store, t),
        content: t.props.content ?? '',
        properties: t.props,
        threadId: threadIdFor(store, t.id),
        conversation,
        tasks: staff.ticketTasks(t.id).map((task) => taskSummary(store, task)),
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
      const ids = body.attachmentIds ?? [];
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !/^\d+$/.test(id))) {
        throw badRequest('"attachmentIds" must be a list of file ids (strings of digits).');
      }
      const html = body.html === undefined ? undefined : str(body.html, 'html');
      // A reply may be only files; otherwise it needs text (or HTML to derive it from).
      const text =
        html === undefined && ids.length === 0
          ? str(body.text, 'text')
          : typeof body.text === 'string'
            ? body.text
            : '';
      const e = staff.replyToCustomer(ctx.params.id ?? '', text, { html, attachmentIds: ids as string[] });
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
  // A file for a reply: multipart with a "file" part, stored privately in /support-replies.
  router.add(
    'POST',
    '/_emulator/staff/files',
    async (ctx) => {
      const { file } = await uploadFromForm(store.files, ctx, {
        folderPath: STAFF_UPLOAD_FOLDER,
        options: STAFF_UPLOAD_OPTIONS,
      });
      return json(201, { id: file.id, name: fullName(file), size: file.size });
    },
    'admin',
  );
  router.add(
    'POST',
    '/_emulator/staff/tasks/:id/complete',
    (ctx) => json(200, taskSummary(store, staff.completeTask(ctx.params.id ?? ''))),
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
