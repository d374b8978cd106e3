import { type CrmRecord as EmuRecord, type Emulator, startEmulator } from '@ticket-portal/hubspot-emulator';
import {
  emptyRun,
  signInLinkedCustomer,
  startTestStack,
  type TestStack,
  waitForBackfill,
} from './helpers/test-stack';

// Issue 12: a ticket page opened for the first time said "No messages yet" although support had
// answered, because the backfill mirrors tickets without their conversations and GET tickets/:id only
// queued the read. Now it waits (CONVERSATION_WAIT_MS) for that read, and says `conversationState:
// 'loading'` when the wait was not enough, so the widget never shows an empty conversation it does
// not know to be empty.

const DEMO_EMAIL = 'demo@example.com';
const WAIT_MS = 2500;

interface Detail {
  localId: string;
  messages: Array<{ from: string; text: string }>;
  conversationState: 'loaded' | 'loading';
}

describe('GET tickets/:id — a conversation never read before', () => {
  let emulator: Emulator;
  let stack: TestStack;
  let token: string;
  const tickets: EmuRecord[] = [];

  async function localIdOf(hubspotId: string): Promise<string> {
    const [row] = await stack.query<{ id: number }>('SELECT id FROM tickets WHERE hubspot_id = ?', [
      hubspotId,
    ]);
    return String(row!.id);
  }

  beforeAll(async () => {
    // Every suite of a run shares its database: start from empty tables, as useTestStack does — an
    // empty mirror, so the worker's first start backfills (without conversations, as in production).
    await emptyRun();
    emulator = await startEmulator({ port: 0, seed: { tickets: 5, seed: 7 } });
    const contact = emulator.store.contactByEmail(DEMO_EMAIL)!;
    // Support answered both before the portal ever read them (no webhook URL yet: only the backfill sees them).
    for (const subject of ['Answered before the portal started', 'Also answered before']) {
      const ticket = emulator.staff.createTicket({ subject, contactId: contact.id });
      emulator.staff.replyToCustomer(ticket.id, `Here is the answer to "${subject}".`);
      tickets.push(ticket);
    }
    stack = await startTestStack(
      {
        SYNC_POLL_SECONDS: '3600',
        CONVERSATION_WAIT_MS: String(WAIT_MS),
      },
      { emulator },
    );
    await waitForBackfill(stack);
    token = await signInLinkedCustomer(stack, DEMO_EMAIL);
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  it("should answer the first opening with support's reply, having waited for the conversation", async () => {
    const localId = await localIdOf(tickets[0]!.id);
    const [before] = await stack.query<{ at: Date | null; n: number }>(
      'SELECT conversation_synced_at AS at, (SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ?) AS n FROM tickets WHERE id = ?',
      [localId, localId],
    );
    expect(before).toEqual({ at: null, n: 0 });

    const started = Date.now();
    const res = await stack.request<Detail>('GET', `/api/v1/tickets/${localId}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.conversationState).toBe('loaded');
    expect(res.body.messages).toEqual([
      expect.objectContaining({
        from: 'support',
        text: 'Here is the answer to "Answered before the portal started".',
      }),
    ]);
    expect(Date.now() - started).toBeLessThan(WAIT_MS + 1000);

    // Read once, it answers at once from then on.
    const again = await stack.request<Detail>('GET', `/api/v1/tickets/${localId}`, { token });
    expect(again.body.conversationState).toBe('loaded');
    expect(again.body.messages).toHaveLength(1);
  });

  it("should say 'loading' after a bounded wait when the conversation cannot be read in time", async () => {
    // No worker: the queued read never runs.
    await stack.worker.close();
    const localId = await localIdOf(tickets[1]!.id);
    const started = Date.now();
    const res = await stack.request<Detail>('GET', `/api/v1/tickets/${localId}`, { token });
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.conversationState).toBe('loading');
    expect(res.body.messages).toEqual([]);
    expect(took).toBeGreaterThanOrEqual(WAIT_MS - 100);
    expect(took).toBeLessThan(WAIT_MS + 1500);

    // Writes never wait: closing answers at once, still saying the conversation is on its way.
    const closedStarted = Date.now();
    const closed = await stack.request<Detail>('POST', `/api/v1/tickets/${localId}/close`, { token });
    expect(closed.status).toBe(200);
    expect(closed.body.conversationState).toBe('loading');
    expect(Date.now() - closedStarted).toBeLessThan(WAIT_MS);
  });
});
