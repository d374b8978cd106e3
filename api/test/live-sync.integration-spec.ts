import { createAccount } from '../src/cli/create-account';
import { GOOD_PASSWORD, login, registerConfirmed, useTestStack } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// The processes as `npm start` runs them (createHttpApp + createWorker, real MariaDB and Redis)
// against the HubSpot emulator: backfill at first start, webhook → mirror, account linking, health.

const SEEDED = 25;
const DEMO_CONTACT_EMAIL = 'demo@example.com';
const DEMO_PASSWORD = 'Correct-Horse-Battery-7';

describe('live sync (API + worker + emulator)', () => {
  // An empty mirror with no finished backfill, as a new installation has (useTestStack empties the
  // run's tables first).
  const stack = useTestStack({
    emulator: { seed: { tickets: SEEDED, seed: 3 } },
    env: { SYNC_POLL_SECONDS: '3600' },
  });

  it('should fill the empty mirror with the backfill at worker start', async () => {
    // The last page is written before the backfill records its completion: wait for both, or the next
    // test's stage change could race a backfill still in flight.
    const completedAt = await waitFor(
      'backfill completed',
      async () =>
        (
          await stack.query<{ completed_at: Date | null }>(
            "SELECT completed_at FROM sync_state WHERE stream = 'backfill'",
          )
        )[0]?.completed_at ?? null,
      (at) => at instanceof Date,
      30_000,
    );
    expect(completedAt).toBeInstanceOf(Date);
    const [{ n }] = (await stack.query<{ n: number }>('SELECT COUNT(*) AS n FROM tickets')) as [
      { n: number },
    ];
    expect(Number(n)).toBe(SEEDED);
  });

  it('should mirror a staff stage change through the webhook within seconds', async () => {
    const [row] = await stack.query<{ hubspot_id: string; pipeline_id: string; stage_id: string }>(
      'SELECT hubspot_id, pipeline_id, stage_id FROM tickets ORDER BY id LIMIT 1',
    );
    const pipeline = stack.emulator.store.pipelines.find((p) => p.id === row!.pipeline_id)!;
    const target = pipeline.stages.find((s) => s.id !== row!.stage_id && !s.archived)!;

    const started = Date.now();
    stack.emulator.staff.moveStage(row!.hubspot_id, target.id);
    // The worker writes the ticket, then records the webhook stream's success: wait for both.
    const mirrored = await waitFor(
      'mirrored stage and the webhook stream recorded',
      async () => {
        const [ticket] = await stack.query<{ stage_id: string }>(
          'SELECT stage_id FROM tickets WHERE hubspot_id = ?',
          [row!.hubspot_id],
        );
        const [webhooks] = await stack.query<{ last_success_at: Date | null }>(
          "SELECT last_success_at FROM sync_state WHERE stream = 'webhooks'",
        );
        return { stage: ticket!.stage_id, lastSuccessAt: webhooks?.last_success_at ?? null };
      },
      (m) => m.stage === target.id && m.lastSuccessAt instanceof Date,
      10_000,
    );
    expect(mirrored.stage).toBe(target.id);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(mirrored.lastSuccessAt).toBeInstanceOf(Date);
  });

  it('should link a confirmed account to the HubSpot contact with its email, off the request path', async () => {
    const { id } = await createAccount(stack.config, { email: DEMO_CONTACT_EMAIL, password: DEMO_PASSWORD });
    const contact = [...stack.emulator.store.records.contacts.values()].find(
      (c) => !c.archived && c.props.email === DEMO_CONTACT_EMAIL,
    )!;
    const linked = await waitFor(
      'customer link',
      async () =>
        (
          await stack.query<{ hubspot_contact_id: string | null; hubspot_company_id: string | null }>(
            'SELECT hubspot_contact_id, hubspot_company_id FROM customers WHERE id = ?',
            [id],
          )
        )[0]!,
      (r) => r.hubspot_contact_id !== null,
    );
    expect(linked.hubspot_contact_id).toBe(contact.id);
    expect(linked.hubspot_company_id).toBe(
      stack.emulator.store.associatedIds(contact, 'companies')[0] ?? null,
    );

    const login = await stack.request<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      body: { email: DEMO_CONTACT_EMAIL, password: DEMO_PASSWORD },
    });
    expect(login.status).toBe(200);
    const me = await stack.request<{ contactLinked: boolean }>('GET', '/api/v1/me', {
      token: login.body.accessToken,
    });
    expect(me.body.contactLinked).toBe(true);
  });

  it('should link an account confirmed over HTTP, and show it in GET /me', async () => {
    const contact = [...stack.emulator.store.records.contacts.values()].find(
      (c) => !c.archived && c.props.email && c.props.email !== DEMO_CONTACT_EMAIL,
    )!;
    const email = contact.props.email!;
    await registerConfirmed(stack, email, GOOD_PASSWORD);
    const linked = await waitFor(
      'customer link',
      async () =>
        (
          await stack.query<{ hubspot_contact_id: string | null }>(
            'SELECT hubspot_contact_id FROM customers WHERE email = ?',
            [email],
          )
        )[0]?.hubspot_contact_id ?? null,
      (id) => id !== null,
    );
    expect(linked).toBe(contact.id);
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    const me = await stack.request<{ contactLinked: boolean }>('GET', '/api/v1/me', {
      token: signedIn.body.accessToken,
    });
    expect(me.body.contactLinked).toBe(true);
  });

  it('should report sync in /health and /metrics', async () => {
    const health = await stack.request<{
      status: string;
      sync: { status: string; syncedAt: string | null; streams: Array<{ stream: string }> };
    }>('GET', '/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.body.sync.status).toBe('ok');
    expect(health.body.sync.syncedAt).not.toBeNull();
    expect(health.body.sync.streams.map((s) => s.stream)).toEqual(
      expect.arrayContaining(['backfill', 'webhooks']),
    );

    const metrics = await fetch(`${stack.api.url}/api/v1/metrics`);
    const text = await metrics.text();
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/^tp_sync_healthy 1$/m);
    expect(text).toMatch(/^tp_sync_last_success_timestamp_seconds\{stream="webhooks"\} \d/m);
    expect(text).toMatch(
      /^tp_http_requests_total\{method="GET",route="\/api\/v1\/health",status="2xx"\} \d+$/m,
    );
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });
});
