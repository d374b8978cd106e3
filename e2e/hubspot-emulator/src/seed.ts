import {
  AssociationTypeId as A,
  DEFAULT_PIPELINE_ID,
  DEMO_COMPANY_DOMAIN,
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

const OWNERS: [string, string, string][] = [
  ['Maya', 'Okafor', 'Support Tier 1'],
  ['Tom', 'Lindqvist', 'Support Tier 1'],
  ['Aisha', 'Rahman', 'Support Tier 1'],
  ['Daniel', 'Brennan', 'Support Tier 2'],
  ['Sofia', 'Marquez', 'Support Tier 2'],
  ['Kenji', 'Watanabe', 'Support Tier 2'],
  ['Hannah', 'Fischer', 'Rights Operations'],
  ['Oliver', 'Grant', 'Rights Operations'],
  ['Chloe', 'Dubois', 'Rights Operations'],
  ['Ravi', 'Menon', 'Integrations'],
  ['Grace', 'Whitfield', 'Integrations'],
  ['Lukas', 'Novak', 'Support Tier 1'],
];

const COMPANIES: [string, string, string, string][] = [
  [DEMO_COMPANY_NAME, DEMO_COMPANY_DOMAIN, 'Music publishing', 'Bristol'],
  ['Northern Quarter Publishing', 'nqpublishing.example', 'Music publishing', 'Manchester'],
  ['Blue Fern Records', 'bluefern.example', 'Record label', 'Dublin'],
  ['Meridian Sync Agency', 'meridiansync.example', 'Sync agency', 'London'],
  ['Copperline Media', 'copperline.example', 'Broadcast', 'Toronto'],
  ['Saltmarsh Audio', 'saltmarsh.example', 'Production music', 'Brighton'],
  ['Kestrel Film & TV', 'kestrelfilm.example', 'Film and TV production', 'Los Angeles'],
  ['Lantern Street Music Library', 'lanternstreet.example', 'Production music', 'Nashville'],
];

const FIRST = [
  'Priya',
  'Jonas',
  'Elena',
  'Marcus',
  'Fatima',
  'Liam',
  'Noor',
  'Ben',
  'Isla',
  'Mateo',
  'Zara',
  'Owen',
  'Leah',
  'Kofi',
  'Ines',
  'Sam',
  'Yuki',
  'Ruth',
  'Adam',
  'Mila',
];
const LAST = [
  'Shah',
  'Berg',
  'Rossi',
  'Cole',
  'Haddad',
  'Walsh',
  'Karimi',
  'Price',
  'Reid',
  'Santos',
  'Ahmed',
  'Hughes',
  'Klein',
  'Mensah',
  'Costa',
  'Young',
  'Tanaka',
  'Byrne',
  'Novak',
  'Lopez',
];
const TITLES = [
  'Head of Rights',
  'Royalty Analyst',
  'Licensing Manager',
  'Metadata Coordinator',
  'Catalogue Manager',
  'Finance Director',
  'Sync Manager',
];
const WORDS_A = [
  'Silver',
  'Harbour',
  'Granite',
  'Velvet',
  'Amber',
  'Echo',
  'Riverside',
  'Paper',
  'Neon',
  'Orchard',
  'Cobalt',
  'Wildflower',
];
const WORDS_B = ['Music', 'Records', 'Publishing', 'Sync', 'Audio', 'Media', 'Songs', 'Rights'];

const CATALOGUES = [
  'Back Catalogue 2019',
  'Acoustic Moods',
  'Cinematic Trailers Vol. 3',
  'Lo-Fi Beats',
  'Nordic Noir Scores',
  'Summer Pop 2024',
  'Orchestral Essentials',
];
const TERRITORIES = ['Germany', 'Japan', 'Brazil', 'the US', 'France', 'Australia', 'Canada'];
const PARTNERS = ['Spotify', 'YouTube Content ID', 'PRS', 'ASCAP', 'GEMA', 'SoundExchange', 'Apple Music'];

interface Template {
  subject: string;
  content: string;
  category: string;
  agent: string;
  customer: string;
}

const TEMPLATES: Template[] = [
  {
    subject: 'Royalty statement for {partner} is missing Q{q} lines',
    content:
      'Our {partner} royalty statement for Q{q} shows no lines for the "{cat}" catalogue, although usage reports show streams in {territory}. Can you check the import?',
    category: 'PRODUCT_ISSUE',
    agent:
      'Thanks for flagging this. The {partner} file for Q{q} was only partly ingested; we have re-run the import for "{cat}" and the lines should appear within the hour.',
    customer:
      'Thanks, I can see most of the lines now, but the {territory} totals still look low. Could you double-check?',
  },
  {
    subject: 'Cue sheet export fails for episode {n}',
    content:
      'Exporting the cue sheet for episode {n} stops with "Unexpected error" at 80%. Other episodes in the series export fine.',
    category: 'PRODUCT_ISSUE',
    agent:
      'We found a cue with a zero-length duration in episode {n} that broke the export. It is fixed on our side; please try again.',
    customer: 'That worked, thank you. Is there a way to catch zero-length cues before export next time?',
  },
  {
    subject: 'Invoice {n} charged twice',
    content: 'Our card was charged twice for invoice {n} this month. Please refund the duplicate payment.',
    category: 'BILLING_ISSUE',
    agent:
      'Apologies for that. We have refunded the duplicate charge for invoice {n}; it can take 5-10 working days to show on your statement.',
    customer: 'Great, thanks for the quick refund.',
  },
  {
    subject: 'Add bulk editing of ISRC codes',
    content:
      'We need to correct ISRC codes on several hundred tracks in "{cat}". Editing them one by one takes hours. Could bulk editing be added?',
    category: 'FEATURE_REQUEST',
    agent:
      'Thanks for the suggestion. Bulk metadata editing is on our roadmap; in the meantime our team can apply a spreadsheet of ISRC corrections for you.',
    customer: 'That would help. I will send the spreadsheet over this week.',
  },
  {
    subject: 'Sync licence quote for {territory} broadcast',
    content:
      'A broadcaster in {territory} asked for a quote to use two tracks from "{cat}". How do I generate a quote with territory-specific terms?',
    category: 'GENERAL_INQUIRY',
    agent:
      'You can create the quote from the track page: choose "New quote", then set the territory to {territory} under Terms. I have attached a short guide.',
    customer: 'Found it, thanks. Can the quote template include our logo?',
  },
  {
    subject: 'DDEX delivery to {partner} rejected',
    content:
      'Our latest DDEX ERN delivery to {partner} was rejected with a validation error about release dates.',
    category: 'PRODUCT_ISSUE',
    agent:
      'The release date in the ERN was in the wrong format for {partner}. We have corrected the mapping and re-sent the delivery.',
    customer: '{partner} confirmed receipt this morning. Thanks for sorting it out.',
  },
  {
    subject: 'Users cannot log in after SSO change',
    content:
      'Since we switched our identity provider yesterday, three of our users get "access denied" when they sign in.',
    category: 'PRODUCT_ISSUE',
    agent:
      'The new identity provider sends a different user identifier. We have updated the mapping for your account; please ask the users to try again.',
    customer: 'Two of them are in now, one still gets the error.',
  },
  {
    subject: 'Question about splitting writer shares',
    content:
      'How should we record a co-write where the writer shares are 33.3 / 33.3 / 33.4? The form rounds to whole numbers.',
    category: 'GENERAL_INQUIRY',
    agent:
      'Shares accept up to two decimal places if you type them in the split editor rather than using the slider. I have checked your track and it is set up correctly now.',
    customer: 'Perfect, that is exactly what I needed.',
  },
  {
    subject: 'Upgrade plan to add five more seats',
    content: 'We are growing the licensing team and need five more seats. Can we upgrade mid-term?',
    category: 'BILLING_ISSUE',
    agent:
      'Yes, seats can be added mid-term and are billed pro rata. I have sent an updated order form for you to sign.',
    customer: 'Signed and returned. When will the seats be available?',
  },
  {
    subject: 'Search does not find tracks by alternate title',
    content:
      'Searching for the alternate title of "{cat}" tracks returns nothing. The alternate titles are filled in on the track pages.',
    category: 'PRODUCT_ISSUE',
    agent:
      'Alternate titles were not being indexed for tracks imported via CSV. We have rebuilt the search index for your catalogue.',
    customer: 'Search works now. Thank you!',
  },
  {
    subject: 'Request: export usage report as CSV',
    content: 'Our finance team would like to export the monthly usage report as CSV instead of PDF.',
    category: 'FEATURE_REQUEST',
    agent:
      'A CSV export is available under Reports > Usage > Export. It was released last month, so you may need to refresh the page.',
    customer: 'Got it, thanks.',
  },
  {
    subject: 'Duplicate tracks after catalogue import',
    content:
      'After importing "{cat}" we have around {n} duplicate tracks. Can these be merged without losing the licence history?',
    category: 'PRODUCT_ISSUE',
    agent:
      'We can merge the duplicates and keep the licence history on the surviving track. Please confirm and we will run the merge tonight.',
    customer: 'Confirmed, please go ahead.',
  },
];

const NOTES = [
  'Checked the logs: the import job for this account timed out twice last night.',
  'Customer is on the Enterprise plan; keep the SLA in mind.',
  'Escalated to engineering, see the linked issue.',
  'Called the customer to confirm the details.',
];

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
