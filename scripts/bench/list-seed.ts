// Seeds the ticket mirror of the list benchmark straight into MySQL: BENCH_LIST_TICKETS (default
// 1,000,000) tickets with subjects and descriptions drawn from a word vocabulary (Zipf-like, so some
// words are common and most are rare), 60 owners (15 % unassigned), 200,000 contacts in 20,000
// companies, four stages (about 60 % closed), priorities, categories and three years of dates. One
// company holds BENCH_LIST_COMPANY_TICKETS (10,000) tickets and one of its contacts a few hundred.
// Deterministic (seeded PRNG). The secondary indexes are dropped during the load and rebuilt after
// it (sorted builds are far faster than 1 M random inserts into 20 B-trees).
import type { Connection, RowDataPacket } from 'mysql2/promise';

export const BENCH_COMPANY_ID = '9000000001';
export const BENCH_CONTACT_ID = '8000000001';
export const BENCH_CONTACT_TICKETS = 400;
/** Tickets of its company the bench contact is in copy on (issue 15), and of other companies. */
export const BENCH_CONTACT_CC_COMPANY = 100;
export const BENCH_CONTACT_CC_OTHER = 50;

const COMPANIES = 20_000;
const CONTACTS = 200_000;
const OWNERS = 60;
const BATCH = 2_000;

const BASE_WORDS = `account access activation address admin alert analytics android api app approval archive
attachment audit backup balance bandwidth banner billing booking bounce branch browser bug build button
cache calendar campaign cancel card cart certificate change charge chart checkout chrome client cloud
code company config connection contact contract cookie copy coupon credit crash csv customer dashboard
data database deadline delay delete delivery deploy desktop discount display dns domain download draft
duplicate edit email error estimate event export failure feature feed field file filter firewall font
form format gateway group guest hardware header import inbox install integration invoice ios item key
label language laptop layout license limit link list load locale lock log login logo mail manager
margin member merge message migration mobile monitor network newsletter notification order outage
package page password payment pdf performance permission phone plan plugin policy portal preview price
printer privacy product profile project proxy purchase query queue quota receipt record redirect
refund region release report request reset response restore role router schedule screen script search
security server service session setting setup shipping signature sitemap slow sms software spam
storage subscription support sync tax template ticket timeout token tracking transfer trial update
upgrade upload user vendor version video voucher warehouse webhook website widget wifi workflow
zone invoice_copy résumé café naïve façade Zürich München Ångström`
  .split(/\s+/)
  .filter(Boolean)
  .map((w) => w.replace('_', ' '));

const VERBS = `not working fails missing wrong broken slow stuck delayed duplicated rejected blocked expired
cannot open cannot save keeps asking needs help question about request for issue with problem with`.split(
  /\s+/,
);

const FIRST = `Ada Alan Alex Amara Anna Ben Bruno Carla Chen Chloé Dana David Elena Emil Eva Farah Felix
Grace Hana Hugo Ines Ivan Jamal Jana Jonas José Julia Karim Kate Lars Lea Leo Lina Luca Maja Marco Maria
Mateo Mia Nadia Nico Noah Olga Omar Paula Pedro Priya Rafael Rosa Sami Sara Sofia Tariq Tomás Una Vera
Wei Yara Zoé`.split(/\s+/);
const LAST = `Adams Bauer Becker Brown Castro Chen Costa Dubois Fischer García Gómez Hansen Ito Jensen Khan
Kim Klein Kowalski Larsen Lee Lopez Martin Meyer Moreau Müller Nguyen Novak Okafor Olsen Patel Peña Rossi
Santos Schmidt Silva Smith Suzuki Tanaka Vogel Wagner Walker Weber Wilson Wong Young Zimmermann`.split(/\s+/);

const STAGES = [
  { id: '1', label: 'New', order: 0, closed: 0 },
  { id: '2', label: 'Waiting on contact', order: 1, closed: 0 },
  { id: '3', label: 'Waiting on us', order: 2, closed: 0 },
  { id: '4', label: 'Closed', order: 3, closed: 1 },
];
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];
const CATEGORIES = ['PRODUCT_ISSUE', 'BILLING_ISSUE', 'FEATURE_REQUEST', 'GENERAL_INQUIRY'];

/** mulberry32: a small, fast, seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 5,000 words: the support words above, then made-up ones from syllables (rare words). */
export function vocabulary(): string[] {
  const random = rng(7);
  const syllables = 'ka lo mi ne ru sa te vo zi pa da fe gu hi jo be ci to la mo'.split(' ');
  const words = [...new Set(BASE_WORDS)];
  const seen = new Set(words);
  while (words.length < 5_000) {
    let w = '';
    const n = 2 + Math.floor(random() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

export interface SeedResult {
  tickets: number;
  seconds: number;
  reused: boolean;
}

export async function seedListMirror(
  conn: Connection,
  total: number,
  companyTickets: number,
): Promise<SeedResult> {
  const [countRows] = await conn.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS n, SUM(company_id = ?) AS c FROM tickets',
    [BENCH_COMPANY_ID],
  );
  if (Number(countRows[0]?.n) === total && Number(countRows[0]?.c) === companyTickets) {
    // A mirror seeded before issue 15 has no ticket_contacts rows: the contact scope walks them.
    const [contactRows] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM ticket_contacts');
    if (Number(contactRows[0]?.n) !== total + BENCH_CONTACT_CC_COMPANY + BENCH_CONTACT_CC_OTHER) {
      const started = performance.now();
      await seedTicketContacts(conn);
      return { tickets: total, seconds: (performance.now() - started) / 1000, reused: false };
    }
    return { tickets: total, seconds: 0, reused: true };
  }
  const started = performance.now();
  const words = vocabulary();
  const random = rng(42);
  // Zipf-like: index ~ words.length ^ u, so low indexes (the support words) are common.
  const word = (): string =>
    words[Math.min(words.length - 1, Math.floor(Math.pow(words.length, random())) - 1)]!;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const owners = Array.from({ length: OWNERS }, (_, i) => ({
    id: String(100 + i),
    name: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
  }));
  const contactName = (n: number): { name: string | null; email: string } => {
    const first = FIRST[n % FIRST.length]!;
    const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
    const ascii = `${first}.${last}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
    return { name: n % 10 === 0 ? null : `${first} ${last}`, email: `${ascii}.${n}@example.com` };
  };

  // Conversations and outbox rows point at tickets; the bench mirror starts empty.
  await conn.query('SET FOREIGN_KEY_CHECKS = 0');
  for (const table of ['ticket_messages', 'request_outbox', 'ticket_contacts', 'tickets']) {
    const [exists] = await conn.query<RowDataPacket[]>('SHOW TABLES LIKE ?', [table]);
    if (exists.length > 0) await conn.query(`TRUNCATE TABLE ${table}`);
  }
  await conn.query('SET FOREIGN_KEY_CHECKS = 1');
  const [createRows] = await conn.query<RowDataPacket[]>('SHOW CREATE TABLE tickets');
  const ddl = String(createRows[0]!['Create Table']);
  const keys = ddl
    .split('\n')
    .map((l) => l.trim().replace(/,$/, ''))
    .filter((l) => /^(UNIQUE )?KEY /.test(l));
  const names = keys.map((k) => /KEY `([^`]+)`/.exec(k)![1]!);
  await conn.query(`ALTER TABLE tickets ${names.map((n) => `DROP KEY \`${n}\``).join(', ')}`);

  const now = Date.UTC(2026, 10, 20);
  const span = 3 * 365 * 86_400_000;
  // The bench company's tickets are spread through the id range (as they arrive over time in HubSpot).
  const companyEvery = Math.floor(total / companyTickets);
  const columns =
    'hubspot_id, subject, content, pipeline_id, stage_id, stage_label, stage_order, is_closed, owner_id, owner_name, ' +
    'contact_id, requester_name, requester_email, company_id, priority, category, created_at, last_activity_at, ' +
    'closed_at, hs_lastmodified_at, sync_state, mirrored_at, updated_at';
  let companySeen = 0;
  for (let start = 0; start < total; start += BATCH) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = start; i < Math.min(total, start + BATCH); i++) {
      let companyId: string;
      let contactN: number;
      if (i % companyEvery === 0 && companySeen < companyTickets) {
        companyId = BENCH_COMPANY_ID;
        // The bench contact is one of the company's 100 contacts, but asks more than the others.
        contactN =
          companySeen % Math.floor(companyTickets / BENCH_CONTACT_TICKETS) === 0
            ? -1
            : Math.floor(random() * 100);
        companySeen++;
      } else {
        contactN = 100 + Math.floor(random() * CONTACTS);
        companyId = String(9100000000 + (contactN % COMPANIES));
      }
      const contactId = contactN < 0 ? BENCH_CONTACT_ID : String(8100000000 + contactN);
      const person = contactName(contactN < 0 ? 1 : contactN);
      const subjectWords = Array.from({ length: 3 + Math.floor(random() * 5) }, word);
      subjectWords.splice(Math.floor(random() * subjectWords.length), 0, pick(VERBS));
      const subject = subjectWords.join(' ');
      const content = Array.from({ length: 20 + Math.floor(random() * 40) }, word).join(' ');
      const stage = random() < 0.6 ? STAGES[3]! : pick(STAGES.slice(0, 3));
      const owner = random() < 0.15 ? null : pick(owners);
      const created = now - Math.floor(random() * span);
      const activity = Math.min(now, created + Math.floor(random() * 60 * 86_400_000));
      rows.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      values.push(
        String(20_000_000 + i),
        subject.charAt(0).toUpperCase() + subject.slice(1),
        content,
        '0',
        stage.id,
        stage.label,
        stage.order,
        stage.closed,
        owner?.id ?? null,
        owner?.name ?? null,
        contactId,
        person.name,
        person.email,
        companyId,
        pick(PRIORITIES),
        pick(CATEGORIES),
        new Date(created),
        new Date(activity),
        stage.closed ? new Date(activity) : null,
        new Date(activity),
        'synced',
        new Date(now),
        new Date(now),
      );
    }
    await conn.query(`INSERT INTO tickets (${columns}) VALUES ${rows.join(', ')}`, values);
  }
  await conn.query(`ALTER TABLE tickets ${keys.map((k) => `ADD ${k}`).join(', ')}`);
  await conn.query('ANALYZE TABLE tickets');
  await seedTicketContacts(conn);
  return { tickets: total, seconds: (performance.now() - started) / 1000, reused: false };
}

/**
 * Every ticket's contacts (issue 15): its requester as the primary one, and the bench contact in copy
 * on BENCH_CONTACT_CC_COMPANY tickets of its company that others requested and on
 * BENCH_CONTACT_CC_OTHER tickets of other companies (its contact scope shows both; its company scope
 * only the first, ADR 0014).
 */
async function seedTicketContacts(conn: Connection): Promise<void> {
  await conn.query('TRUNCATE TABLE ticket_contacts');
  await conn.query(
    'INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary) SELECT id, contact_id, 1 FROM tickets WHERE contact_id IS NOT NULL',
  );
  await conn.query(
    `INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary)
       SELECT id, ?, 0 FROM tickets WHERE company_id = ? AND contact_id <> ? ORDER BY id LIMIT ${BENCH_CONTACT_CC_COMPANY}`,
    [BENCH_CONTACT_ID, BENCH_COMPANY_ID, BENCH_CONTACT_ID],
  );
  await conn.query(
    `INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary)
       SELECT id, ?, 0 FROM tickets WHERE company_id <> ? AND id % 9973 = 1 ORDER BY id LIMIT ${BENCH_CONTACT_CC_OTHER}`,
    [BENCH_CONTACT_ID, BENCH_COMPANY_ID],
  );
  await conn.query('ANALYZE TABLE ticket_contacts');
}
