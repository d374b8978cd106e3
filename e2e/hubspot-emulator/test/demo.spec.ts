import { Client } from '@hubspot/api-client';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEMO_COMPANY_NAME,
  DEMO_CONTACT_EMAIL,
  STAGE_CLOSED,
  STAGE_WAITING_ON_CONTACT,
  Store,
  seedStore,
  startEmulator,
  type Emulator,
} from '../src';

describe('Seed', () => {
  it('should be deterministic for a seed and a point in time', () => {
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    const a = new Store();
    const b = new Store();
    seedStore(a, { tickets: 300, seed: 42, now });
    seedStore(b, { tickets: 300, seed: 42, now });
    const view = (s: Store) =>
      s.ordered.tickets.map((t) => [
        t.id,
        t.props.subject,
        t.props.hs_pipeline_stage,
        t.props.createdate,
        t.props.hubspot_owner_id,
      ]);
    expect(view(a)).toEqual(view(b));
    const c = new Store();
    seedStore(c, { tickets: 300, seed: 43, now });
    expect(view(c)).not.toEqual(view(a));
  });

  it('should contain the demo contact, colleagues with their own tickets, owners and two years of tickets', () => {
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    const s = new Store();
    const result = seedStore(s, { tickets: 400, seed: 1, now });
    expect(result).toMatchObject({ owners: 12, tickets: 400 });
    expect(s.owners.filter((o) => o.archived)).toHaveLength(1);
    const alex = s.contactByEmail(DEMO_CONTACT_EMAIL)!;
    expect([alex.props.firstname, alex.props.lastname, alex.props.company]).toEqual([
      'Alex',
      'Morgan',
      DEMO_COMPANY_NAME,
    ]);
    const company = s.get('companies', s.associatedIds(alex, 'companies')[0]!)!;
    const colleagues = s.associatedIds(company, 'contacts').filter((id) => id !== alex.id);
    expect(colleagues.length).toBeGreaterThanOrEqual(4);
    expect(s.associatedIds(alex, 'tickets').length).toBeGreaterThan(5);
    expect(
      colleagues.filter((id) => s.associatedIds(s.get('contacts', id)!, 'tickets').length > 0).length,
    ).toBeGreaterThanOrEqual(3);
    const created = s.ordered.tickets.map((t) => Date.parse(t.props.createdate!));
    expect(Math.min(...created)).toBeLessThan(now - 600 * 24 * 3600_000);
    expect(Math.max(...created)).toBeGreaterThan(now - 30 * 24 * 3600_000);
    const closed = s.ordered.tickets.filter((t) => t.props.hs_pipeline_stage === STAGE_CLOSED);
    expect(closed.length).toBeGreaterThan(200);
    expect(
      closed.every(
        (t) => !!t.props.closed_date && Date.parse(t.props.closed_date) >= Date.parse(t.props.createdate!),
      ),
    ).toBe(true);
    for (const t of s.ordered.tickets) {
      expect(Date.parse(t.props.hs_lastmodifieddate!)).toBeGreaterThanOrEqual(
        Date.parse(t.props.hs_lastactivitydate ?? t.props.createdate!),
      );
      expect(s.associatedIds(t, 'emails').length).toBeGreaterThan(0);
    }
  });
});

describe('Staff console and staff actions', () => {
  let em: Emulator;
  let key: string;

  beforeAll(async () => {
    em = await startEmulator({ seed: { tickets: 30, seed: 5 } });
    const html = await (await fetch(`${em.url}/`)).text();
    key = /const KEY = "([^"]+)"/.exec(html)?.[1] ?? '';
  });
  afterAll(() => em.close());

  const staff = (method: string, p: string, body?: unknown, withKey = true) =>
    fetch(`${em.url}/_emulator/staff${p}`, {
      method,
      headers: {
        ...(withKey ? { 'X-Emulator-Console-Key': key } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('should serve the console page with its key and refuse staff calls without it', async () => {
    const res = await fetch(`${em.url}/console`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(key.length).toBeGreaterThan(10);
    expect((await staff('GET', '/tickets', undefined, false)).status).toBe(401);
    const list = (await (await staff('GET', '/tickets?q=')).json()) as {
      total: number;
      results: { id: string }[];
    };
    expect(list.total).toBe(30);
  });

  it('should let staff assign, move, reply, note and delete; the API sees every change', async () => {
    const hs = new Client({ accessToken: em.accessToken, basePath: em.url });
    const alex = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    const created = (await (
      await staff('POST', '/tickets', { subject: 'Phoned in', content: 'Call notes', contactId: alex.id })
    ).json()) as { id: string };
    const owner = em.store.owners.find((o) => !o.archived)!;
    expect((await staff('POST', `/tickets/${created.id}/owner`, { ownerId: owner.id })).status).toBe(200);
    expect(
      (await staff('POST', `/tickets/${created.id}/stage`, { stageId: STAGE_WAITING_ON_CONTACT })).status,
    ).toBe(200);
    expect((await staff('POST', `/tickets/${created.id}/reply`, { text: 'We have fixed it.' })).status).toBe(
      201,
    );
    expect((await staff('POST', `/tickets/${created.id}/note`, { text: 'Internal detail' })).status).toBe(
      201,
    );
    const t = await hs.crm.tickets.basicApi.getById(
      created.id,
      ['hubspot_owner_id', 'hs_pipeline_stage', 'hs_lastactivitydate'],
      undefined,
      ['contacts', 'companies'],
    );
    expect(t.properties).toMatchObject({
      hubspot_owner_id: owner.id,
      hs_pipeline_stage: STAGE_WAITING_ON_CONTACT,
    });
    expect(t.associations?.contacts?.results[0]?.id).toBe(alex.id);
    expect(t.associations?.companies?.results.length).toBeGreaterThan(0);
    const emails = await hs.crm.associations.v4.basicApi.getPage('tickets', created.id, 'emails');
    expect(emails.results).toHaveLength(1);
    const detail = (await (await staff('GET', `/tickets/${created.id}`)).json()) as {
      conversation: { kind: string }[];
    };
    expect(detail.conversation.map((m) => m.kind)).toEqual(['agent', 'note']);
    expect((await staff('POST', `/tickets/${created.id}/stage`, { stageId: 'nope' })).status).toBe(400);
    expect((await staff('POST', `/tickets/${created.id}/reply`, { text: '' })).status).toBe(400);
    expect((await staff('DELETE', `/tickets/${created.id}`)).status).toBe(204);
    await expect(hs.crm.tickets.basicApi.getById(created.id)).rejects.toMatchObject({ code: 404 });
    expect((await staff('GET', '/tickets/123')).status).toBe(404);
  });

  it("should send an HTML reply as HubSpot's editor does, with its text derived", async () => {
    const hs = new Client({ accessToken: em.accessToken, basePath: em.url });
    const alex = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    const created = (await (
      await staff('POST', '/tickets', { subject: 'Formatted', content: 'x', contactId: alex.id })
    ).json()) as { id: string };
    const html = '<p>Fixed in <b>4.2</b>.</p><script>alert(1)</script><p>Thanks &amp; bye</p>';
    expect((await staff('POST', `/tickets/${created.id}/reply`, { html })).status).toBe(201);
    const ids = (await hs.crm.associations.v4.basicApi.getPage('tickets', created.id, 'emails')).results.map(
      (r) => ({ id: String(r.toObjectId) }),
    );
    const read = await hs.crm.objects.emails.batchApi.read({
      inputs: ids,
      properties: ['hs_email_html', 'hs_email_text'],
      propertiesWithHistory: [],
    });
    expect(read.results[0]?.properties).toMatchObject({
      hs_email_html: html,
      hs_email_text: 'Fixed in 4.2.\nThanks & bye',
    });
    expect((await staff('POST', `/tickets/${created.id}/reply`, { html: 7 })).status).toBe(400);
  });

  it('should seed more tickets through the admin endpoint', async () => {
    const before = em.store.records.tickets.size;
    const res = await fetch(`${em.url}/_emulator/seed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ tickets: 25 }),
    });
    expect(await res.json()).toMatchObject({ tickets: 25 });
    expect(em.store.records.tickets.size).toBe(before + 25);
    const bad = await fetch(`${em.url}/_emulator/seed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ tickets: 'lots' }),
    });
    expect(bad.status).toBe(400);
  });
});

describe('State file', () => {
  it('should keep state across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hs-emulator-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      const first = await startEmulator({ seed: { tickets: 20 }, stateFile });
      const hs = new Client({ accessToken: first.accessToken, basePath: first.url });
      const t = await hs.crm.tickets.basicApi.create({
        properties: { subject: 'Survives restart' },
        associations: [],
      });
      first.staff.addNote(t.id, 'note before restart');
      await first.close();
      const second = await startEmulator({ seed: { tickets: 999 }, stateFile });
      try {
        expect(second.store.records.tickets.size).toBe(21);
        const hs2 = new Client({ accessToken: second.accessToken, basePath: second.url });
        const again = await hs2.crm.tickets.basicApi.getById(t.id, ['subject', 'num_notes']);
        expect(again.properties).toMatchObject({ subject: 'Survives restart', num_notes: '1' });
        const next = await hs2.crm.tickets.basicApi.create({
          properties: { subject: 'After restart' },
          associations: [],
        });
        expect(Number(next.id)).toBeGreaterThan(Number(t.id));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI', () => {
  it('should start on EMULATOR_PORT, print its URLs and accept `seed --tickets N`', async () => {
    const root = path.resolve(__dirname, '..');
    const tsx = path.resolve(root, '../../node_modules/.bin/tsx');
    const child = spawn(tsx, ['src/cli.ts', '--seed-tickets', '15'], {
      cwd: root,
      env: { ...process.env, EMULATOR_PORT: '0', HUBSPOT_ACCESS_TOKEN: 'cli-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /HubSpot emulator on (http:\/\/\S+)/.exec(out);
          if (m && out.includes('support console')) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const seeded = await new Promise<string>((resolve, reject) => {
        const s = spawn(tsx, ['src/cli.ts', 'seed', '--tickets', '5'], {
          cwd: root,
          env: { ...process.env, EMULATOR_URL: url, HUBSPOT_ACCESS_TOKEN: 'cli-token' },
        });
        let out = '';
        s.stdout.on('data', (d: Buffer) => (out += d.toString()));
        s.stderr.on('data', (d: Buffer) => (out += d.toString()));
        s.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
      });
      expect(seeded).toContain('"tickets":5');
      const hs = new Client({ accessToken: 'cli-token', basePath: url });
      const all = await hs.crm.tickets.getAll();
      expect(all).toHaveLength(20);
    } finally {
      child.kill('SIGTERM');
    }
  }, 40_000);
});
