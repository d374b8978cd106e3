import { type CrmRecord } from '@ticket-portal/hubspot-emulator';
import { type Queue } from 'bullmq';
import { createAccount } from '../src/cli/create-account';
import { HubSpotPort } from '../src/hubspot/hubspot.port';
import { type HsBatchCreateOptions, type HsCreateTicketInput } from '../src/hubspot/hubspot.types';
import { QueueName } from '../src/queues/queue.constants';
import { RequestOutboxRepository } from '../src/repositories/request-outbox.repository';
import { RequestDeliveryService } from '../src/requests/request-delivery.service';
import { TicketSyncService } from '../src/sync/ticket-sync.service';
import {
  GOOD_PASSWORD,
  login,
  uniqueEmail,
  useTestStack,
  waitForIdleQueues,
  waitForStages,
} from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 16 end to end: the worker gathers due requests, replies, stage changes and changes of the
// people in copy into HubSpot batches (ADR 0015). The real API
// and worker on MariaDB and Redis against the emulator; the requests queue is paused while a burst is
// submitted, so the batch the worker gathers when it resumes is known.

interface Customer {
  id: string;
  email: string;
  token: string;
}

interface Detail {
  id: string | null;
  localId: string;
  syncState: 'synced' | 'pending' | 'failed';
  syncError: string | null;
}

describe('batched delivery of requests, replies and stage changes (issue 16) against the emulator', () => {
  const stack = useTestStack({
    emulator: {
      seed: { tickets: 10, seed: 16 },
      rateLimit: { max: 100_000, searchPerSecond: 1000 },
      webhooks: { batchWindowMs: 20, retryBaseMs: 100, retryMaxMs: 1000 },
    },
    env: {
      SYNC_POLL_SECONDS: '3600',
      TICKET_SUBMIT_LIMITS: 'off',
      TICKET_REPLY_LIMITS: 'off',
      TICKET_CHANGE_LIMITS: 'off',
      TICKET_IP_LIMITS: 'off',
      // Long enough that a request which waited for the window would be seen waiting.
      DELIVERY_BATCH_WINDOW_MS: '3000',
    },
  });
  let queue: Queue;
  /** HubSpot calls the worker made (by operation), and the sizes of its createTickets batches. */
  const calls: string[] = [];
  const batches: number[] = [];

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await stack.db.query(sql, params);
    return rows as T[];
  }

  async function customer(): Promise<Customer> {
    const email = uniqueEmail('burst');
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    const created = await createAccount(
      { database, argon2MemoryKib, argon2TimeCost },
      { email, password: GOOD_PASSWORD, name: 'Sam Burst' },
    );
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    return { id: created.id, email, token: signedIn.body.accessToken };
  }

  async function submitMany(c: Customer, n: number, label: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const res = await stack.request<Detail>('POST', '/api/v1/tickets', {
        token: c.token,
        body: { subject: `${label} ${i}`, description: `Request ${i} of ${label}.` },
      });
      expect(res.status).toBe(201);
      ids.push(res.body.localId);
    }
    return ids;
  }

  /** The requests' rows once none is pending (read from MySQL: opening a ticket page would queue its conversation read). */
  async function settled(_c: Customer, localIds: string[]): Promise<Detail[]> {
    return waitFor(
      `${localIds.length} requests settled`,
      async () => {
        const rows = await query<{
          id: number;
          hubspot_id: string | null;
          sync_state: string;
          sync_error: string | null;
        }>(
          `SELECT id, hubspot_id, sync_state, sync_error FROM tickets WHERE id IN (${localIds.map(() => '?').join(',')}) ORDER BY id`,
          localIds,
        );
        return rows.map((r) => ({
          id: r.hubspot_id,
          localId: String(r.id),
          syncState: r.sync_state as Detail['syncState'],
          syncError: r.sync_error,
        }));
      },
      (details) => details.length === localIds.length && details.every((d) => d.syncState !== 'pending'),
      30_000,
    );
  }

  /** One reply per ticket, in order; answers the replies' message ids. */
  async function replyToEach(c: Customer, localIds: string[], label: string): Promise<number[]> {
    const ids: number[] = [];
    for (const [i, localId] of localIds.entries()) {
      const res = await stack.request<{ id: string }>('POST', `/api/v1/tickets/${localId}/replies`, {
        token: c.token,
        body: { body: `${label} ${i}: a reply from the portal.` },
      });
      expect(res.status).toBe(201);
      ids.push(Number(res.body.id));
    }
    return ids;
  }

  /** The outbox rows of these kinds on these tickets once none is pending, by ticket. */
  async function settledRows(
    localIds: string[],
    kind: 'reply' | 'stage',
  ): Promise<
    Array<{ ticket_id: number; state: string; last_error: string | null; follow_up: string | null }>
  > {
    return waitFor(
      `${localIds.length} ${kind} rows settled`,
      () =>
        query<{ ticket_id: number; state: string; last_error: string | null; follow_up: string | null }>(
          `SELECT ticket_id, state, last_error, follow_up FROM request_outbox
           WHERE kind = ? AND ticket_id IN (${localIds.map(() => '?').join(',')}) ORDER BY ticket_id, id`,
          [kind, ...localIds],
        ),
      (rows) => rows.length >= localIds.length && rows.every((r) => r.state !== 'pending'),
      30_000,
    );
  }

  function emailsWithKey(replyKey: string): CrmRecord[] {
    return [...stack.emulator.store.records.emails.values()].filter(
      (e) => !e.archived && e.props.tp_reply_key === replyKey,
    );
  }

  async function replyKeysOf(messageIds: number[]): Promise<string[]> {
    const rows = await query<{ request_key: string }>(
      `SELECT request_key FROM ticket_messages WHERE id IN (${messageIds.map(() => '?').join(',')}) ORDER BY id`,
      messageIds,
    );
    return rows.map((r) => r.request_key);
  }

  /** Tickets in HubSpot, submitted and delivered (in batches) before the test's own burst. */
  async function deliveredTickets(c: Customer, n: number, label: string): Promise<Detail[]> {
    const ids = await submitMany(c, n, label);
    const details = await settled(c, ids);
    expect(details.every((d) => d.syncState === 'synced')).toBe(true);
    return details;
  }

  async function requestKeysOf(localIds: string[]): Promise<string[]> {
    const rows = await query<{ request_key: string }>(
      `SELECT request_key FROM tickets WHERE id IN (${localIds.map(() => '?').join(',')}) ORDER BY id`,
      localIds,
    );
    return rows.map((r) => r.request_key);
  }

  function hubspotTicketsWithKey(requestKey: string): CrmRecord[] {
    return [...stack.emulator.store.records.tickets.values()].filter(
      (t) => !t.archived && t.props.tp_request_key === requestKey,
    );
  }

  beforeAll(async () => {
    queue = stack.queue(QueueName.Requests);
    await waitForStages(stack);
    // Watch the worker's HubSpot calls: every call goes through the adapter's private `calls.call`.
    const port = stack.worker.app.get(HubSpotPort);
    const adapter = (
      port as unknown as {
        calls: { call<T>(operation: string, kind: string, fn: () => Promise<T>): Promise<T> };
      }
    ).calls;
    const realCall = adapter.call.bind(adapter);
    adapter.call = <T>(operation: string, kind: string, fn: () => Promise<T>): Promise<T> => {
      calls.push(operation);
      return realCall(operation, kind, fn);
    };
    const realCreate = port.createTickets.bind(port);
    port.createTickets = (inputs: readonly HsCreateTicketInput[], options?: HsBatchCreateOptions) => {
      batches.push(inputs.length);
      return realCreate(inputs, options);
    };
  }, 90_000);

  beforeEach(() => {
    calls.length = 0;
    batches.length = 0;
  });

  afterEach(async () => {
    await queue.resume();
  });

  it('should deliver 100 requests in one batch, fail the one HubSpot refuses with its reason and deliver the other 99', async () => {
    const c = await customer();
    // The customer's contact exists before the burst: the calls counted below are the batch's own.
    const [warm] = await submitMany(c, 1, 'Warm-up');
    await settled(c, [warm!]);

    await queue.pause();
    const ids = await submitMany(c, 100, 'Burst');
    // Support removed the option this request uses after the portal accepted it: HubSpot refuses it.
    await stack.db.query("UPDATE tickets SET priority = 'RETIRED_OPTION' WHERE id = ?", [ids[41]]);
    calls.length = 0;
    batches.length = 0;
    await queue.resume();
    const details = await settled(c, ids);

    expect(batches).toEqual([100]);
    expect(calls.filter((op) => op === 'batch create tickets')).toHaveLength(1);
    // Claimed for the first time, none of them can be in HubSpot yet: no batch read by key before.
    expect(calls.filter((op) => op === 'batch read tickets by request key')).toHaveLength(0);
    expect(calls.filter((op) => op === 'create ticket' || op === 'read ticket by request key')).toEqual([]);
    const refused = details[41]!;
    expect(refused.syncState).toBe('failed');
    expect(refused.syncError).toMatch(/^HubSpot refused it \(HTTP 400\): .*RETIRED_OPTION/);
    const delivered = details.filter((d) => d.syncState === 'synced');
    expect(delivered).toHaveLength(99);
    expect(new Set(delivered.map((d) => d.id)).size).toBe(99);
    const keys = await requestKeysOf(ids);
    keys.forEach((key, i) => expect(hubspotTicketsWithKey(key)).toHaveLength(i === 41 ? 0 : 1));
    const [box] = await query<{ state: string; last_error: string }>(
      'SELECT state, last_error FROM request_outbox WHERE ticket_id = ?',
      [ids[41]],
    );
    expect(box).toMatchObject({ state: 'failed', last_error: expect.stringMatching(/RETIRED_OPTION/) });
  }, 60_000);

  it("should create nothing twice when the worker dies after HubSpot's batch answer and before the commit", async () => {
    const c = await customer();
    const delivery = stack.worker.app.get(RequestDeliveryService);
    let crashes = 0;
    delivery.afterHubSpotWrite = (_id, kind) => {
      if (kind === 'create' && crashes === 0) {
        crashes += 1;
        return Promise.reject(new Error('simulated crash after HubSpot answered the batch'));
      }
      return Promise.resolve();
    };
    try {
      await queue.pause();
      const ids = await submitMany(c, 20, 'Crash');
      await queue.resume();
      const details = await settled(c, ids);

      expect(crashes).toBe(1);
      expect(details.every((d) => d.syncState === 'synced')).toBe(true);
      // The first batch made all 20; the retry found them by their keys and made none.
      expect(batches[0]).toBe(20);
      expect(calls.filter((op) => op === 'batch create tickets')).toHaveLength(1);
      // The first try skipped the read (nothing sent yet); the retry read them by key.
      expect(calls.indexOf('batch read tickets by request key')).toBeGreaterThan(
        calls.indexOf('batch create tickets'),
      );
      const keys = await requestKeysOf(ids);
      for (const [i, key] of keys.entries()) {
        const inHubSpot = hubspotTicketsWithKey(key);
        expect(inHubSpot).toHaveLength(1);
        expect(details[i]!.id).toBe(inHubSpot[0]!.id);
      }
      const boxes = await query<{ attempts: number }>(
        `SELECT attempts FROM request_outbox WHERE ticket_id IN (${ids.map(() => '?').join(',')})`,
        ids,
      );
      expect(boxes.every((b) => Number(b.attempts) === 1)).toBe(true);
    } finally {
      delivery.afterHubSpotWrite = null;
    }
  }, 60_000);

  it("should find or create the new requesters' contacts in one batch read and one batch create", async () => {
    const people = await Promise.all(Array.from({ length: 5 }, () => customer()));
    await queue.pause();
    const submitted: Array<{ c: Customer; ids: string[] }> = [];
    for (const c of people) submitted.push({ c, ids: await submitMany(c, 2, 'Newcomer') });
    calls.length = 0;
    await queue.resume();
    for (const { c, ids } of submitted) {
      expect((await settled(c, ids)).every((d) => d.syncState === 'synced')).toBe(true);
    }

    expect(calls.filter((op) => op === 'batch read contacts by email')).toHaveLength(1);
    expect(calls.filter((op) => op === 'batch create contacts')).toHaveLength(1);
    expect(calls.filter((op) => op === 'read contact by email' || op === 'create contact')).toEqual([]);
    for (const { c } of submitted) {
      const [account] = await query<{ hubspot_contact_id: string }>(
        'SELECT hubspot_contact_id FROM customers WHERE id = ?',
        [c.id],
      );
      const contact = stack.emulator.store.get('contacts', account!.hubspot_contact_id)!;
      expect(contact.props.email).toBe(c.email.toLowerCase());
      expect(contact.props.firstname).toBe('Sam');
    }
  }, 60_000);

  it("should not read just-delivered tickets again for their creation webhooks, yet mirror support's later change", async () => {
    const c = await customer();
    const [warm] = await submitMany(c, 1, 'Warm-up');
    await settled(c, [warm!]);
    await stack.emulator.flushWebhooks();
    await waitForIdleQueues(stack, [QueueName.SyncRefresh, QueueName.SyncConversations]);

    await queue.pause();
    const ids = await submitMany(c, 10, 'Quiet mirror');
    calls.length = 0;
    // HubSpot's creation webhooks come after its answer, as they do in HubSpot (seconds later): on a
    // busy machine the emulator's would otherwise race the delivery's note of what it made.
    stack.emulator.setWebhookSwitches({ delayMs: 60_000 });
    let details: Detail[];
    try {
      await queue.resume();
      details = await settled(c, ids);
    } finally {
      stack.emulator.setWebhookSwitches({ delayMs: 0 });
    }
    await stack.emulator.flushWebhooks();
    await waitForIdleQueues(stack, [QueueName.SyncRefresh, QueueName.SyncConversations]);

    // The batches' own calls only: no batch read of the new tickets, no association or conversation reads.
    // (Ten requests are one batch on an idle machine; a busy one may gather them in two.)
    expect([...new Set(calls)].sort()).toEqual(['batch create tickets']);

    // A refresh that reads them before the mirror has the create's answer (here: a row left behind)
    // mirrors them, but reads no conversation: HubSpot has nothing on them the portal did not write.
    await stack.db.query(
      `UPDATE tickets SET hs_lastmodified_at = hs_lastmodified_at - INTERVAL 1 MINUTE,
       last_activity_at = last_activity_at - INTERVAL 1 MINUTE WHERE id IN (${ids.map(() => '?').join(',')})`,
      ids,
    );
    calls.length = 0;
    const refreshed = await stack.worker.app.get(TicketSyncService).refreshTickets(details.map((d) => d.id!));
    expect(refreshed.activityChanged).toHaveLength(10);
    await waitForIdleQueues(stack, [QueueName.SyncConversations]);
    expect(calls.filter((op) => op === 'list ticket emails')).toEqual([]);

    // Support closes one a moment later: that event is newer than the create's answer and is read.
    const hubspotId = details[3]!.id!;
    stack.emulator.staff.moveStage(hubspotId, '4');
    await stack.emulator.flushWebhooks();
    await waitFor(
      'the close mirrored',
      async () =>
        (
          await query<{ is_closed: number }>('SELECT is_closed FROM tickets WHERE hubspot_id = ?', [
            hubspotId,
          ])
        )[0]!.is_closed,
      (closed) => Number(closed) === 1,
    );
  }, 60_000);

  it("should keep a ticket's own order when its reply and close wait for the batch that creates it", async () => {
    const c = await customer();
    await queue.pause();
    const ids = await submitMany(c, 5, 'Ordered');
    const reply = await stack.request('POST', `/api/v1/tickets/${ids[2]}/replies`, {
      token: c.token,
      body: { body: 'Written before the ticket reached HubSpot' },
    });
    expect(reply.status).toBe(201);
    const closed = await stack.request('POST', `/api/v1/tickets/${ids[2]}/close`, { token: c.token });
    expect(closed.status).toBe(200);
    await queue.resume();
    const details = await settled(c, ids);
    const hubspotId = details[2]!.id!;
    await waitFor(
      'reply and close delivered',
      async () =>
        query<{ state: string }>(
          "SELECT state FROM request_outbox WHERE ticket_id = ? AND kind <> 'create'",
          [ids[2]],
        ),
      (rows) => rows.length === 2 && rows.every((r) => r.state === 'done'),
    );

    const ticket = stack.emulator.store.get('tickets', hubspotId)!;
    const emails = stack.emulator.store
      .associatedIds(ticket, 'emails')
      .map((id) => stack.emulator.store.get('emails', id)!)
      .filter((e) => e.props.hs_email_text === 'Written before the ticket reached HubSpot');
    expect(emails).toHaveLength(1);
    // The reply went first (its stage step found the ticket open and left it); the close after it stands.
    expect(ticket.props.hs_pipeline_stage).toBe('4');
    expect(batches[0]).toBe(5);
  }, 60_000);

  it('should log 100 replies in one batch, fail the one HubSpot refuses with its reason and deliver the other 99', async () => {
    const c = await customer();
    const other = await customer();
    const tickets = await deliveredTickets(c, 99, 'Replied');
    const [lost] = await deliveredTickets(other, 1, 'Replied, refused');
    // HubSpot no longer has the contact this account is linked to: the email's association is refused.
    await stack.db.query("UPDATE customers SET hubspot_contact_id = '987654321' WHERE id = ?", [other.id]);

    await queue.pause();
    const messages = await replyToEach(
      c,
      tickets.map((t) => t.localId),
      'Burst reply',
    );
    const [refusedMessage] = await replyToEach(other, [lost!.localId], 'Refused reply');
    calls.length = 0;
    await queue.resume();
    const rows = await settledRows([...tickets.map((t) => t.localId), lost!.localId], 'reply');

    expect(calls.filter((op) => op === 'batch create reply emails')).toHaveLength(1);
    // Claimed for the first time: nothing to look up by key before logging them.
    expect(calls.filter((op) => op === 'batch read emails by reply key')).toHaveLength(0);
    expect(calls.filter((op) => op === 'log customer reply')).toEqual([]);
    expect(rows.filter((r) => r.state === 'done')).toHaveLength(99);
    const refused = rows.find((r) => String(r.ticket_id) === lost!.localId)!;
    expect(refused).toMatchObject({
      state: 'failed',
      last_error: expect.stringMatching(/^HubSpot refused it.*987654321/),
    });
    const [failedMessage] = await query<{
      sync_state: string;
      sync_error: string;
      hubspot_id: string | null;
    }>('SELECT sync_state, sync_error, hubspot_id FROM ticket_messages WHERE id = ?', [refusedMessage]);
    expect(failedMessage).toMatchObject({
      sync_state: 'failed',
      hubspot_id: null,
      sync_error: refused.last_error,
    });
    const delivered = await query<{ hubspot_id: string | null; sync_state: string }>(
      `SELECT hubspot_id, sync_state FROM ticket_messages WHERE id IN (${messages.map(() => '?').join(',')})`,
      messages,
    );
    expect(delivered.every((m) => m.sync_state === 'synced' && m.hubspot_id !== null)).toBe(true);
    const keys = await replyKeysOf([...messages, refusedMessage!]);
    keys.forEach((key, i) => expect(emailsWithKey(key)).toHaveLength(i === 99 ? 0 : 1));
    // Each email is on its ticket and the writer's contact, associated in the create.
    const email = emailsWithKey(keys[0]!)[0]!;
    expect(stack.emulator.store.associatedIds(email, 'tickets')).toEqual([tickets[0]!.id]);
  }, 90_000);

  it("should make support notice 100 replies in a few calls: their tickets read, moved and the owners' tasks made in batches", async () => {
    const c = await customer();
    const tickets = await deliveredTickets(c, 99, 'Noticed');
    const owners = stack.emulator.store.owners;
    const owner = owners.find((o) => !o.archived)!;
    const gone = owners.find((o) => o.archived)!;
    // Agents worked the tickets: 40 wait on the customer, 20 are closed, the rest are new; all have
    // an owner, one who has left HubSpot since (a task cannot be assigned to them).
    tickets.forEach((t, i) => {
      stack.emulator.staff.assignOwner(t.id!, owner.id);
      // The owner left the company after the ticket was assigned (HubSpot keeps the id on the ticket).
      if (i === 77) stack.emulator.store.get('tickets', t.id!)!.props.hubspot_owner_id = gone.id;
      if (i < 40) stack.emulator.staff.moveStage(t.id!, '2');
      else if (i < 60) stack.emulator.staff.moveStage(t.id!, '4');
    });

    await queue.pause();
    const messages = await replyToEach(
      c,
      tickets.map((t) => t.localId),
      'Noticed reply',
    );
    // A second reply on the first ticket, in the same batch: it finds the ticket moved by the first.
    const [second] = await replyToEach(c, [tickets[0]!.localId], 'Second reply');
    calls.length = 0;
    await queue.resume();
    const rows = await settledRows(
      tickets.map((t) => t.localId),
      'reply',
    );

    expect(rows.filter((r) => r.state === 'done')).toHaveLength(100);
    // One by one, each reply cost a read of its ticket, a move when due and a task by its key (a
    // read and a create): about 300 calls. In batches: one batch update (the decisions' and the moved
    // tickets' reads are batch reads too), one read of tasks by key and one create, plus the single
    // way for the one task HubSpot refused. (The mirror's conversation refreshes are not counted.)
    const followUps = calls.filter(
      (op) => /task|ticket stage|^read ticket$/.test(op) && !/property/.test(op),
    );
    expect(followUps).toEqual([
      'batch update ticket stages',
      'batch read tasks by event key',
      'batch create tasks',
      'read task by event key',
      'create task',
      'read task by event key',
      'create task',
    ]);
    expect(calls.filter((op) => op === 'batch create reply emails')).toHaveLength(1);
    // The mirror reads the replied tickets' conversations in batches too, never one ticket at a time.
    await stack.emulator.flushWebhooks();
    await waitForIdleQueues(stack, [QueueName.SyncRefresh, QueueName.SyncConversations]);
    expect(calls.filter((op) => op === 'list ticket emails')).toEqual([]);
    expect(calls.filter((op) => op === 'batch read ticket→email associations').length).toBeGreaterThan(0);

    const store = stack.emulator.store;
    // The 40 waiting on the customer and the 20 closed moved to the reply stage; the new ones are there already.
    for (const t of tickets) expect(store.get('tickets', t.id!)!.props.hs_pipeline_stage).toBe('1');
    const keys = await replyKeysOf([...messages, second!]);
    const tasksWithKey = (key: string) =>
      [...store.records.tasks.values()].filter((task) => !task.archived && task.props.tp_event_key === key);
    for (const [i, key] of keys.entries()) {
      const found = tasksWithKey(key);
      expect(found).toHaveLength(1);
      const ticketIndex = i === 99 ? 0 : i;
      expect(store.associatedIds(found[0]!, 'tickets')).toEqual([tickets[ticketIndex]!.id]);
      expect(found[0]!.props.hubspot_owner_id).toBe(ticketIndex === 77 ? undefined : owner.id);
      // A reply to a closed ticket is urgent.
      expect(found[0]!.props.hs_task_priority).toBe(i >= 40 && i < 60 ? 'HIGH' : undefined);
    }
    const states = rows.map(
      (r) => JSON.parse(r.follow_up!) as { stage: { to: string | null }; task: { note?: string } },
    );
    // The first ticket moved once: its second reply found it where the first put it.
    expect(states[0]!.stage.to).toBe('1');
    expect(states[1]!.stage.to).toBeNull();
    expect(states.find((_, i) => rows[i]!.ticket_id === Number(tickets[77]!.localId))!.task.note).toMatch(
      /could not be assigned/,
    );
  }, 90_000);

  it('should close 100 tickets in one batch update, fail the one HubSpot refuses with its reason and close the other 99', async () => {
    const c = await customer();
    const tickets = await deliveredTickets(c, 100, 'Closed');
    await queue.pause();
    for (const t of tickets) {
      const res = await stack.request('POST', `/api/v1/tickets/${t.localId}/close`, { token: c.token });
      expect(res.status).toBe(200);
    }
    // Support removed the closed stage this change names after the portal accepted it.
    await stack.db.query(
      "UPDATE request_outbox SET target_stage_id = 'retired-stage' WHERE kind = 'stage' AND ticket_id = ?",
      [tickets[57]!.localId],
    );
    calls.length = 0;
    await queue.resume();
    const rows = await settledRows(
      tickets.map((t) => t.localId),
      'stage',
    );

    expect(calls.filter((op) => op === 'batch update ticket stages')).toHaveLength(1);
    expect(calls.filter((op) => op === 'update ticket stage')).toEqual([]);
    expect(rows.filter((r) => r.state === 'done')).toHaveLength(99);
    const refused = rows.find((r) => String(r.ticket_id) === tickets[57]!.localId)!;
    expect(refused).toMatchObject({
      state: 'failed',
      last_error: expect.stringMatching(/^HubSpot refused it.*retired-stage/),
    });
    for (const [i, t] of tickets.entries()) {
      expect(stack.emulator.store.get('tickets', t.id!)!.props.hs_pipeline_stage).toBe(i === 57 ? '1' : '4');
    }
    // The portal shows the refusal on that ticket alone.
    const states = await query<{ id: number; sync_state: string; sync_error: string | null }>(
      `SELECT id, sync_state, sync_error FROM tickets WHERE id IN (${tickets.map(() => '?').join(',')}) ORDER BY id`,
      tickets.map((t) => t.localId),
    );
    expect(states.filter((t) => t.sync_state === 'synced')).toHaveLength(99);
    expect(states[57]).toMatchObject({ sync_state: 'failed', sync_error: refused.last_error });
  }, 90_000);

  it('should give the owners of 30 reopened tickets their HIGH tasks in one batch create', async () => {
    const c = await customer();
    const tickets = await deliveredTickets(c, 30, 'Reopened');
    const owner = stack.emulator.store.owners.find((o) => !o.archived)!;
    for (const t of tickets) {
      stack.emulator.staff.assignOwner(t.id!, owner.id);
      stack.emulator.staff.moveStage(t.id!, '4');
    }
    await stack.emulator.flushWebhooks();
    await waitFor(
      'the closes mirrored',
      () =>
        query<{ is_closed: number }>(
          `SELECT is_closed FROM tickets WHERE id IN (${tickets.map(() => '?').join(',')})`,
          tickets.map((t) => t.localId),
        ),
      (rows) => rows.every((r) => Number(r.is_closed) === 1),
    );

    await queue.pause();
    for (const t of tickets) {
      const res = await stack.request('POST', `/api/v1/tickets/${t.localId}/reopen`, { token: c.token });
      expect(res.status).toBe(200);
    }
    calls.length = 0;
    await queue.resume();
    const rows = await settledRows(
      tickets.map((t) => t.localId),
      'stage',
    );

    expect(rows.every((r) => r.state === 'done')).toBe(true);
    expect(calls.filter((op) => op === 'batch update ticket stages')).toHaveLength(1);
    expect(calls.filter((op) => op === 'batch create tasks')).toHaveLength(1);
    expect(
      calls.filter(
        (op) => op === 'create task' || op === 'read task by event key' || op === 'update ticket stage',
      ),
    ).toEqual([]);
    for (const t of tickets) {
      const ticket = stack.emulator.store.get('tickets', t.id!)!;
      expect(ticket.props.hs_pipeline_stage).not.toBe('4');
      const tasks = stack.emulator.store
        .associatedIds(ticket, 'tasks')
        .map((id) => stack.emulator.store.get('tasks', id)!)
        .filter((task) => !task.archived);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]!.props).toMatchObject({
        hs_task_subject: expect.stringMatching(/^Customer reopened: Reopened/),
        hs_task_priority: 'HIGH',
        hubspot_owner_id: owner.id,
        tp_event_key: expect.stringMatching(/^tpo-/),
      });
    }
  }, 90_000);

  it("should log no reply twice when the worker dies after HubSpot's batch answer and before the commit", async () => {
    const c = await customer();
    const tickets = await deliveredTickets(c, 20, 'Crash reply');
    const delivery = stack.worker.app.get(RequestDeliveryService);
    let crashes = 0;
    delivery.afterHubSpotWrite = (_id, kind, step) => {
      if (kind === 'reply' && step === 'email' && crashes === 0) {
        crashes += 1;
        return Promise.reject(new Error('simulated crash after HubSpot answered the batch'));
      }
      return Promise.resolve();
    };
    try {
      await queue.pause();
      const messages = await replyToEach(
        c,
        tickets.map((t) => t.localId),
        'Crash reply',
      );
      calls.length = 0;
      await queue.resume();
      const rows = await settledRows(
        tickets.map((t) => t.localId),
        'reply',
      );

      expect(crashes).toBe(1);
      expect(rows.every((r) => r.state === 'done')).toBe(true);
      // The first batch logged all 20; the retry found them by their reply keys and logged none.
      expect(calls.filter((op) => op === 'batch create reply emails')).toHaveLength(1);
      expect(calls.filter((op) => op === 'batch read emails by reply key')).toHaveLength(1);
      const keys = await replyKeysOf(messages);
      const stored = await query<{ id: number; hubspot_id: string }>(
        `SELECT id, hubspot_id FROM ticket_messages WHERE id IN (${messages.map(() => '?').join(',')}) ORDER BY id`,
        messages,
      );
      for (const [i, key] of keys.entries()) {
        const inHubSpot = emailsWithKey(key);
        expect(inHubSpot).toHaveLength(1);
        expect(stored[i]!.hubspot_id).toBe(inHubSpot[0]!.id);
      }
    } finally {
      delivery.afterHubSpotWrite = null;
    }
  }, 90_000);

  it("should deliver a ticket's reply before its close when both go in batches", async () => {
    const c = await customer();
    const tickets = await deliveredTickets(c, 5, 'Reply then close');
    await queue.pause();
    for (const t of tickets) {
      await replyToEach(c, [t.localId], 'Before closing');
      const closed = await stack.request('POST', `/api/v1/tickets/${t.localId}/close`, { token: c.token });
      expect(closed.status).toBe(200);
    }
    calls.length = 0;
    await queue.resume();
    const replies = await settledRows(
      tickets.map((t) => t.localId),
      'reply',
    );
    await settledRows(
      tickets.map((t) => t.localId),
      'stage',
    );

    // The replies' emails went out in one batch, the closes in batch updates after it (each close
    // as soon as its own ticket's reply was through: the order is per ticket).
    expect(calls.filter((op) => op === 'batch create reply emails')).toHaveLength(1);
    expect(calls.indexOf('batch create reply emails')).toBeLessThan(
      calls.indexOf('batch update ticket stages'),
    );
    expect(calls.filter((op) => op === 'update ticket stage' || op === 'log customer reply')).toEqual([]);
    // Each reply's stage step saw its ticket still open (the close came after it), and the close stands.
    for (const r of replies) {
      expect(r.state).toBe('done');
      expect(JSON.parse(r.follow_up!)).toMatchObject({ stage: { closed: false, to: null } });
    }
    const done = await query<{ ticket_id: number; kind: string; done_at: Date }>(
      `SELECT ticket_id, kind, done_at FROM request_outbox WHERE kind IN ('reply', 'stage')
       AND ticket_id IN (${tickets.map(() => '?').join(',')}) ORDER BY ticket_id, id`,
      tickets.map((t) => t.localId),
    );
    for (let i = 0; i < done.length; i += 2) {
      expect([done[i]!.kind, done[i + 1]!.kind]).toEqual(['reply', 'stage']);
      expect(new Date(done[i]!.done_at).getTime()).toBeLessThanOrEqual(
        new Date(done[i + 1]!.done_at).getTime(),
      );
    }
    for (const t of tickets) {
      expect(stack.emulator.store.get('tickets', t.id!)!.props.hs_pipeline_stage).toBe('4');
    }
  }, 90_000);

  /** Puts a colleague in copy (or takes one off) through the API, as a customer on the ticket does. */
  async function people(
    c: Customer,
    localId: string,
    email: string,
    action: 'add' | 'remove',
  ): Promise<void> {
    const res =
      action === 'add'
        ? await stack.request('POST', `/api/v1/tickets/${localId}/people`, {
            token: c.token,
            body: { email },
          })
        : await stack.request('DELETE', `/api/v1/tickets/${localId}/people/${encodeURIComponent(email)}`, {
            token: c.token,
          });
    expect(res.status).toBe(200);
  }

  /** The `people` rows of these tickets once none is pending. */
  async function settledPeopleRows(
    localIds: string[],
  ): Promise<Array<{ ticket_id: number; state: string; last_error: string | null }>> {
    return waitFor(
      `people rows of ${localIds.length} tickets settled`,
      () =>
        query<{ ticket_id: number; state: string; last_error: string | null }>(
          `SELECT ticket_id, state, last_error FROM request_outbox
           WHERE kind = 'people' AND ticket_id IN (${localIds.map(() => '?').join(',')}) ORDER BY ticket_id, id`,
          localIds,
        ),
      (rows) => rows.length > 0 && rows.every((r) => r.state !== 'pending'),
      30_000,
    );
  }

  const contactIdOf = (email: string): string | undefined => stack.emulator.store.contactByEmail(email)?.id;

  /** The contacts of a ticket in HubSpot, and in the mirror's ticket_contacts. */
  async function contactsOf(t: Detail): Promise<{ hubspot: string[]; mirror: string[] }> {
    const hubspot = stack.emulator.store.associatedIds(
      stack.emulator.store.get('tickets', t.id!)!,
      'contacts',
    );
    const mirror = await query<{ contact_id: string }>(
      'SELECT contact_id FROM ticket_contacts WHERE ticket_id = ? ORDER BY contact_id',
      [t.localId],
    );
    return { hubspot: [...hubspot].sort(), mirror: mirror.map((m) => String(m.contact_id)).sort() };
  }

  it('should deliver 100 changes of people in copy in one batch, in order per ticket, and fail a refused email alone', async () => {
    const c = await customer();
    const tickets = await deliveredTickets(c, 100, 'People');
    const run = Date.now().toString(36);
    const colleague = (i: number): string => `colleague.${run}.${i}@example.com`;
    // Already in copy on tickets 90–94 before the burst: taken off in it.
    const leaving = `leaving.${run}@example.com`;
    for (const t of tickets.slice(90, 95)) await people(c, t.localId, leaving, 'add');
    await settledPeopleRows(tickets.slice(90, 95).map((t) => t.localId));
    const leavingId = contactIdOf(leaving)!;
    expect(leavingId).toBeDefined();

    await queue.pause();
    // Tickets 0–84: a new colleague each (41: an address HubSpot will not take as a contact);
    // 85–89: a colleague added and taken off again; 90–94: the earlier colleague taken off. 100 rows.
    const refusedEmail = `colleague.${run}@nodot`;
    for (const [i, t] of tickets.slice(0, 85).entries()) await people(c, t.localId, colleague(i), 'add');
    // HubSpot's rules for a contact's address are not the portal's: one it refuses, put straight in the row.
    await stack.db.query('UPDATE ticket_people_requests SET email = ? WHERE ticket_id = ? AND email = ?', [
      refusedEmail,
      tickets[41]!.localId,
      colleague(41),
    ]);
    for (const [i, t] of tickets.slice(85, 90).entries()) {
      await people(c, t.localId, colleague(85 + i), 'add');
      await people(c, t.localId, colleague(85 + i), 'remove');
    }
    for (const t of tickets.slice(90, 95)) await people(c, t.localId, leaving, 'remove');
    // The delivery's own calls: HubSpot's association webhooks (and the mirror's reads on them) wait.
    stack.emulator.setWebhookSwitches({ delayMs: 60_000 });
    calls.length = 0;
    let rows: Awaited<ReturnType<typeof settledPeopleRows>>;
    let delivery: string[];
    try {
      await queue.resume();
      rows = await settledPeopleRows(tickets.slice(0, 95).map((t) => t.localId));
      delivery = [...calls];
    } finally {
      stack.emulator.setWebhookSwitches({ delayMs: 0 });
    }
    await stack.emulator.flushWebhooks();
    await waitForIdleQueues(stack, [QueueName.SyncRefresh]);

    // The burst's 100 rows and the 5 delivered before it.
    expect(rows).toHaveLength(105);
    const refused = rows.filter((r) => r.state === 'failed');
    expect(refused).toEqual([
      {
        ticket_id: Number(tickets[41]!.localId),
        state: 'failed',
        last_error: expect.stringMatching(/^HubSpot refused it.*INVALID_EMAIL/) as string,
      },
    ]);
    expect(rows.filter((r) => r.state === 'done')).toHaveLength(104);
    // One call of each kind for the whole burst, none per change.
    expect(delivery.filter((op) => op === 'batch associate contacts with tickets')).toHaveLength(1);
    expect(delivery.filter((op) => op === 'batch dissociate contacts from tickets')).toHaveLength(1);
    expect(delivery.filter((op) => op === 'batch create contacts')).toHaveLength(1);
    expect(
      delivery.filter((op) =>
        [
          'associate contact with ticket',
          'dissociate contact from ticket',
          'create contact',
          'read contact by email',
          'read ticket',
        ].includes(op),
      ),
    ).toEqual([]);
    expect(delivery.length).toBeLessThanOrEqual(10);

    for (const [i, t] of tickets.entries()) {
      const { hubspot, mirror } = await contactsOf(t);
      expect(mirror).toEqual(hubspot);
      const added = contactIdOf(colleague(i));
      if (i < 85 && i !== 41) expect(hubspot).toContain(added);
      // Added and taken off in the same batch: the last wish is what goes, so no contact was even made.
      if (i >= 85 && i < 90) expect(added).toBeUndefined();
      if (i >= 90 && i < 95) expect(hubspot).not.toContain(leavingId);
    }
    expect(contactIdOf(refusedEmail)).toBeUndefined();
    const [failedRequest] = await query<{ state: string; error: string }>(
      'SELECT state, error FROM ticket_people_requests WHERE ticket_id = ? AND email = ?',
      [tickets[41]!.localId, refusedEmail],
    );
    expect(failedRequest).toMatchObject({ state: 'failed', error: refused[0]!.last_error });
    const pendingRequests = await query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM ticket_people_requests WHERE state = 'pending'",
    );
    expect(Number(pendingRequests[0]!.n)).toBe(0);
  }, 120_000);

  it("should associate no colleague twice when the worker dies after HubSpot's answer and before the commit", async () => {
    const c = await customer();
    const tickets = await deliveredTickets(c, 10, 'People crash');
    const run = Date.now().toString(36);
    const delivery = stack.worker.app.get(RequestDeliveryService);
    let crashes = 0;
    delivery.afterHubSpotWrite = (_id, kind) => {
      if (kind === 'people' && crashes === 0) {
        crashes += 1;
        return Promise.reject(new Error('simulated crash after HubSpot answered the batch'));
      }
      return Promise.resolve();
    };
    try {
      await queue.pause();
      for (const [i, t] of tickets.entries()) {
        await people(c, t.localId, `crash.${run}.${i}@example.com`, 'add');
      }
      calls.length = 0;
      await queue.resume();
      const rows = await settledPeopleRows(tickets.map((t) => t.localId));

      expect(crashes).toBe(1);
      expect(rows.every((r) => r.state === 'done')).toBe(true);
      // The retry found the contacts the first try made and associated them again, harmlessly.
      expect(calls.filter((op) => op === 'batch create contacts')).toHaveLength(1);
      expect(calls.filter((op) => op === 'batch associate contacts with tickets')).toHaveLength(2);
      for (const [i, t] of tickets.entries()) {
        const email = `crash.${run}.${i}@example.com`;
        const matching = [...stack.emulator.store.records.contacts.values()].filter(
          (k) => !k.archived && k.props.email === email,
        );
        expect(matching).toHaveLength(1);
        const { hubspot, mirror } = await contactsOf(t);
        expect(hubspot).toContain(matching[0]!.id);
        expect(mirror).toEqual(hubspot);
      }
    } finally {
      delivery.afterHubSpotWrite = null;
    }
  }, 90_000);

  it('should send a lone request at once, without waiting for a batch to fill', async () => {
    const c = await customer();
    const [warm] = await submitMany(c, 1, 'Warm-up');
    await settled(c, [warm!]);
    // As if no batch had gone out for a while: the portal is quiet.
    await stack.redis.del(stack.keys.key('requests', 'gathered', 'create'));
    // A gatherer in its window looks, every 100 ms, whether a full batch is due: a lone one never does.
    const outboxRows = stack.worker.app.get(RequestOutboxRepository);
    const count = outboxRows.countClaimable.bind(outboxRows);
    const looked: string[] = [];
    outboxRows.countClaimable = (kind) => {
      looked.push(kind);
      return count(kind);
    };
    try {
      const [lone] = await submitMany(c, 1, 'Lone');
      const [detail] = await settled(c, [lone!]);
      expect(detail!.syncState).toBe('synced');
      expect(looked.filter((kind) => kind === 'create')).toEqual([]);
      expect(batches).toContain(1);
    } finally {
      delete (outboxRows as Partial<RequestOutboxRepository>).countClaimable;
    }
  }, 30_000);
});
