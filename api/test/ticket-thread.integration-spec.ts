import {
  GOOD_PASSWORD,
  linkToken,
  emptyRun,
  signInLinkedCustomer,
  startTestStack,
  type TestStack,
  uniqueEmail,
  waitForBackfill,
} from './helpers/test-stack';
import {
  type CrmRecord as EmuRecord,
  type Emulator,
  type Owner as EmuOwner,
  startEmulator,
} from '@ticket-portal/hubspot-emulator';
import { waitFor } from './helpers/wait-for';

// Issue 13, "a thread that reads like one": a conversation names people, not addresses (HubSpot's
// older emails carry only an address: the agent is the owner with it, the customer the contact);
// the description a ticket was created from is not repeated as its first message; the statuses read
// as PORTAL_STATUS_LABELS says; and the mails name the support contact GET /portal names.

const DEMO_EMAIL = 'demo@example.com';
const DESCRIPTION = 'The upload stalls at 80% every time we send the cue sheet.';

interface Message {
  from: 'customer' | 'support';
  author: { name: string | null; email: string | null };
  text: string;
}
interface Detail {
  localId: string;
  description: string | null;
  status: { label: string; state: string; kind: string };
  messages: Message[];
  conversationState: string;
}
interface Page {
  items: Array<{
    id: string | null;
    localId: string;
    status: { label: string; state: string; kind: string };
  }>;
  total: number;
  counts: { open: number; closed: number; awaiting: number };
}

describe('a ticket thread (author names, description once, status labels, support contact)', () => {
  let emulator: Emulator;
  let stack: TestStack;
  let token: string;
  let owner: EmuOwner;
  let ticket: EmuRecord;
  let closedTicket: EmuRecord;
  let at = Date.parse('2026-05-01T09:00:00Z');

  /** Logs an email on a ticket through HubSpot's API, as HubSpot's older emails are: an address, no names. */
  async function logEmail(ticketId: string, incoming: boolean, text: string, from: string): Promise<void> {
    at += 60_000;
    const res = await fetch(`${emulator.url}/crm/v3/objects/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        properties: {
          hs_timestamp: new Date(at).toISOString(),
          hs_email_direction: incoming ? 'INCOMING_EMAIL' : 'EMAIL',
          hs_email_status: 'SENT',
          hs_email_text: text,
          // The sender's address without a name, as HubSpot's older emails have it.
          hs_email_headers: JSON.stringify({ from: { email: from }, to: [], cc: [], bcc: [] }),
        },
        associations: [
          {
            to: { id: ticketId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 224 }],
          },
        ],
      }),
    });
    if (res.status !== 201) throw new Error(`emails create answered ${res.status}: ${await res.text()}`);
  }

  const localIdOf = async (hubspotId: string): Promise<string> =>
    String(
      (await stack.query<{ id: number }>('SELECT id FROM tickets WHERE hubspot_id = ?', [hubspotId]))[0]!.id,
    );

  const detail = async (localId: string): Promise<Detail> => {
    const res = await stack.request<Detail>('GET', `/api/v1/tickets/${localId}`, { token });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    // Every suite of a run shares its database: start from empty tables, as useTestStack does — an
    // empty mirror, so the worker's first start backfills (without conversations, as in production).
    await emptyRun();
    emulator = await startEmulator({ port: 0, seed: { tickets: 3, seed: 13 } });
    const contact = emulator.store.contactByEmail(DEMO_EMAIL)!;
    owner = emulator.store.owners.find((o) => !o.archived)!;
    // Created from the customer's email: its description is that email's text. Support answered from
    // HubSpot's inbox (the address only), the customer wrote again, then the ticket waits on them.
    ticket = emulator.staff.createTicket({
      subject: 'Upload stalls',
      content: DESCRIPTION,
      contactId: contact.id,
      ownerId: owner.id,
      stageId: '2',
    });
    await logEmail(ticket.id, true, DESCRIPTION, DEMO_EMAIL);
    await logEmail(ticket.id, false, 'Could you send us the file name?', owner.email);
    await logEmail(ticket.id, true, 'It is cue-sheet-4.xlsx.', DEMO_EMAIL);
    closedTicket = emulator.staff.createTicket({
      subject: 'Old invoice question',
      contactId: contact.id,
      stageId: '4',
    });
    stack = await startTestStack(
      {
        SYNC_POLL_SECONDS: '3600',
        CONVERSATION_WAIT_MS: '5000',
        SUPPORT_NAME: 'Synchtank Support',
        SUPPORT_EMAIL: 'help@synchtank.example',
        // Stage 2 is HubSpot's "Waiting on contact"; "Closed" (4) reads as the operator wants.
        PORTAL_STATUS_LABELS: '2=Your turn to reply,0/4=Solved',
      },
      { emulator },
    );
    await waitForBackfill(stack);
    // An account without a name: its own replies are named after its HubSpot contact.
    token = await signInLinkedCustomer(stack, DEMO_EMAIL);
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  it("should name support's and the customer's older messages after the owner and the contact, and not repeat the description", async () => {
    const localId = await localIdOf(ticket.id);
    const body = await detail(localId);
    expect(body.conversationState).toBe('loaded');
    expect(body.description).toBe(DESCRIPTION);
    // The email the ticket was made from is the description; the thread starts with support's answer.
    expect(body.messages.map((m) => [m.from, m.author.name, m.text])).toEqual([
      ['support', `${owner.firstName} ${owner.lastName}`, 'Could you send us the file name?'],
      ['customer', 'Alex Morgan', 'It is cue-sheet-4.xlsx.'],
    ]);
    expect(body.messages[0]!.author.email).toBe(owner.email.toLowerCase());
    // The mirror still holds what HubSpot has: the names are resolved when read.
    const stored = await stack.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM ticket_messages WHERE ticket_id = ? AND author_name IS NULL',
      [localId],
    );
    expect(Number(stored[0]!.n)).toBe(3);
  });

  it('should name newer messages as they come: support by the email, the customer by their contact', async () => {
    const localId = await localIdOf(ticket.id);
    emulator.staff.replyToCustomer(ticket.id, 'Thanks, we found it.', { ownerId: owner.id });
    await emulator.flushWebhooks();
    const reply = await stack.request<Message>('POST', `/api/v1/tickets/${localId}/replies`, {
      token,
      body: { body: 'Great, thank you!' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.author).toEqual({ name: 'Alex Morgan', email: DEMO_EMAIL });
    const body = await waitFor(
      "support's new reply mirrored",
      () => detail(localId),
      (d) => d.messages.some((m) => m.text === 'Thanks, we found it.'),
    );
    const names = body.messages.map((m) => `${m.from}:${m.author.name}`);
    expect(names).toContain(`support:${owner.firstName} ${owner.lastName}`);
    expect(names.filter((n) => n.startsWith('customer:'))).toEqual([
      'customer:Alex Morgan',
      'customer:Alex Morgan',
    ]);
    // Nobody reads an address in place of a name.
    expect(body.messages.every((m) => m.author.name !== null && !m.author.name.includes('@'))).toBe(true);
  });

  it('should show the labels and kinds PORTAL_STATUS_LABELS maps, and list "Awaiting your reply" with its count', async () => {
    // The customer's reply above moved the ticket out of "Waiting on contact" (the reply's stage
    // follow-up, docs/requests.md): once that is done, support asks them something again.
    await waitFor(
      'the reply and its follow-ups delivered',
      async () =>
        (
          await stack.query<{ n: number }>("SELECT COUNT(*) AS n FROM request_outbox WHERE state = 'pending'")
        )[0]!.n,
      (n) => Number(n) === 0,
    );
    emulator.staff.moveStage(ticket.id, '2');
    await emulator.flushWebhooks();
    await waitFor(
      'the ticket waiting on the customer again',
      async () => (await detail(await localIdOf(ticket.id))).status,
      (s) => s.kind === 'awaiting_customer',
    );
    const list = await stack.request<Page>('GET', '/api/v1/tickets?limit=200', { token });
    expect(list.status).toBe(200);
    const byId = new Map(list.body.items.map((i) => [i.id, i.status]));
    // The mapping's label; its kind from HubSpot's name ("Waiting on contact" is the customer's turn).
    expect(byId.get(ticket.id)).toEqual({
      label: 'Your turn to reply',
      state: 'open',
      kind: 'awaiting_customer',
    });
    expect(byId.get(closedTicket.id)).toEqual({ label: 'Solved', state: 'closed', kind: 'closed' });
    const awaitingIds = list.body.items.filter((i) => i.status.kind === 'awaiting_customer').map((i) => i.id);
    expect(list.body.counts.awaiting).toBe(awaitingIds.length);

    const awaiting = await stack.request<Page>('GET', '/api/v1/tickets?status=awaiting&limit=200', { token });
    expect(awaiting.body.items.map((i) => i.id).sort()).toEqual([...awaitingIds].sort());
    expect(awaiting.body.total).toBe(awaitingIds.length);
    // Search finds the label customers read, not HubSpot's.
    const found = await stack.request<Page>('GET', '/api/v1/tickets?q=turn%20to%20reply', { token });
    expect(found.body.items.map((i) => i.id)).toContain(ticket.id);
    expect(
      (await stack.request<Page>('GET', '/api/v1/tickets?q=solved', { token })).body.items.map((i) => i.id),
    ).toEqual([closedTicket.id]);

    // Support moves it to "Waiting on us": it leaves "Awaiting your reply".
    emulator.staff.moveStage(ticket.id, '3');
    await emulator.flushWebhooks();
    const moved = await waitFor(
      'the move mirrored',
      async () => (await detail(await localIdOf(ticket.id))).status,
      (s) => s.kind === 'in_progress',
    );
    expect(moved).toEqual({ label: 'In progress', state: 'open', kind: 'in_progress' });
    const after = await stack.request<Page>('GET', '/api/v1/tickets?status=awaiting&limit=200', { token });
    expect(after.body.items.map((i) => i.id)).not.toContain(ticket.id);
    expect(after.body.counts.awaiting).toBe(awaitingIds.length - 1);
  });

  it('should name the same support contact in the mails as GET /portal hands the widget', async () => {
    const portal = await stack.request<{ support: { name: string; email: string | null } }>(
      'GET',
      '/api/v1/portal',
    );
    expect(portal.body.support).toMatchObject({ name: 'Synchtank Support', email: 'help@synchtank.example' });
    const email = uniqueEmail('thread');
    const registered = await stack.request('POST', '/api/v1/auth/register', {
      body: { email, password: GOOD_PASSWORD },
    });
    expect(registered.status).toBe(202);
    const mail = await stack.mail.waitFor({ to: email, subject: /Confirm/ }, 10_000);
    expect(linkToken(mail, 'confirm')).toBeTruthy();
    expect(mail.text).toContain('Need help? Contact the Synchtank Support team at help@synchtank.example.');
    expect(mail.text.trimEnd()).toMatch(/— Synchtank Support$/);
    expect(mail.html).toContain('Synchtank Support team at help@synchtank.example');
  });
});
