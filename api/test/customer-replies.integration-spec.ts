import { type CrmRecord } from '@ticket-portal/hubspot-emulator';
import { createAccount } from '../src/cli/create-account';
import { HubSpotPort } from '../src/hubspot/hubspot.port';
import { RequestDeliveryService } from '../src/requests/request-delivery.service';
import { GOOD_PASSWORD, login, uniqueEmail, useTestStack, waitForStages } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 13, "replies that support cannot miss", end to end on the emulator: a customer's reply moves a
// ticket that waited on the customer (or was closed) to the reply stage and gives its owner a HubSpot
// task, exactly once — through HubSpot outages and a worker that dies between HubSpot's answer and
// our commit at every step.

interface Detail {
  id: string | null;
  localId: string;
  status: { label: string; state: 'open' | 'closed' };
  syncState: 'synced' | 'pending' | 'failed';
  messages: Array<{ id: string; text: string; syncState: string }>;
}

interface Customer {
  id: string;
  email: string;
  token: string;
}

const NEW_STAGE = '1';
const WAITING_ON_CONTACT = '2';
const WAITING_ON_US = '3';
const CLOSED_STAGE = '4';
const PORTAL_ID = '62515';

describe('customer replies reach support (stage move + owner task) against the emulator', () => {
  const stack = useTestStack({
    emulator: {
      seed: { tickets: 20, seed: 13 },
      rateLimit: { max: 100_000, searchPerSecond: 1000 },
      webhooks: { batchWindowMs: 20, retryBaseMs: 100, retryMaxMs: 1000 },
    },
    env: { SYNC_POLL_SECONDS: '3600', HUBSPOT_PORTAL_ID: PORTAL_ID, TICKET_REPLY_LIMITS: 'off' },
  });
  let owner: { id: string; name: string };
  let archivedOwner: string;

  async function customer(): Promise<Customer> {
    const email = uniqueEmail('replier');
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    const created = await createAccount(
      { database, argon2MemoryKib, argon2TimeCost },
      { email, password: GOOD_PASSWORD, name: 'Jamie Rivers' },
    );
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    return { id: created.id, email, token: signedIn.body.accessToken };
  }

  function detail(c: Customer, localId: string) {
    return stack.request<Detail>('GET', `/api/v1/tickets/${localId}`, { token: c.token });
  }

  /** A portal ticket in HubSpot, assigned to `ownerId`, moved by an agent to `stageId`. */
  async function ticketIn(
    c: Customer,
    stageId: string,
    ownerId: string | null = owner.id,
  ): Promise<{ localId: string; hubspotId: string; subject: string }> {
    const subject = `Stems for the trailer cut ${Math.random().toString(36).slice(2, 8)}`;
    const res = await stack.request<Detail>('POST', '/api/v1/tickets', {
      token: c.token,
      body: { subject, description: 'The stems are missing from the delivery.' },
    });
    expect(res.status).toBe(201);
    const done = await waitFor(
      'ticket synced',
      async () => (await detail(c, res.body.localId)).body,
      (d) => d.syncState === 'synced' && d.id !== null,
      20_000,
    );
    if (ownerId) stack.emulator.staff.assignOwner(done.id!, ownerId);
    if (stageId !== NEW_STAGE) stack.emulator.staff.moveStage(done.id!, stageId);
    return { localId: res.body.localId, hubspotId: done.id!, subject };
  }

  async function reply(c: Customer, localId: string, body: string): Promise<string> {
    const res = await stack.request<{ id: string }>('POST', `/api/v1/tickets/${localId}/replies`, {
      token: c.token,
      body: { body },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** Until every outbox row of the ticket is done (the reply's steps after its email included). */
  async function delivered(localId: string, ms = 30_000): Promise<void> {
    await waitFor(
      `outbox of ticket ${localId} done`,
      async () =>
        stack.query<{ state: string }>('SELECT state FROM request_outbox WHERE ticket_id = ?', [localId]),
      (rows) => rows.length > 0 && rows.every((r) => r.state === 'done'),
      ms,
    );
  }

  function tasks(hubspotId: string): CrmRecord[] {
    return stack.emulator.staff.ticketTasks(hubspotId);
  }

  function stage(hubspotId: string): string | undefined {
    return stack.emulator.store.get('tickets', hubspotId)!.props.hs_pipeline_stage;
  }

  function incomingEmails(hubspotId: string, text: string): CrmRecord[] {
    const ticket = stack.emulator.store.get('tickets', hubspotId)!;
    return stack.emulator.store
      .associatedIds(ticket, 'emails')
      .map((id) => stack.emulator.store.get('emails', id)!)
      .filter((e) => e.props.hs_email_direction === 'INCOMING_EMAIL' && e.props.hs_email_text === text);
  }

  /** Counts the worker's stage writes to HubSpot, one by one or in batches (the real calls go through). */
  function countStageWrites(): { calls: string[]; restore: () => void } {
    const port = stack.worker.app.get(HubSpotPort);
    const one = port.updateTicketStage.bind(port);
    const many = port.updateTicketStages.bind(port);
    const calls: string[] = [];
    port.updateTicketStage = (ticketId: string, stageId: string) => {
      calls.push(`${ticketId}→${stageId}`);
      return one(ticketId, stageId);
    };
    port.updateTicketStages = (inputs) => {
      calls.push(...inputs.map((i) => `${i.ticketId}→${i.stageId}`));
      return many(inputs);
    };
    // The own properties shadowed the class's methods; deleting them brings those back.
    return {
      calls,
      restore: () => {
        delete (port as Partial<HubSpotPort>).updateTicketStage;
        delete (port as Partial<HubSpotPort>).updateTicketStages;
      },
    };
  }

  beforeAll(async () => {
    await waitForStages(stack);
    const active = stack.emulator.store.owners.find((o) => !o.archived)!;
    owner = { id: active.id, name: `${active.firstName} ${active.lastName}` };
    archivedOwner = stack.emulator.store.owners.find((o) => o.archived)!.id;
  }, 90_000);

  it('should move a ticket waiting on the contact to the reply stage and give its owner one task', async () => {
    const c = await customer();
    const t = await ticketIn(c, WAITING_ON_CONTACT);
    const before = stack.emulator.store.get('tickets', t.hubspotId)!.props.last_reply_date;
    const text = 'Here are the stems.\nThe drums are on track 3.\n\nThanks!';
    await reply(c, t.localId, text);
    await delivered(t.localId);

    expect(stage(t.hubspotId)).toBe(NEW_STAGE);
    const [task, ...more] = tasks(t.hubspotId);
    expect(more).toEqual([]);
    expect(task!.props).toMatchObject({
      hs_task_subject: `Customer replied: ${t.subject}`,
      hs_task_status: 'NOT_STARTED',
      hubspot_owner_id: owner.id,
    });
    expect(task!.props.hs_task_priority).toBeUndefined();
    const body = task!.props.hs_task_body!;
    expect(body).toContain('Jamie Rivers replied in the portal');
    expect(body).toContain('Here are the stems.<br>The drums are on track 3.<br>Thanks!');
    expect(body).toContain(
      'The ticket was waiting on the customer ("Waiting on contact"); it is now in "New".',
    );
    expect(body).toContain(
      `<a href="https://app.hubspot.com/contacts/${PORTAL_ID}/record/0-5/${t.hubspotId}">Open the ticket in HubSpot</a>`,
    );
    // Due when the customer wrote; keyed by the reply's key.
    const [message] = await stack.query<{ request_key: string; created_at: Date }>(
      "SELECT request_key, created_at FROM ticket_messages WHERE ticket_id = ? AND direction = 'customer'",
      [t.localId],
    );
    expect(task!.props.tp_event_key).toBe(message!.request_key);
    expect(Date.parse(task!.props.hs_timestamp!)).toBe(new Date(message!.created_at).getTime());
    // HubSpot's own "Last customer reply date" moved with the incoming email (it is read-only).
    const after = stack.emulator.store.get('tickets', t.hubspotId)!.props.last_reply_date;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The customer sees the new status.
    await waitFor(
      'the portal shows the ticket back in New',
      async () => (await detail(c, t.localId)).body.status,
      (s) => s.label === 'New',
    );
    const [row] = await stack.query<{ follow_up: string }>(
      "SELECT follow_up FROM request_outbox WHERE ticket_id = ? AND kind = 'reply'",
      [t.localId],
    );
    expect(JSON.parse(row!.follow_up)).toEqual({
      stage: {
        from: WAITING_ON_CONTACT,
        fromLabel: 'Waiting on contact',
        closed: false,
        to: NEW_STAGE,
        toLabel: 'New',
        done: true,
      },
      task: { id: task!.id, owner: owner.id },
    });
  });

  it('should reopen a ticket support closed, with a HIGH task, and leave one waiting on us where it is', async () => {
    const c = await customer();
    const closed = await ticketIn(c, CLOSED_STAGE);
    const busy = await ticketIn(c, WAITING_ON_US);
    await reply(c, closed.localId, 'It happened again this morning.');
    await reply(c, busy.localId, 'One more detail: it is the 5.1 mix.');
    await delivered(closed.localId);
    await delivered(busy.localId);

    expect(stage(closed.hubspotId)).toBe(NEW_STAGE);
    expect(tasks(closed.hubspotId).map((k) => k.props.hs_task_priority)).toEqual(['HIGH']);
    expect(tasks(closed.hubspotId)[0]!.props.hs_task_body).toContain(
      'The ticket was closed ("Closed"); it is now in "New".',
    );
    await waitFor(
      'the portal shows the closed ticket open again',
      async () => (await detail(c, closed.localId)).body.status.state,
      (s) => s === 'open',
    );

    expect(stage(busy.hubspotId)).toBe(WAITING_ON_US);
    const busyTasks = tasks(busy.hubspotId);
    expect(busyTasks).toHaveLength(1);
    expect(busyTasks[0]!.props.hs_task_body).not.toContain('it is now in');
  });

  it('should leave the task unassigned when the ticket has no owner or its owner left', async () => {
    const c = await customer();
    const nobody = await ticketIn(c, WAITING_ON_CONTACT, null);
    const left = await ticketIn(c, WAITING_ON_CONTACT);
    // The owner left the company after the ticket was assigned (HubSpot keeps the id on the ticket).
    stack.emulator.store.get('tickets', left.hubspotId)!.props.hubspot_owner_id = archivedOwner;
    await reply(c, nobody.localId, 'Anyone there?');
    await reply(c, left.localId, 'Still waiting.');
    await delivered(nobody.localId);
    await delivered(left.localId);
    for (const t of [nobody, left]) {
      expect(stage(t.hubspotId)).toBe(NEW_STAGE);
      const found = tasks(t.hubspotId);
      expect(found).toHaveLength(1);
      expect(found[0]!.props.hubspot_owner_id).toBeUndefined();
    }
    const [row] = await stack.query<{ follow_up: string }>(
      "SELECT follow_up FROM request_outbox WHERE ticket_id = ? AND kind = 'reply'",
      [left.localId],
    );
    expect(JSON.parse(row!.follow_up).task.note).toMatch(
      new RegExp(`Owner ${archivedOwner} could not be assigned`),
    );
  });

  it('should move once, log one email and make one task when the worker dies after each HubSpot write', async () => {
    const delivery = stack.worker.app.get(RequestDeliveryService);
    const crashed: string[] = [];
    delivery.afterHubSpotWrite = (_id, kind, step) => {
      const at = `${kind}:${step ?? ''}`;
      if (kind === 'reply' && !crashed.includes(at)) {
        crashed.push(at);
        return Promise.reject(new Error(`simulated crash after HubSpot answered (${at})`));
      }
      return Promise.resolve();
    };
    const writes = countStageWrites();
    try {
      const c = await customer();
      const t = await ticketIn(c, CLOSED_STAGE);
      const text = `Crash test ${Date.now()}`;
      await reply(c, t.localId, text);
      await delivered(t.localId, 60_000);
      expect(crashed).toEqual(['reply:email', 'reply:stage', 'reply:task']);
      expect(incomingEmails(t.hubspotId, text)).toHaveLength(1);
      expect(writes.calls).toEqual([`${t.hubspotId}→${NEW_STAGE}`]);
      expect(stage(t.hubspotId)).toBe(NEW_STAGE);
      const found = tasks(t.hubspotId);
      expect(found).toHaveLength(1);
      // The stage step's record survived the crash: the task still knows the ticket was closed.
      expect(found[0]!.props.hs_task_priority).toBe('HIGH');
    } finally {
      delivery.afterHubSpotWrite = null;
      writes.restore();
    }
  }, 90_000);

  it('should wait through a HubSpot outage and then move the ticket and make the task once', async () => {
    const c = await customer();
    const t = await ticketIn(c, WAITING_ON_CONTACT);
    stack.emulator.setFaults({ outageSeconds: 5 });
    const text = `Sent while HubSpot is down ${Date.now()}`;
    await reply(c, t.localId, text);
    await waitFor(
      'a delivery attempt during the outage',
      async () =>
        (
          await stack.query<{ attempts: number }>(
            "SELECT attempts FROM request_outbox WHERE ticket_id = ? AND kind = 'reply'",
            [t.localId],
          )
        )[0]?.attempts ?? 0,
      (n) => Number(n) >= 1,
    );
    await delivered(t.localId, 60_000);
    expect(incomingEmails(t.hubspotId, text)).toHaveLength(1);
    expect(stage(t.hubspotId)).toBe(NEW_STAGE);
    expect(tasks(t.hubspotId)).toHaveLength(1);
  }, 90_000);

  it("should keep the customer's close after a reply: the reply goes first and does not reopen it", async () => {
    const delivery = stack.worker.app.get(RequestDeliveryService);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    // The reply's delivery stops right after its email, before it decides on the stage.
    delivery.afterHubSpotWrite = (_id, kind, step) => {
      if (kind === 'reply' && step === 'email') {
        holding = true;
        return held;
      }
      return Promise.resolve();
    };
    try {
      const c = await customer();
      const t = await ticketIn(c, WAITING_ON_CONTACT);
      await reply(c, t.localId, 'Never mind, found it.');
      await waitFor(
        'the reply under way',
        () => Promise.resolve(holding),
        (h) => h,
      );
      const closed = await stack.request<Detail>('POST', `/api/v1/tickets/${t.localId}/close`, {
        token: c.token,
      });
      expect(closed.status).toBe(200);
      // The close waits for the reply written before it.
      const stageRow = async () =>
        (
          await stack.query<{ state: string; attempts: number }>(
            "SELECT state, attempts FROM request_outbox WHERE ticket_id = ? AND kind = 'stage'",
            [t.localId],
          )
        )[0];
      await waitFor('the close tried', stageRow, (r) => Number(r?.attempts ?? 0) >= 1);
      expect((await stageRow())!.state).toBe('pending');
      expect(stage(t.hubspotId)).toBe(WAITING_ON_CONTACT);
      release();
      await delivered(t.localId, 60_000);
      expect(stage(t.hubspotId)).toBe(CLOSED_STAGE);
      expect(tasks(t.hubspotId)).toHaveLength(1);
      expect((await detail(c, t.localId)).body.status.state).toBe('closed');
      const [replied, close] = await stack.query<{ done_at: Date }>(
        "SELECT done_at FROM request_outbox WHERE ticket_id = ? AND kind <> 'create' ORDER BY id",
        [t.localId],
      );
      expect(new Date(replied!.done_at).getTime()).toBeLessThanOrEqual(new Date(close!.done_at).getTime());
    } finally {
      release();
      delivery.afterHubSpotWrite = null;
    }
    const [row] = await stack.query<{ follow_up: string }>(
      "SELECT follow_up FROM request_outbox WHERE kind = 'reply' ORDER BY id DESC LIMIT 1",
    );
    expect(JSON.parse(row!.follow_up).stage.note).toBe(
      "The customer's later close or reopen decides the stage.",
    );
  }, 90_000);

  it('should give the owner one HIGH task when the customer reopens, even when the worker dies before the commit', async () => {
    const delivery = stack.worker.app.get(RequestDeliveryService);
    let crashes = 0;
    delivery.afterHubSpotWrite = (_id, kind, step) => {
      if (kind === 'stage' && step === 'task' && crashes === 0) {
        crashes += 1;
        return Promise.reject(new Error('simulated crash after the task was made'));
      }
      return Promise.resolve();
    };
    try {
      const c = await customer();
      const t = await ticketIn(c, NEW_STAGE);
      const close = await stack.request('POST', `/api/v1/tickets/${t.localId}/close`, { token: c.token });
      expect(close.status).toBe(200);
      await delivered(t.localId);
      expect(stage(t.hubspotId)).toBe(CLOSED_STAGE);
      expect(tasks(t.hubspotId)).toEqual([]);
      const reopen = await stack.request('POST', `/api/v1/tickets/${t.localId}/reopen`, { token: c.token });
      expect(reopen.status).toBe(200);
      await delivered(t.localId);
      expect(crashes).toBe(1);
      expect(stage(t.hubspotId)).toBe(NEW_STAGE);
      const found = tasks(t.hubspotId);
      expect(found).toHaveLength(1);
      expect(found[0]!.props).toMatchObject({
        hs_task_subject: `Customer reopened: ${t.subject}`,
        hs_task_priority: 'HIGH',
        hubspot_owner_id: owner.id,
      });
      expect(found[0]!.props.tp_event_key).toMatch(/^tpo-/);
    } finally {
      delivery.afterHubSpotWrite = null;
    }
  }, 60_000);
});
