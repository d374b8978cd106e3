import {
  AssociationTypeId as A,
  DEFAULT_PIPELINE_ID,
  DEMO_COMPANY_NAME,
  DEMO_CONTACT_EMAIL,
  DEMO_CONTACT_FIRSTNAME,
  DEMO_CONTACT_LASTNAME,
  STAGE_CLOSED,
  STAGE_NEW,
  STAGE_WAITING_ON_CONTACT,
  STAGE_WAITING_ON_US,
  type ObjectType,
} from './constants';
import { iso, type CrmRecord, type Owner, type Store } from './store';
import {
  CATALOGUES,
  COMPANIES,
  FIRST,
  LAST,
  NOTES,
  OWNERS,
  PARTNERS,
  TEMPLATES,
  TERRITORIES,
  TITLES,
  WORDS_A,
  WORDS_B,
} from './seed-data';

export interface SeedOptions {
  /** Number of tickets to create. */
  tickets: number;
  /** PRNG seed: the same seed and `now` give the same data. */
  seed?: number;
  /** The end of the two-year period the tickets are spread over (default: now, to the hour). */
  now?: number;
  /** Share of tickets that belong to the demo company (default 0.25). */
  demoCompanyShare?: number;
}

export interface SeedResult {
  owners: number;
  companies: number;
  contacts: number;
  tickets: number;
  emails: number;
  notes: number;
  ms: number;
}

/** mulberry32: a tiny, fast, deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fill(s: string, vars: Record<string, string>): string {
  return s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? k);
}

const HOUR = 3_600_000;
/** Tickets (newest first) that get email and note records; see the note in seedStore. */
const CONVERSATION_WINDOW = 20_000;
const DAY = 24 * HOUR;

/** Fills the store with deterministic demo data; returns counts and the time it took. */
export function seedStore(store: Store, options: SeedOptions): SeedResult {
  const started = performance.now();
  const rnd = prng(options.seed ?? 20260101);
  const now = options.now ?? Math.floor(store.now() / HOUR) * HOUR;
  const start = now - 730 * DAY;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const counts = { owners: 0, companies: 0, contacts: 0, tickets: 0, emails: 0, notes: 0 };

  const make = (
    type: ObjectType,
    props: Record<string, string>,
    createdAt: number,
    updatedAt: number,
  ): CrmRecord => {
    const id = store.nextId(type);
    props.hs_object_id = id;
    const rec: CrmRecord = {
      id,
      type,
      props,
      createdAt,
      updatedAt,
      archived: false,
      archivedAt: null,
      assoc: {},
    };
    store.insert(rec);
    return rec;
  };

  // Owners: a dozen, one of them archived (left the company).
  if (store.owners.length === 0) {
    OWNERS.forEach(([firstName, lastName, team], i) => {
      const created = start - (400 - i * 20) * DAY;
      const owner: Owner = {
        id: String(41_629_779 + i * 1_013),
        email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@synchtank.example`,
        firstName,
        lastName,
        userId: 9_586_504 + i * 17,
        type: 'PERSON',
        createdAt: created,
        updatedAt: created + 30 * DAY,
        archived: i === OWNERS.length - 1,
        teams: [
          {
            id: String(
              368_389 +
                ['Support Tier 1', 'Support Tier 2', 'Rights Operations', 'Integrations'].indexOf(team),
            ),
            name: team,
            primary: true,
          },
        ],
      };
      store.owners.push(owner);
      counts.owners += 1;
    });
  }
  const activeOwners = store.owners.filter((o) => !o.archived);

  // Companies with five contacts each; the demo contact is the first at the demo company.
  const companyCount = Math.max(COMPANIES.length, Math.ceil(options.tickets / 400));
  const companies: { rec: CrmRecord; contacts: CrmRecord[] }[] = [];
  for (let c = 0; c < companyCount; c++) {
    const [name, domain, industry, city] = COMPANIES[c] ?? [
      `${pick(WORDS_A)} ${pick(WORDS_B)} ${c}`,
      `company${c}.example`,
      'Music publishing',
      'London',
    ];
    if (c === 0 && store.contactByEmail(DEMO_CONTACT_EMAIL)) break; // already seeded once
    const created = start - Math.floor(rnd() * 200) * DAY;
    const company = make(
      'companies',
      { name, domain, industry, city, createdate: iso(created), hs_lastmodifieddate: iso(created) },
      created,
      created,
    );
    counts.companies += 1;
    const contacts: CrmRecord[] = [];
    for (let k = 0; k < 5; k++) {
      const demo = c === 0 && k === 0;
      const first = demo ? DEMO_CONTACT_FIRSTNAME : (FIRST[(c * 5 + k) % FIRST.length] as string);
      const last = demo ? DEMO_CONTACT_LASTNAME : (LAST[(c * 7 + k * 3) % LAST.length] as string);
      const email = demo
        ? DEMO_CONTACT_EMAIL
        : `${first.toLowerCase()}.${last.toLowerCase()}${c >= COMPANIES.length ? c : ''}@${domain}`;
      const cc = created + Math.floor(rnd() * 30) * DAY;
      const contact = make(
        'contacts',
        {
          email,
          firstname: first,
          lastname: last,
          company: name,
          jobtitle: pick(TITLES),
          lifecyclestage: 'customer',
          associatedcompanyid: company.id,
          createdate: iso(cc),
          lastmodifieddate: iso(cc),
        },
        cc,
        cc,
      );
      counts.contacts += 1;
      store.linkQuietly(contact, company, A.contactToCompany, A.companyToContact);
      store.linkQuietly(contact, company, A.primaryContactToCompany, A.primaryCompanyToContact);
      contacts.push(contact);
    }
    companies.push({ rec: company, contacts });
  }
  if (companies.length === 0) {
    // Tickets only (a second seed on a seeded store): reuse the existing companies and contacts.
    for (const rec of store.ordered.companies) {
      if (rec.archived) continue;
      const contacts = store
        .associatedIds(rec, 'contacts')
        .map((id) => store.get('contacts', id))
        .filter((x): x is CrmRecord => !!x);
      if (contacts.length > 0) companies.push({ rec, contacts });
    }
  }

  // Ticket creation times over two years, in order, so ids grow with createdate as in HubSpot.
  const times = new Float64Array(options.tickets);
  // A fifth of them in the last 60 days, so a demo has recent, open tickets.
  for (let i = 0; i < options.tickets; i++) {
    times[i] =
      rnd() < 0.2 ? now - 60 * DAY + rnd() * (60 * DAY - HOUR) : start + rnd() * (now - start - HOUR);
  }
  times.sort();
  const demoShare = options.demoCompanyShare ?? 0.25;
  const demoCompany = companies.find((c) => c.rec.props.name === DEMO_COMPANY_NAME) ?? companies[0];
  const priorities = ['LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'URGENT'];
  const sources = ['EMAIL', 'EMAIL', 'EMAIL', 'FORM', 'FORM', 'PHONE', 'CHAT'];
  const linkEmailsToContacts = options.tickets <= 20_000;

  for (let i = 0; i < options.tickets; i++) {
    const created = Math.floor(times[i] as number);
    const company = demoCompany && rnd() < demoShare ? demoCompany : pick(companies);
    if (!company) break;
    const contact =
      company === demoCompany && rnd() < 0.4 ? (company.contacts[0] as CrmRecord) : pick(company.contacts);
    const t = pick(TEMPLATES);
    const vars = {
      partner: pick(PARTNERS),
      cat: pick(CATALOGUES),
      territory: pick(TERRITORIES),
      q: String(1 + Math.floor(rnd() * 4)),
      n: String(100 + Math.floor(rnd() * 900)),
    };
    const age = now - created;
    const owner = age < 2 * DAY && rnd() < 0.5 ? undefined : pick(activeOwners);
    // Older tickets are mostly closed; recent ones spread over the open stages.
    const closed = age > 45 * DAY ? rnd() < 0.93 : age > 7 * DAY ? rnd() < 0.5 : rnd() < 0.2;
    const stage = closed
      ? STAGE_CLOSED
      : !owner
        ? STAGE_NEW
        : pick([STAGE_NEW, STAGE_WAITING_ON_CONTACT, STAGE_WAITING_ON_US, STAGE_WAITING_ON_US]);
    const replies = stage === STAGE_NEW ? 0 : 1 + Math.floor(rnd() * 3);
    const subject = fill(t.subject, vars);
    const content = fill(t.content, vars);
    const createdIso = iso(created);
    let lastActivity = created;
    const props: Record<string, string> = {
      subject,
      content,
      hs_pipeline: DEFAULT_PIPELINE_ID,
      hs_pipeline_stage: stage,
      hs_ticket_priority: pick(priorities),
      hs_ticket_category: t.category,
      source_type: pick(sources),
      createdate: createdIso,
      hs_helpdesk_sort_timestamp: createdIso,
      hs_object_source: 'EMAIL',
      hs_object_source_label: 'EMAIL',
      hs_is_closed: closed ? 'true' : 'false',
      hs_primary_company_id: company.rec.id,
      hs_primary_company_name: company.rec.props.name ?? '',
      num_notes: '0',
    };
    if (owner) {
      props.hubspot_owner_id = owner.id;
      props.hubspot_owner_assigneddate = iso(created + Math.floor(rnd() * 4 * HOUR));
    }
    const ticket = make('tickets', props, created, created);
    props.hs_ticket_id = ticket.id;
    counts.tickets += 1;
    store.linkQuietly(ticket, contact, A.ticketToContact, A.contactToTicket);
    store.linkQuietly(ticket, company.rec, A.ticketToCompany, A.companyToTicket);
    store.linkQuietly(ticket, company.rec, A.primaryTicketToCompany, A.primaryCompanyToTicket);

    // The conversation: the customer's first email, then alternating agent and customer replies.
    let at = created;
    const end = closed ? Math.min(now, created + (2 + Math.floor(rnd() * 10)) * DAY) : now;
    const addEmail = (incoming: boolean, text: string, when: number): void => {
      const from = incoming
        ? { email: contact.props.email, firstName: contact.props.firstname, lastName: contact.props.lastname }
        : {
            email: owner?.email ?? 'support@synchtank.example',
            firstName: owner?.firstName,
            lastName: owner?.lastName,
          };
      const to = incoming
        ? { email: owner?.email ?? 'support@synchtank.example' }
        : {
            email: contact.props.email,
            firstName: contact.props.firstname,
            lastName: contact.props.lastname,
          };
      const whenIso = iso(when);
      lastActivity = when;
      if (withConversation) {
        const e = make(
          'emails',
          {
            hs_timestamp: whenIso,
            hs_createdate: whenIso,
            hs_lastmodifieddate: whenIso,
            hs_email_direction: incoming ? 'INCOMING_EMAIL' : 'EMAIL',
            hs_email_status: 'SENT',
            hs_email_subject: incoming && when === created ? subject : `Re: ${subject}`,
            hs_email_text: text,
            hs_email_from_email: from.email ?? '',
            hs_email_to_email: to.email ?? '',
            ...(owner ? { hubspot_owner_id: owner.id } : {}),
          },
          when,
          when,
        );
        counts.emails += 1;
        store.linkQuietly(e, ticket, A.emailToTicket, A.ticketToEmail);
        // Large benchmark seeds skip the email↔contact link to stay small; the ticket link is always there.
        if (linkEmailsToContacts) store.linkQuietly(e, contact, A.emailToContact, A.contactToEmail);
      }
      props.hs_lastactivitydate = whenIso;
      props.hs_last_email_date = whenIso;
      if (incoming) {
        props.last_reply_date = whenIso;
        props.hs_last_message_received_at = whenIso;
        props.hs_last_message_from_visitor = 'true';
        props.hs_last_email_activity = when === created ? 'ORIGINAL_FROM_CONTACT' : 'REPLY_FROM_CONTACT';
      } else {
        props.hs_last_message_sent_at = whenIso;
        props.hs_last_message_from_visitor = 'false';
        props.hs_last_email_activity = 'SENT_TO_CONTACT';
        props.notes_last_contacted = whenIso;
        props.first_agent_reply_date ??= whenIso;
        props.time_to_first_agent_reply ??= String(when - created);
      }
    };
    // Big benchmark seeds keep engagement records for the newest tickets only (memory and time);
    // the activity properties of older tickets are still derived from their full timeline.
    const withConversation = i >= options.tickets - CONVERSATION_WINDOW;
    addEmail(true, content, created);
    for (let r = 0; r < replies; r++) {
      const next = at + Math.floor((1 + rnd() * 20) * HOUR);
      if (next >= end) break;
      at = next;
      addEmail(r % 2 === 1, fill(r % 2 === 0 ? t.agent : t.customer, vars), at);
    }
    if (replies > 1 && rnd() < 0.3) {
      const when = Math.min(end - 1, at + HOUR);
      if (when > created && withConversation) {
        const noteIso = iso(when);
        const n = make(
          'notes',
          {
            hs_timestamp: noteIso,
            hs_createdate: noteIso,
            hs_lastmodifieddate: noteIso,
            hs_note_body: `<p>${pick(NOTES)}</p>`,
            ...(owner ? { hubspot_owner_id: owner.id } : {}),
          },
          when,
          when,
        );
        counts.notes += 1;
        store.linkQuietly(n, ticket, A.noteToTicket, A.ticketToNote);
        props.notes_last_updated = noteIso;
        props.num_notes = '1';
        if (lastActivity < when) {
          lastActivity = when;
          props.hs_lastactivitydate = noteIso;
        }
      }
    }
    let modified = Math.max(at, lastActivity);
    if (closed) {
      const closedAt = Math.max(at + HOUR, Math.min(end, now - HOUR));
      props.closed_date = iso(closedAt);
      props.hs_last_closed_date = props.closed_date;
      props.time_to_close = String(closedAt - created);
      lastActivity = Math.max(closedAt, lastActivity);
      props.hs_lastactivitydate = iso(lastActivity);
      modified = Math.max(modified, closedAt);
    }
    props.hs_lastmodifieddate = iso(modified);
    ticket.updatedAt = modified;
  }
  return { ...counts, ms: Math.round(performance.now() - started) };
}
