import { type DataSource } from 'typeorm';
import { associationDefinition } from '@ticket-portal/hubspot-emulator';
import { type SyncHarness, sleep, startSyncHarness, waitFor } from './helpers/sync-harness';
import { BackfillService } from '../../src/sync/backfill.service';
import { renderSyncMetrics } from '../../src/sync/sync-status.service';
import { SyncScheduler } from '../../src/sync/sync-scheduler.service';
import { QueueName } from '../../src/queues/queue.constants';
import { RECONCILE_SCHEDULER_ID, syncRedisKeys } from '../../src/sync/sync.queues';
import { signHubSpotV3 } from '../../src/sync/webhook-signature';

interface Row {
  id: number;
  hubspot_id: string;
  subject: string;
  stage_id: string;
  stage_label: string | null;
  is_closed: number;
  owner_id: string | null;
  owner_name: string | null;
  contact_id: string | null;
  requester_name: string | null;
  requester_email: string | null;
  company_id: string | null;
  closed_at: Date | null;
}

const TICKET_TO_CONTACT = 16;

describe('HubSpot sync (emulator, MariaDB, Redis)', () => {
  let h: SyncHarness;
  let db: DataSource;

  const row = async (hubspotId: string): Promise<Row | undefined> =>
    (await db.query<Row[]>('SELECT * FROM tickets WHERE hubspot_id = ?', [hubspotId]))[0];
  const liveTickets = () => [...h.emulator.store.records.tickets.values()].filter((t) => !t.archived);
  const anyTicket = (skip = 0) => liveTickets()[skip]!;

  const post = (body: string, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/hubspot',
      payload: body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const signedHeaders = (body: string, uri: string, timestamp = Date.now()) => ({
    'x-hubspot-request-timestamp': String(timestamp),
    'x-hubspot-signature-v3': signHubSpotV3(h.emulator.clientSecret, 'POST', uri, body, String(timestamp)),
  });

  beforeAll(async () => {
    h = await startSyncHarness({ emulator: { seed: { tickets: 250, seed: 11 } } });
    db = h.dataSource;
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  describe(BackfillService.name, () => {
    it('should mirror every ticket with copied names and resume after a crash', async () => {
      let pages = 0;
      await expect(
        h.backfill.run({
          onProgress: () => {
            pages += 1;
            if (pages === 2) throw new Error('simulated crash');
          },
        }),
      ).rejects.toThrow('simulated crash');
      const afterCrash = await h.backfill.run({});
      expect(afterCrash).toMatchObject({ status: 'completed', resumed: true });

      const count = (await db.query<Array<{ n: string }>>('SELECT COUNT(*) AS n FROM tickets'))[0]!.n;
      expect(Number(count)).toBe(liveTickets().length);
      const sample = anyTicket(3);
      const mirrored = await row(sample.id);
      const stage = h.emulator.store.stage(sample.props.hs_pipeline!, sample.props.hs_pipeline_stage!)!;
      expect(mirrored).toMatchObject({ subject: sample.props.subject, stage_label: stage.label });
      expect(mirrored!.is_closed).toBe(stage.metadata.ticketState === 'CLOSED' ? 1 : 0);
      const unnamed = await db.query<unknown[]>(
        'SELECT id FROM tickets WHERE (owner_id IS NOT NULL AND owner_name IS NULL) OR (stage_id IS NOT NULL AND stage_label IS NULL)',
      );
      expect(unnamed).toEqual([]);
      expect(await h.backfill.run({})).toMatchObject({ status: 'already-complete' });
    });
  });

  describe('webhooks', () => {
    it('should mirror a subject change within seconds', async () => {
      const t = anyTicket(0);
      h.emulator.staff.updateTicket(t.id, { subject: 'Webhook-driven subject' });
      await waitFor(
        async () => (await row(t.id))?.subject === 'Webhook-driven subject',
        'subject in the mirror',
      );
    });

    it('should copy the new owner name when the owner changes', async () => {
      const t = anyTicket(1);
      const owner = h.emulator.store.owners.find((o) => !o.archived && o.id !== t.props.hubspot_owner_id)!;
      h.emulator.staff.assignOwner(t.id, owner.id);
      const mirrored = await waitFor(async () => {
        const r = await row(t.id);
        return r?.owner_id === owner.id ? r : undefined;
      }, 'owner change');
      expect(mirrored.owner_name).toBe(`${owner.firstName} ${owner.lastName}`);
      h.emulator.staff.assignOwner(t.id, '');
      await waitFor(async () => (await row(t.id))?.owner_id === null, 'unassignment');
      expect((await row(t.id))!.owner_name).toBeNull();
    });

    it('should close the ticket when it moves to a closed stage', async () => {
      const t = liveTickets().find((x) => x.props.hs_pipeline_stage !== '4')!;
      h.emulator.staff.moveStage(t.id, '4');
      const mirrored = await waitFor(async () => {
        const r = await row(t.id);
        return r?.stage_id === '4' ? r : undefined;
      }, 'stage change');
      expect(mirrored.is_closed).toBe(1);
      expect(mirrored.stage_label).toBe(h.emulator.store.stage('0', '4')!.label);
      expect(mirrored.closed_at).not.toBeNull();
    });

    it('should follow an association change to another contact', async () => {
      const t = liveTickets().find((x) => h.emulator.store.associatedIds(x, 'contacts').length === 1)!;
      const oldContact = h.emulator.store.get('contacts', h.emulator.store.associatedIds(t, 'contacts')[0]!)!;
      const newContact = [...h.emulator.store.records.contacts.values()].find(
        (c) => !c.archived && c.id !== oldContact.id && c.props.firstname,
      )!;
      h.emulator.store.dissociateTypes(t, oldContact, undefined, { source: 'CRM_UI' });
      h.emulator.store.associate(t, newContact, associationDefinition(TICKET_TO_CONTACT)!, {
        source: 'CRM_UI',
      });
      const mirrored = await waitFor(async () => {
        const r = await row(t.id);
        return r?.contact_id === newContact.id ? r : undefined;
      }, 'association change');
      expect(mirrored.requester_email).toBe(newContact.props.email!.toLowerCase());
      expect(mirrored.requester_name).toBe(
        `${newContact.props.firstname} ${newContact.props.lastname ?? ''}`.trim(),
      );
    });

    it('should remove a deleted ticket and its conversation', async () => {
      const t = anyTicket(5);
      const local = await row(t.id);
      h.emulator.staff.deleteTicket(t.id);
      await waitFor(async () => (await row(t.id)) === undefined, 'deletion');
      const messages = await db.query<unknown[]>('SELECT id FROM ticket_messages WHERE ticket_id = ?', [
        local!.id,
      ]);
      expect(messages).toEqual([]);
    });

    it("should mirror an agent's reply but never an internal note", async () => {
      const t = anyTicket(6);
      h.emulator.staff.addNote(t.id, 'INTERNAL: customer is grumpy');
      h.emulator.staff.replyToCustomer(t.id, 'We are on it');
      const texts = await waitFor(async () => {
        const rows = await db.query<Array<{ text: string; direction: string }>>(
          'SELECT m.text, m.direction FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.hubspot_id = ?',
          [t.id],
        );
        return rows.some((r) => r.text === 'We are on it') ? rows : undefined;
      }, 'conversation');
      expect(texts.find((r) => r.text === 'We are on it')!.direction).toBe('agent');
      expect(texts.map((r) => r.text).join(' ')).not.toContain('INTERNAL');
    });

    it('should refuse a bad or missing signature with 401 and enqueue nothing', async () => {
      const t = anyTicket(7);
      const body = JSON.stringify([
        {
          eventId: 987654,
          subscriptionType: 'ticket.deletion',
          objectId: Number(t.id),
          occurredAt: Date.now(),
        },
      ]);
      const forged = await post(body, {
        ...signedHeaders(body, h.webhookUrl),
        'x-hubspot-signature-v3': 'AAAA' + 'x'.repeat(40),
      });
      expect(forged.statusCode).toBe(401);
      expect(forged.json()).toMatchObject({ statusCode: 401, message: expect.stringMatching(/signature/i) });
      const unsigned = await post(body);
      expect(unsigned.statusCode).toBe(401);
      const stale = await post(body, signedHeaders(body, h.webhookUrl, Date.now() - 6 * 60_000));
      expect(stale.statusCode).toBe(401);
      const keys = syncRedisKeys(h.options.redisKeyPrefix);
      expect(await h.redis.zscore(keys.dirty('tickets'), t.id)).toBeNull();
      expect(await h.redis.exists(keys.event(`987654-ticket.deletion-${t.id}`))).toBe(0);
      expect(await row(t.id)).toBeDefined();
    });

    it('should answer 400 for a signed but malformed body, and dedupe a redelivered event', async () => {
      // inject() calls the app directly, so the signed URI is the one Fastify sees (localhost:80).
      const uri = 'http://localhost:80/api/v1/webhooks/hubspot';
      const bad = JSON.stringify({ not: 'an array' });
      const badAnswer = await post(bad, signedHeaders(bad, uri));
      expect(badAnswer.statusCode).toBe(400);
      expect(badAnswer.json().message).toMatch(/JSON array/);

      const t = anyTicket(8);
      const body = JSON.stringify([
        {
          eventId: 555001,
          subscriptionType: 'ticket.propertyChange',
          objectId: Number(t.id),
          propertyName: 'subject',
          occurredAt: Date.now(),
        },
      ]);
      const first = await post(body, signedHeaders(body, uri));
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ received: 1, queued: 1, duplicates: 0 });
      const again = await post(body, signedHeaders(body, uri));
      expect(again.json()).toEqual({ received: 1, queued: 0, duplicates: 1 });
    });

    it('should answer 415 with what to send for a body that is not JSON', async () => {
      const uri = 'http://localhost:80/api/v1/webhooks/hubspot';
      const body = 'eventId=1';
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const answer = await post(body, { ...signedHeaders(body, uri), 'content-type': type });
        expect(answer.statusCode).toBe(415);
        expect(answer.json()).toMatchObject({
          statusCode: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: expect.stringMatching(/application\/json/),
        });
      }
    });

    it('should count an event repeated in one batch as one duplicate', async () => {
      const uri = 'http://localhost:80/api/v1/webhooks/hubspot';
      const t = anyTicket(9);
      const event = {
        eventId: 555003,
        subscriptionType: 'ticket.propertyChange',
        objectId: Number(t.id),
        propertyName: 'subject',
        occurredAt: Date.now(),
      };
      const body = JSON.stringify([event, event]);
      const answer = await post(body, signedHeaders(body, uri));
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ received: 2, queued: 1, duplicates: 1 });
    });

    it('should verify against the forwarded public URL behind a trusted proxy', async () => {
      const body = JSON.stringify([
        { eventId: 555002, subscriptionType: 'ticket.creation', objectId: 1, occurredAt: Date.now() },
      ]);
      const answer = await post(body, {
        ...signedHeaders(body, 'https://portal.example.com/api/v1/webhooks/hubspot'),
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'portal.example.com',
      });
      expect(answer.statusCode).toBe(200);
    });
  });

  describe('faults', () => {
    it('should ride out a HubSpot outage with backoff, record it, and still converge', async () => {
      const t = anyTicket(11);
      try {
        h.emulator.setFaults({ outageSeconds: 2 });
        h.emulator.staff.updateTicket(t.id, { subject: 'After the outage' });
        await waitFor(
          async () => (await row(t.id))?.subject === 'After the outage',
          'update after the outage',
          40_000,
        ).catch(async (error: Error) => {
          // Say where the change got stuck: queue states and the sync streams.
          const queues = await Promise.all(
            [QueueName.SyncRefresh, QueueName.SyncConversations].map(async (q) => [
              q,
              await h.queue(q).getJobCounts(),
            ]),
          );
          const failed = (await h.queue(QueueName.SyncRefresh).getFailed()).map(
            (j) => `${j.name}: ${j.failedReason}`,
          );
          const states = await db.query<unknown[]>(
            'SELECT stream, failure_count, last_error FROM sync_state',
          );
          throw new Error(
            `${error.message}; queues ${JSON.stringify(queues)}; failed ${JSON.stringify(failed)}; states ${JSON.stringify(states)}`,
          );
        });
      } finally {
        h.emulator.clearFaults();
      }
      const states = await db.query<Array<{ stream: string }>>(
        "SELECT stream FROM sync_state WHERE last_error LIKE '%503%'",
      );
      expect(states.length).toBeGreaterThan(0);
    }, 60_000);
  });

  describe('rate limits', () => {
    it("should pause on HubSpot's 429 and finish the work without failing a job", async () => {
      const refresh = h.queue(QueueName.SyncRefresh);
      const failedBefore = await refresh.getFailedCount();
      const tickets = [12, 13, 14, 15, 16, 17].map((i) => anyTicket(i));
      try {
        // Six calls per second upstream, far below what our limiter lets through (a batch needs ~3).
        h.emulator.setRateLimits({ max: 6, intervalMs: 1000 });
        h.emulator.resetRateLimits();
        // Separate flush buckets, so four batch jobs run at once and overrun the upstream window.
        for (const [i, t] of tickets.entries()) {
          h.emulator.staff.updateTicket(t.id, { subject: `Under the limit ${i}` });
          await sleep(120);
        }
        for (const [i, t] of tickets.entries()) {
          await waitFor(
            async () => (await row(t.id))?.subject === `Under the limit ${i}`,
            `ticket ${i} under a 429`,
            30_000,
          );
        }
      } finally {
        h.emulator.setRateLimits({ max: 190, intervalMs: 10_000 });
        h.emulator.resetRateLimits();
      }
      await h.drain();
      expect(await refresh.getFailedCount()).toBe(failedBefore);
      const limited = await db.query<unknown[]>(
        "SELECT stream FROM sync_state WHERE last_error LIKE '%rate limited%'",
      );
      expect(limited.length).toBeGreaterThan(0);
    }, 60_000);
  });

  describe('reconcile', () => {
    it('should copy an owner rename and a stage relabel that no ticket event announces', async () => {
      await h.drain();
      const ownerId = (
        await db.query<Array<{ owner_id: string }>>(
          'SELECT owner_id FROM tickets WHERE owner_id IS NOT NULL LIMIT 1',
        )
      )[0]!.owner_id;
      const owner = h.emulator.store.owner(ownerId, true)!;
      owner.firstName = 'Renamed';
      const stage = h.emulator.store.stage('0', '2')!;
      stage.label = 'Waiting on you';
      await h.reconcile.run();
      const names = await db.query<Array<{ owner_name: string }>>(
        'SELECT DISTINCT owner_name FROM tickets WHERE owner_id = ?',
        [ownerId],
      );
      expect(names).toEqual([{ owner_name: `Renamed ${owner.lastName}` }]);
      const labels = await db.query<Array<{ stage_label: string }>>(
        "SELECT DISTINCT stage_label FROM tickets WHERE stage_id = '2'",
      );
      expect(labels.map((l) => l.stage_label)).toEqual(['Waiting on you']);
    });

    it('should register one reconcile scheduler however often workers start', async () => {
      const scheduler = h.app.get(SyncScheduler, { strict: false });
      await scheduler.schedule();
      await scheduler.schedule();
      const schedulers = await h.queue(QueueName.SyncReconcile).getJobSchedulers();
      expect(
        schedulers.filter((s) => s.key === RECONCILE_SCHEDULER_ID || s.id === RECONCILE_SCHEDULER_ID),
      ).toHaveLength(1);
      await h.queue(QueueName.SyncReconcile).removeJobScheduler(RECONCILE_SCHEDULER_ID);
      await h.queue(QueueName.SyncReconcile).removeJobScheduler('reconcile-sweep');
      // The first scheduled run starts at once; let it finish rather than pull it from under the worker.
      for (const job of await h.queue(QueueName.SyncReconcile).getJobs(['delayed', 'waiting'])) {
        await job.remove();
      }
      await h.drain();
    });
  });

  describe('accounts and status', () => {
    it('should link an account to the contact with the same email, whatever its case', async () => {
      const link = await h.contactLink.linkCustomerToContact('  DEMO@Example.com ');
      const contact = [...h.emulator.store.records.contacts.values()].find(
        (c) => c.props.email === 'demo@example.com',
      )!;
      expect(link).toEqual({ contactId: contact.id, companyId: expect.any(String) });
      const [mirrored] = await db.query<Array<{ email: string; primary_company_id: string }>>(
        'SELECT email, primary_company_id FROM contacts WHERE id = ?',
        [contact.id],
      );
      expect(mirrored).toEqual({ email: 'demo@example.com', primary_company_id: link!.companyId });
      expect(await h.contactLink.linkCustomerToContact('nobody-here@example.org')).toBeNull();
    });

    it('should report stream health, lag and queue depths as status and Prometheus lines', async () => {
      const status = await h.status.status(60);
      expect((await h.status.syncedAt())?.toISOString()).toBe(status.syncedAt);
      expect(status.streams.map((s) => s.stream)).toEqual(
        expect.arrayContaining(['backfill', 'reconcile', 'webhooks', 'owners']),
      );
      expect(status.syncedAt).not.toBeNull();
      expect(Object.keys(status.queues).sort()).toEqual([
        'sync-conversations',
        'sync-reconcile',
        'sync-refresh',
      ]);
      const text = renderSyncMetrics(status);
      expect(text).toMatch(/^tp_sync_last_success_timestamp_seconds\{stream="webhooks"\} \d+/m);
      expect(text).toMatch(/^tp_sync_queue_jobs\{queue="sync-refresh",state="waiting"\} \d+$/m);
      expect(text).toMatch(/^tp_sync_healthy 1$/m);
    });
  });
});
