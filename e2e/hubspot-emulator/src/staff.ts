import { associationDefinition } from './associations-schema';
import { AssociationTypeId } from './constants';
import { badRequest, notFound } from './errors';
import { normaliseProperties } from './object-input';
import { createObject } from './routes/crm-objects.routes';
import { iso, type CrmRecord, type Store } from './store';

export interface StaffTicketInput {
  subject: string;
  content?: string;
  priority?: string;
  category?: string;
  ownerId?: string;
  stageId?: string;
  contactId?: string;
  /** Associates the contact's primary company as the ticket's primary company too. */
  withCompany?: boolean;
}

/**
 * What support staff do in HubSpot, as the console and tests do it: every action goes through the
 * same validation, state and webhooks as the public API, with changeSource CRM_UI.
 */
export class StaffActions {
  constructor(private readonly store: Store) {}

  private ticket(id: string): CrmRecord {
    const t = this.store.get('tickets', id);
    if (!t) throw notFound(`Ticket ${id} does not exist.`);
    return t;
  }

  private patch(id: string, properties: Record<string, string>): CrmRecord {
    const t = this.ticket(id);
    const changes = normaliseProperties(this.store, 'tickets', properties, t);
    this.store.update(t, changes, { source: 'CRM_UI' });
    return t;
  }

  /** Assigns an owner (empty string unassigns). */
  assignOwner(ticketId: string, ownerId: string): CrmRecord {
    return this.patch(ticketId, { hubspot_owner_id: ownerId });
  }

  moveStage(ticketId: string, stageId: string): CrmRecord {
    return this.patch(ticketId, { hs_pipeline_stage: stageId });
  }

  updateTicket(ticketId: string, properties: Record<string, string>): CrmRecord {
    return this.patch(ticketId, properties);
  }

  /**
   * Sends an email to the ticket's contact: an outgoing EMAIL engagement on the ticket and contact.
   * With `html`, the email also carries an HTML body (`hs_email_html`), as mails written in HubSpot's
   * editor do; the plain text is then derived from it when `text` is empty.
   */
  replyToCustomer(
    ticketId: string,
    text: string,
    options: { ownerId?: string; html?: string; attachmentIds?: string[] } = {},
  ): CrmRecord {
    const t = this.ticket(ticketId);
    const { ownerId, html, attachmentIds = [] } = options;
    if (html !== undefined && !text.trim()) text = htmlToText(html);
    if (!text.trim() && attachmentIds.length === 0) throw badRequest('The reply text is empty.');
    const contactId = this.store.associatedIds(t, 'contacts')[0];
    const contact = contactId ? this.store.get('contacts', contactId) : undefined;
    const owner =
      this.store.owner(ownerId ?? t.props.hubspot_owner_id ?? '') ??
      this.store.owners.find((o) => !o.archived);
    const headers = {
      from: owner
        ? { email: owner.email, firstName: owner.firstName, lastName: owner.lastName }
        : { email: 'support@synchtank.example' },
      to: contact
        ? [
            {
              email: contact.props.email,
              firstName: contact.props.firstname,
              lastName: contact.props.lastname,
            },
          ]
        : [],
      cc: [],
      bcc: [],
    };
    const associations: {
      to: { id: string };
      types: { associationCategory: string; associationTypeId: number }[];
    }[] = [
      {
        to: { id: t.id },
        types: [
          { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: AssociationTypeId.emailToTicket },
        ],
      },
    ];
    if (contact) {
      associations.push({
        to: { id: contact.id },
        types: [
          { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: AssociationTypeId.emailToContact },
        ],
      });
    }
    return createObject(
      this.store,
      'emails',
      {
        properties: {
          hs_timestamp: iso(this.store.now()),
          hs_email_direction: 'EMAIL',
          hs_email_status: 'SENT',
          hs_email_subject: `Re: ${t.props.subject ?? ''}`,
          hs_email_text: text,
          ...(html !== undefined ? { hs_email_html: html } : {}),
          ...(attachmentIds.length > 0 ? { hs_attachment_ids: attachmentIds.join(';') } : {}),
          hs_email_headers: JSON.stringify(headers),
          ...(owner ? { hubspot_owner_id: owner.id } : {}),
        },
        associations,
      },
      'CRM_UI',
    );
  }

  /** The ticket's tasks, open ones first (by due date), then completed ones (newest first). */
  ticketTasks(ticketId: string): CrmRecord[] {
    const t = this.ticket(ticketId);
    const tasks = this.store
      .associatedIds(t, 'tasks')
      .map((id) => this.store.get('tasks', id))
      .filter((x): x is CrmRecord => x !== undefined);
    const done = (x: CrmRecord) => x.props.hs_task_status === 'COMPLETED';
    const due = (x: CrmRecord) => Date.parse(x.props.hs_timestamp ?? '') || 0;
    return [
      ...tasks.filter((x) => !done(x)).sort((a, b) => due(a) - due(b)),
      ...tasks
        .filter(done)
        .sort((a, b) =>
          (b.props.hs_task_completion_date ?? '').localeCompare(a.props.hs_task_completion_date ?? ''),
        ),
    ];
  }

  /** Marks a task done, as staff do with the checkbox in HubSpot's task list. */
  completeTask(taskId: string): CrmRecord {
    const task = this.store.get('tasks', taskId);
    if (!task) throw notFound(`Task ${taskId} does not exist.`);
    const changes = normaliseProperties(this.store, 'tasks', { hs_task_status: 'COMPLETED' }, task);
    this.store.update(task, changes, { source: 'CRM_UI' });
    return task;
  }

  /** An internal note on the ticket (never customer-visible). */
  addNote(ticketId: string, body: string, ownerId?: string): CrmRecord {
    const t = this.ticket(ticketId);
    if (!body.trim()) throw badRequest('The note is empty.');
    const owner = this.store.owner(ownerId ?? t.props.hubspot_owner_id ?? '');
    return createObject(
      this.store,
      'notes',
      {
        properties: {
          hs_timestamp: iso(this.store.now()),
          hs_note_body: body,
          ...(owner ? { hubspot_owner_id: owner.id } : {}),
        },
        associations: [
          {
            to: { id: t.id },
            types: [
              { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: AssociationTypeId.noteToTicket },
            ],
          },
        ],
      },
      'CRM_UI',
    );
  }

  /**
   * Moves a contact to another company, as staff do when a person changes employer: `companyId`
   * becomes the contact's primary company and every other company association is removed; null
   * removes them all (the person left and works nowhere we know). HubSpot reports each added and
   * removed association as an associationChange from both sides; the contact's properties and
   * lastmodifieddate stay as they were (HubSpot does not promise to move them for associations).
   */
  moveContactToCompany(contactId: string, companyId: string | null): CrmRecord {
    const contact = this.store.get('contacts', contactId);
    if (!contact) throw notFound(`Contact ${contactId} does not exist.`);
    const opts = { source: 'CRM_UI' as const };
    if (companyId !== null) {
      const company = this.store.get('companies', companyId);
      if (!company) throw badRequest(`Company ${companyId} does not exist.`);
      const primary = associationDefinition(AssociationTypeId.primaryContactToCompany);
      if (!primary) throw new Error('The contact→primary company association is not defined.');
      this.store.associate(contact, company, primary, opts);
    }
    for (const otherId of this.store.associatedIds(contact, 'companies')) {
      if (otherId === companyId) continue;
      const other = this.store.get('companies', otherId);
      if (other) this.store.dissociateTypes(contact, other, undefined, opts);
    }
    return contact;
  }

  /** The company a contact belongs to: its primary company, if any. */
  contactCompanyId(contactId: string): string | undefined {
    const contact = this.store.get('contacts', contactId);
    if (!contact) throw notFound(`Contact ${contactId} does not exist.`);
    for (const [id, types] of contact.assoc.companies ?? []) {
      if (types.includes(AssociationTypeId.primaryContactToCompany) && this.store.get('companies', id)) {
        return id;
      }
    }
    return undefined;
  }

  deleteTicket(ticketId: string): void {
    this.store.archive(this.ticket(ticketId), { source: 'CRM_UI' });
  }

  createTicket(input: StaffTicketInput): CrmRecord {
    if (!input.subject?.trim()) throw badRequest('A ticket needs a subject.');
    const associations: {
      to: { id: string };
      types: { associationCategory: string; associationTypeId: number }[];
    }[] = [];
    if (input.contactId) {
      const contact = this.store.get('contacts', input.contactId);
      if (!contact) throw badRequest(`Contact ${input.contactId} does not exist.`);
      associations.push({
        to: { id: contact.id },
        types: [
          { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: AssociationTypeId.ticketToContact },
        ],
      });
      if (input.withCompany !== false) {
        const companyId = [...(contact.assoc.companies ?? new Map<string, number[]>())].find(([, types]) =>
          types.includes(AssociationTypeId.primaryContactToCompany),
        )?.[0];
        if (companyId) {
          associations.push({
            to: { id: companyId },
            types: [
              {
                associationCategory: 'HUBSPOT_DEFINED',
                associationTypeId: AssociationTypeId.primaryTicketToCompany,
              },
            ],
          });
        }
      }
    }
    return createObject(
      this.store,
      'tickets',
      {
        properties: {
          subject: input.subject,
          ...(input.content ? { content: input.content } : {}),
          ...(input.priority ? { hs_ticket_priority: input.priority } : {}),
          ...(input.category ? { hs_ticket_category: input.category } : {}),
          ...(input.ownerId ? { hubspot_owner_id: input.ownerId } : {}),
          ...(input.stageId ? { hs_pipeline_stage: input.stageId } : {}),
          source_type: 'PHONE',
        },
        associations,
      },
      'CRM_UI',
    );
  }

  /** Convenience for tests and the console: the primary company of a ticket, if any. */
  primaryCompanyId(ticketId: string): string | undefined {
    const t = this.ticket(ticketId);
    const def = associationDefinition(AssociationTypeId.primaryTicketToCompany);
    for (const [id, types] of t.assoc.companies ?? []) if (def && types.includes(def.typeId)) return id;
    return undefined;
  }
}

/** The readable text of an HTML body, roughly as a mail client's plain-text part would have it. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}
