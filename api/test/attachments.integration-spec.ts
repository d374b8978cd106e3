import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { AttachmentCleanupService } from '../src/attachments/attachment-cleanup.service';
import { createHttpApp, type HttpAppHandle } from '../src/app-factory';
import { createAccount } from '../src/cli/create-account';
import { CONFIG_DEFAULTS } from '../src/config/app-config';
import { RequestDeliveryService } from '../src/requests/request-delivery.service';
import { testConfig } from './helpers/test-config';
import {
  GOOD_PASSWORD,
  login,
  emptyRun,
  startTestStack,
  type TestStack,
  uniqueEmail,
  waitForStages,
} from './helpers/test-stack';
import {
  type CrmRecord as EmuRecord,
  type Emulator,
  type FileStore,
  startEmulator,
  type StoredFile,
} from '@ticket-portal/hubspot-emulator';
import { waitFor } from './helpers/wait-for';

// Issue 13, attachments both ways, end to end: the real API and worker on MariaDB and Redis against
// the HubSpot emulator (its Files API and email attachments). A second API process with small limits
// shares the database: an upload to one process is usable through the other.

interface Attachment {
  id: string;
  name: string;
  size: number | null;
  contentType: string;
  downloadPath: string;
  inline: boolean;
}

interface Message {
  id: string;
  from: 'customer' | 'support';
  text: string;
  syncState: string;
  attachments: Attachment[];
}

interface Detail {
  id: string | null;
  localId: string;
  syncState: 'synced' | 'pending' | 'failed';
  syncError: string | null;
  attachments: Attachment[];
  messages: Message[];
}

interface Uploaded {
  attachments: Array<{ id: string; name: string; size: number; contentType: string }>;
  code?: string;
  message?: string;
  fields?: Record<string, string>;
}

interface Customer {
  id: string;
  email: string;
  token: string;
}

interface Part {
  name: string;
  data: Buffer;
  type?: string;
}

// A tiny but real PNG (1×1) and PDF: the sniffer needs their magic numbers.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), randomBytes(2000)]);
const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(200),
]);

/**
 * Streams a multipart upload of `size` bytes (a PDF header, then random bytes) from a child process,
 * and answers the API's status and body and the file's SHA-256.
 */
function uploadFromChildProcess(
  url: string,
  token: string,
  size: number,
): Promise<{ status: number; body: string; sha256: string }> {
  const script = `
    const http = require('node:http');
    const { createHash, randomBytes } = require('node:crypto');
    const [url, token, size] = [process.env.URL, process.env.TOKEN, Number(process.env.SIZE)];
    const boundary = '----tp' + randomBytes(8).toString('hex');
    const hash = createHash('sha256');
    const request = http.request(url, {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token, 'content-type': 'multipart/form-data; boundary=' + boundary },
    }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => {
        process.stdout.write(JSON.stringify({ status: response.statusCode, body, sha256: hash.digest('hex') }));
      });
    });
    request.write('--' + boundary + '\\r\\nContent-Disposition: form-data; name="file"; filename="big.pdf"\\r\\nContent-Type: application/pdf\\r\\n\\r\\n');
    const head = Buffer.from('%PDF-1.7\\n');
    hash.update(head);
    request.write(head);
    let sent = head.length;
    const pump = () => {
      while (sent < size) {
        const piece = randomBytes(Math.min(256 * 1024, size - sent));
        hash.update(piece);
        sent += piece.length;
        if (!request.write(piece)) return request.once('drain', pump);
      }
      request.end('\\r\\n--' + boundary + '--\\r\\n');
    };
    pump();
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, URL: url, TOKEN: token, SIZE: String(size) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`upload client exited with ${code}: ${out}`));
      else resolve(JSON.parse(out) as { status: number; body: string; sha256: string });
    });
  });
}

describe('attachments (upload, attach, deliver, mirror, download) against the emulator', () => {
  let emulator: Emulator;
  let stack: TestStack;
  let small: HttpAppHandle;

  function files(): FileStore {
    return emulator.store.files;
  }

  function hubspotFilesLike(data: Buffer): StoredFile[] {
    const md5 = createHash('md5').update(data).digest('hex');
    return [...files().files.values()].filter((f) => !f.archived && f.md5 === md5);
  }

  async function customer(email = uniqueEmail('attacher')): Promise<Customer> {
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    const created = await createAccount(
      { database, argon2MemoryKib, argon2TimeCost },
      { email, password: GOOD_PASSWORD, name: 'Avery Quill' },
    );
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    if (signedIn.status !== 200) throw new Error(`login answered ${signedIn.status}: ${signedIn.text}`);
    return { id: created.id, email, token: signedIn.body.accessToken };
  }

  async function upload(c: Customer, parts: Part[], base = stack.api.url) {
    const form = new FormData();
    for (const p of parts) {
      form.append('file', new Blob([p.data], { type: p.type ?? 'application/octet-stream' }), p.name);
    }
    const response = await fetch(`${base}/api/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Uploaded };
  }

  async function download(c: Customer, path: string) {
    const response = await fetch(`${stack.api.url}${path}`, {
      headers: { authorization: `Bearer ${c.token}` },
    });
    return {
      status: response.status,
      headers: response.headers,
      data: Buffer.from(await response.arrayBuffer()),
    };
  }

  function detail(c: Customer, localId: string) {
    return stack.request<Detail>('GET', `/api/v1/tickets/${localId}`, { token: c.token });
  }

  function synced(c: Customer, localId: string, ms = 20_000): Promise<Detail> {
    return waitFor(
      `ticket ${localId} synced`,
      async () => (await detail(c, localId)).body,
      (d) => d.syncState === 'synced' && d.id !== null,
      ms,
    );
  }

  function ticketEmails(ticketId: string): EmuRecord[] {
    const ticket = emulator.store.get('tickets', ticketId)!;
    return emulator.store.associatedIds(ticket, 'emails').map((id) => emulator.store.get('emails', id)!);
  }

  beforeAll(async () => {
    // Every suite of a run shares its database: start from empty tables, as useTestStack does.
    await emptyRun();
    emulator = await startEmulator({
      port: 0,
      seed: { tickets: 5, seed: 13 },
      rateLimit: { max: 100_000, searchPerSecond: 1000 },
      webhooks: { batchWindowMs: 20, retryBaseMs: 100, retryMaxMs: 1000 },
    });
    const hubspot = {
      HUBSPOT_BASE_URL: emulator.url,
      HUBSPOT_ACCESS_TOKEN: emulator.accessToken,
      HUBSPOT_CLIENT_SECRET: emulator.clientSecret,
      SYNC_POLL_SECONDS: '3600',
      TICKET_SUBMIT_LIMITS: 'off',
      TICKET_REPLY_LIMITS: 'off',
      TICKET_CHANGE_LIMITS: 'off',
      TICKET_IP_LIMITS: 'off',
    };
    stack = await startTestStack({
      ...hubspot,
      ATTACHMENTS_MAX_BYTES: '60MB',
      ATTACHMENTS_MAX_TOTAL_BYTES: '60MB',
      // A site that takes JSON files too: their downloads must still skip the JSON compressor.
      ATTACHMENTS_TYPES: `${CONFIG_DEFAULTS.ATTACHMENTS_TYPES},application/json`,
    });
    emulator.setWebhookUrl(`${stack.api.url}/api/v1/webhooks/hubspot`);
    // Another API process on the same database, with small limits.
    small = await createHttpApp(
      testConfig({
        ...hubspot,
        ATTACHMENTS_MAX_FILES: '2',
        ATTACHMENTS_MAX_BYTES: '64KB',
        ATTACHMENTS_MAX_TOTAL_BYTES: '100KB',
      }),
      { logger: false },
    );
    await waitForStages(stack);
  }, 90_000);

  afterAll(async () => {
    await small?.close();
    await stack?.close();
    await emulator?.close();
  });

  describe('customer → HubSpot', () => {
    it('should send files with a new request: staged in MySQL, on an email of the ticket in HubSpot, downloadable all along', async () => {
      const c = await customer();
      // Uploaded through one API process, used through the other: nothing lives on one process's disk.
      const up = await upload(
        c,
        [
          { name: 'screen shot.png', data: PNG, type: 'image/png' },
          { name: '../../etc/statement.pdf', data: PDF, type: 'application/pdf' },
        ],
        small.url,
      );
      expect(up.status).toBe(201);
      expect(up.body.attachments).toEqual([
        { id: expect.any(String), name: 'screen shot.png', size: PNG.length, contentType: 'image/png' },
        { id: expect.any(String), name: 'statement.pdf', size: PDF.length, contentType: 'application/pdf' },
      ]);
      const ids = up.body.attachments.map((a) => a.id);

      const res = await stack.request<Detail>('POST', '/api/v1/tickets', {
        token: c.token,
        body: { subject: 'With files', description: 'See the attached statement.', attachmentIds: ids },
      });
      expect(res.status).toBe(201);
      expect(res.body.attachments.map((a) => a.id)).toEqual(ids);
      expect(res.body.attachments[0]).toMatchObject({
        name: 'screen shot.png',
        contentType: 'image/png',
        inline: true,
        downloadPath: `/api/v1/tickets/${res.body.localId}/attachments/${ids[0]}`,
      });

      // Before delivery: from MySQL. An image inline, anything else as a download; never sniffed or run.
      const image = await download(c, res.body.attachments[0]!.downloadPath);
      expect(image.status).toBe(200);
      expect(image.data.equals(PNG)).toBe(true);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(image.headers.get('content-disposition')).toBe('inline; filename="screen shot.png"');
      expect(image.headers.get('x-content-type-options')).toBe('nosniff');
      expect(image.headers.get('content-security-policy')).toContain('sandbox');
      const pdf = await download(c, res.body.attachments[1]!.downloadPath);
      expect(pdf.data.equals(PDF)).toBe(true);
      expect(pdf.headers.get('content-disposition')).toBe('attachment; filename=statement.pdf');

      const done = await synced(c, res.body.localId);
      // In HubSpot: each file once, private, on one incoming email logged on the ticket.
      const inHubSpot = [hubspotFilesLike(PNG), hubspotFilesLike(PDF)];
      expect(inHubSpot.map((f) => f.length)).toEqual([1, 1]);
      expect(inHubSpot.map((f) => f[0]!.access)).toEqual(['PRIVATE', 'PRIVATE']);
      const carrying = ticketEmails(done.id!).filter((e) => e.props.hs_attachment_ids);
      expect(carrying).toHaveLength(1);
      expect(carrying[0]!.props.hs_email_direction).toBe('INCOMING_EMAIL');
      expect(carrying[0]!.props.hs_attachment_ids!.split(';')).toEqual(inHubSpot.map((f) => f[0]!.id));
      expect(carrying[0]!.props.hs_email_text).toContain('statement.pdf');

      // The email carrying the files is not a message of the conversation: the files stay with the request.
      await waitFor(
        'conversation mirrored',
        async () =>
          (
            await stack.query<{ at: Date | null }>(
              'SELECT conversation_synced_at AS at FROM tickets WHERE id = ?',
              [res.body.localId],
            )
          )[0]!.at,
        (at) => at !== null,
      );
      const page = (await detail(c, res.body.localId)).body;
      expect(page.messages).toEqual([]);
      expect(page.attachments.map((a) => a.id)).toEqual(ids);

      // An hour after HubSpot had them, the bytes leave MySQL; downloads then stream from HubSpot through the API.
      await stack.worker.app.get(AttachmentCleanupService).run(new Date(Date.now() + 2 * 3600_000));
      const [left] = await stack.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM attachment_chunks WHERE attachment_id IN (?, ?)`,
        ids,
      );
      expect(Number(left!.n)).toBe(0);
      const again = await download(c, page.attachments[1]!.downloadPath);
      expect(again.status).toBe(200);
      expect(again.data.equals(PDF)).toBe(true);
      expect(again.headers.get('content-disposition')).toBe('attachment; filename=statement.pdf');
    });

    it('should send files with a reply on its email, exactly once even when the worker dies before its commit', async () => {
      const c = await customer();
      const ticket = await stack.request<Detail>('POST', '/api/v1/tickets', {
        token: c.token,
        body: { subject: 'Reply with files', description: 'First.' },
      });
      const done = await synced(c, ticket.body.localId);
      const log = Buffer.from(`2026-05-01 12:00:00 ERROR export failed ${Date.now()}\n`.repeat(40));
      const up = await upload(c, [{ name: 'export.log', data: log, type: 'text/x-log' }]);
      expect(up.status).toBe(201);
      expect(up.body.attachments[0]).toMatchObject({ name: 'export.log', contentType: 'text/plain' });

      const delivery = stack.worker.app.get(RequestDeliveryService);
      let crashes = 0;
      delivery.afterHubSpotWrite = (_id, kind) => {
        if (kind === 'reply' && crashes === 0) {
          crashes += 1;
          return Promise.reject(new Error('simulated crash after HubSpot answered'));
        }
        return Promise.resolve();
      };
      try {
        const reply = await stack.request<Message>('POST', `/api/v1/tickets/${ticket.body.localId}/replies`, {
          token: c.token,
          body: { body: 'The log is attached.', attachmentIds: [up.body.attachments[0]!.id] },
        });
        expect(reply.status).toBe(201);
        expect(reply.body.attachments).toEqual([
          expect.objectContaining({ id: up.body.attachments[0]!.id, name: 'export.log', size: log.length }),
        ]);
        await waitFor(
          'reply synced',
          async () =>
            (await detail(c, ticket.body.localId)).body.messages.find((m) => m.id === reply.body.id)
              ?.syncState,
          (s) => s === 'synced',
        );
        expect(crashes).toBe(1);
      } finally {
        delivery.afterHubSpotWrite = null;
      }
      // One file in HubSpot despite the retry, on the reply's email.
      const stored = hubspotFilesLike(log);
      expect(stored).toHaveLength(1);
      const emails = ticketEmails(done.id!).filter((e) => e.props.hs_email_text === 'The log is attached.');
      expect(emails).toHaveLength(1);
      expect(emails[0]!.props.hs_attachment_ids).toBe(stored[0]!.id);
      // The conversation refresh does not list the file twice (the mirror knows it is the portal's).
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const message = (await detail(c, ticket.body.localId)).body.messages.find(
        (m) => m.text === 'The log is attached.',
      )!;
      expect(message.attachments.map((a) => a.id)).toEqual([up.body.attachments[0]!.id]);
      const got = await download(c, message.attachments[0]!.downloadPath);
      expect(got.data.equals(log)).toBe(true);
      expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
    });

    it("should still send a new request's files when a webhook mirrored the ticket before the delivery's commit", async () => {
      const c = await customer();
      const data = Buffer.concat([Buffer.from('%PDF-1.6\n'), randomBytes(8000)]);
      const up = await upload(c, [{ name: 'early.pdf', data, type: 'application/pdf' }]);
      // Long enough that a slow machine cannot reach its end before the steps below are done (the
      // delivery would then make the ticket itself); `clearFaults` ends it right after them.
      emulator.setFaults({ outageSeconds: 120 });
      let hubspotId: string;
      let localId: string;
      try {
        const res = await stack.request<Detail>('POST', '/api/v1/tickets', {
          token: c.token,
          body: {
            subject: 'Early webhook',
            description: 'Mirrored first.',
            attachmentIds: [up.body.attachments[0]!.id],
          },
        });
        localId = res.body.localId;
        // As after a crash between HubSpot's answer and our commit: HubSpot has the ticket (with the
        // request key) and a webhook already wrote its id into the portal's row; the files are not sent.
        const [row] = await stack.query<{ request_key: string }>(
          'SELECT request_key FROM tickets WHERE id = ?',
          [localId],
        );
        const made = emulator.staff.createTicket({ subject: 'Early webhook', content: 'Mirrored first.' });
        emulator.store.update(made, { tp_request_key: row!.request_key });
        hubspotId = made.id;
        await stack.query('UPDATE tickets SET hubspot_id = ? WHERE id = ?', [hubspotId, localId]);
      } finally {
        emulator.clearFaults();
      }
      const carrying = await waitFor(
        'the files email',
        () => ticketEmails(hubspotId).filter((e) => e.props.hs_attachment_ids),
        (emails) => emails.length > 0,
        30_000,
      );
      expect(carrying).toHaveLength(1);
      expect(carrying[0]!.props.hs_attachment_ids).toBe(hubspotFilesLike(data)[0]!.id);
      await waitFor(
        'outbox done',
        async () =>
          (
            await stack.query<{ state: string }>('SELECT state FROM request_outbox WHERE ticket_id = ?', [
              localId,
            ])
          )[0]!.state,
        (state) => state === 'done',
      );
      const [file] = await stack.query<{ state: string }>('SELECT state FROM attachments WHERE id = ?', [
        up.body.attachments[0]!.id,
      ]);
      expect(file!.state).toBe('sent');
    }, 60_000);

    it('should keep the files of a request made while HubSpot is down and deliver them once when it is back', async () => {
      const c = await customer();
      const data = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(30_000)]);
      const up = await upload(c, [{ name: 'outage.pdf', data, type: 'application/pdf' }]);
      emulator.setFaults({ outageSeconds: 4 });
      try {
        const res = await stack.request<Detail>('POST', '/api/v1/tickets', {
          token: c.token,
          body: {
            subject: 'During an outage',
            description: 'Files wait.',
            attachmentIds: [up.body.attachments[0]!.id],
          },
        });
        expect(res.status).toBe(201);
        expect(res.body.syncState).toBe('pending');
        await synced(c, res.body.localId, 40_000);
      } finally {
        emulator.clearFaults();
      }
      expect(hubspotFilesLike(data)).toHaveLength(1);
    }, 60_000);
  });

  describe('HubSpot → customer', () => {
    it("should list the files of support's reply and stream them through the API", async () => {
      const c = await customer();
      const ticket = await stack.request<Detail>('POST', '/api/v1/tickets', {
        token: c.token,
        body: { subject: 'Support sends files', description: 'Please send the contract.' },
      });
      const done = await synced(c, ticket.body.localId);
      const contract = Buffer.concat([Buffer.from('%PDF-1.5\n'), randomBytes(5000)]);
      const options = {
        access: 'PRIVATE',
        overwrite: false,
        duplicateValidationStrategy: 'NONE',
        duplicateValidationScope: 'EXACT_FOLDER',
      } as const;
      const pdfFile = files().upload({
        data: contract,
        partName: 'contract.pdf',
        contentType: 'application/pdf',
        folderPath: '/support',
        options,
      }).file;
      const pngFile = files().upload({
        data: PNG,
        partName: 'diagram.png',
        contentType: 'image/png',
        folderPath: '/support',
        options,
      }).file;
      const page = files().upload({
        data: Buffer.from('<html><script>alert(1)</script></html>'),
        partName: 'page.html',
        contentType: 'text/html',
        folderPath: '/support',
        options,
      }).file;
      emulator.staff.replyToCustomer(done.id!, 'Here is the contract.', {
        attachmentIds: [pdfFile.id, pngFile.id, page.id],
      });

      const message = await waitFor(
        "support's reply",
        async () => (await detail(c, ticket.body.localId)).body.messages.find((m) => m.from === 'support'),
        (m) => m !== undefined && m.attachments.length === 3,
      );
      expect(message!.attachments.map((a) => [a.name, a.contentType, a.size, a.inline])).toEqual([
        ['contract.pdf', 'application/pdf', contract.length, false],
        ['diagram.png', 'image/png', PNG.length, true],
        ['page.html', 'text/html', expect.any(Number), false],
      ]);
      const pdf = await download(c, message!.attachments[0]!.downloadPath);
      expect(pdf.status).toBe(200);
      expect(pdf.data.equals(contract)).toBe(true);
      expect(pdf.headers.get('content-disposition')).toBe('attachment; filename=contract.pdf');
      expect(pdf.headers.get('location')).toBeNull();
      expect(pdf.data.toString('latin1')).not.toContain('signature=');
      const png = await download(c, message!.attachments[1]!.downloadPath);
      expect(png.headers.get('content-disposition')).toBe('inline; filename=diagram.png');
      // A type the portal would not take is handed over as an opaque download.
      const html = await download(c, message!.attachments[2]!.downloadPath);
      expect(html.headers.get('content-type')).toBe('application/octet-stream');
      expect(html.headers.get('content-disposition')).toBe('attachment; filename=page.html');

      // Support deletes a file in HubSpot: the download says so.
      files().archive(pdfFile);
      const gone = await download(c, message!.attachments[0]!.downloadPath);
      expect(gone.status).toBe(404);
    });

    it('should send a download as stored, never compressed, even of a JSON type the site allows', async () => {
      const c = await customer();
      const ticket = await stack.request<Detail>('POST', '/api/v1/tickets', {
        token: c.token,
        body: { subject: 'Support sends data', description: 'Please send the export.' },
      });
      const done = await synced(c, ticket.body.localId);
      const rows = Array.from({ length: 300 }, (_, i) => ({ row: i, name: `Row number ${i}` }));
      const data = Buffer.from(JSON.stringify({ rows }));
      const file = files().upload({
        data,
        partName: 'export.json',
        contentType: 'application/json',
        folderPath: '/support',
        options: {
          access: 'PRIVATE',
          overwrite: false,
          duplicateValidationStrategy: 'NONE',
          duplicateValidationScope: 'EXACT_FOLDER',
        },
      }).file;
      emulator.staff.replyToCustomer(done.id!, 'Here is the export.', { attachmentIds: [file.id] });
      const message = await waitFor(
        "support's reply",
        async () => (await detail(c, ticket.body.localId)).body.messages.find((m) => m.from === 'support'),
        (m) => m !== undefined && m.attachments.length === 1,
      );

      const response = await fetch(`${stack.api.url}${message!.attachments[0]!.downloadPath}`, {
        headers: { authorization: `Bearer ${c.token}`, 'accept-encoding': 'br, gzip' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      // Brotli would shrink these 10 KB of JSON tenfold; a file still goes out as it is, with its length.
      expect(response.headers.get('content-encoding')).toBeNull();
      expect(response.headers.get('content-length')).toBe(String(data.length));
      expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
    });
  });

  describe('access', () => {
    let owner: Customer;
    let ticket: Detail;
    let attached: Attachment;

    beforeAll(async () => {
      owner = await customer();
      const up = await upload(owner, [{ name: 'private.png', data: PNG, type: 'image/png' }]);
      const res = await stack.request<Detail>('POST', '/api/v1/tickets', {
        token: owner.token,
        body: { subject: 'Mine', description: 'Private file.', attachmentIds: [up.body.attachments[0]!.id] },
      });
      ticket = res.body;
      attached = res.body.attachments[0]!;
    });

    it("should answer 404 for another customer's attachment, whatever the path", async () => {
      const other = await customer();
      const direct = await download(other, attached.downloadPath);
      expect(direct.status).toBe(404);
      const otherTicket = await stack.request<Detail>('POST', '/api/v1/tickets', {
        token: other.token,
        body: { subject: 'Theirs', description: 'Another ticket.' },
      });
      const viaOwnTicket = await download(
        other,
        `/api/v1/tickets/${otherTicket.body.localId}/attachments/${attached.id}`,
      );
      expect(viaOwnTicket.status).toBe(404);
      expect((JSON.parse(viaOwnTicket.data.toString()) as { code: string }).code).toBe('NOT_FOUND');
      for (const bad of ['x', '00000000-0000-4000-8000-000000000000', `${attached.id}x`]) {
        expect((await download(owner, `/api/v1/tickets/${ticket.localId}/attachments/${bad}`)).status).toBe(
          404,
        );
      }
      const anonymous = await fetch(`${stack.api.url}${attached.downloadPath}`);
      expect(anonymous.status).toBe(401);
    });

    it("should refuse someone else's upload and an upload already used by another message", async () => {
      const other = await customer();
      const theirs = await upload(other, [{ name: 'theirs.png', data: PNG, type: 'image/png' }]);
      const stolen = await stack.request<{ code: string; fields: Record<string, string> }>(
        'POST',
        `/api/v1/tickets/${ticket.localId}/replies`,
        { token: owner.token, body: { body: 'Not mine', attachmentIds: [theirs.body.attachments[0]!.id] } },
      );
      expect(stolen.status).toBe(400);
      expect(stolen.body.fields.attachmentIds).toMatch(/not one of your uploads/);
      const reused = await stack.request<{ code: string; fields: Record<string, string> }>(
        'POST',
        `/api/v1/tickets/${ticket.localId}/replies`,
        { token: owner.token, body: { body: 'Again', attachmentIds: [attached.id] } },
      );
      expect(reused.status).toBe(400);
      expect(reused.body.fields.attachmentIds).toMatch(/already attached to another message/);
      // Nothing was written by the refused replies.
      const messages = await stack.query('SELECT id FROM ticket_messages WHERE ticket_id = ?', [
        ticket.localId,
      ]);
      expect(messages).toEqual([]);
      // A staged upload is not downloadable through a ticket, even the uploader's own.
      const staged = await upload(owner, [{ name: 'staged.png', data: PNG, type: 'image/png' }]);
      expect(
        (
          await download(
            owner,
            `/api/v1/tickets/${ticket.localId}/attachments/${staged.body.attachments[0]!.id}`,
          )
        ).status,
      ).toBe(404);
    });

    it('should replay a request with the same Idempotency-Key and files, and refuse the key with other files', async () => {
      const first = await upload(owner, [{ name: 'a.png', data: PNG, type: 'image/png' }]);
      const second = await upload(owner, [{ name: 'b.png', data: PNG, type: 'image/png' }]);
      const send = (ids: string[]) =>
        stack.request<Detail & { code?: string }>('POST', '/api/v1/tickets', {
          token: owner.token,
          body: { subject: 'Keyed', description: 'With a file.', attachmentIds: ids },
          headers: { 'idempotency-key': `files-${first.body.attachments[0]!.id}` },
        });
      const a = await send([first.body.attachments[0]!.id]);
      const b = await send([first.body.attachments[0]!.id]);
      expect([a.status, b.status]).toEqual([201, 200]);
      expect(b.body.localId).toBe(a.body.localId);
      expect(b.body.attachments.map((x) => x.id)).toEqual([first.body.attachments[0]!.id]);
      const c = await send([second.body.attachments[0]!.id]);
      expect(c.status).toBe(422);
      expect(c.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('limits and types', () => {
    let c: Customer;

    beforeAll(async () => {
      c = await customer();
    });

    async function stagedCount(): Promise<number> {
      const [row] = await stack.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM attachments WHERE customer_id = ?',
        [c.id],
      );
      return Number(row!.n);
    }

    it('should refuse too many files, a file too large and too much in total, naming the limit, keeping none', async () => {
      const before = await stagedCount();
      const many = await upload(
        c,
        [1, 2, 3].map((i) => ({ name: `n${i}.png`, data: PNG, type: 'image/png' })),
        small.url,
      );
      expect(many.status).toBe(400);
      expect(many.body.message).toMatch(/at most 2 files/);
      expect(many.body.fields?.files).toBe(many.body.message);

      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(70 * 1024)]);
      const tooBig = await upload(
        c,
        [
          { name: 'ok.png', data: PNG, type: 'image/png' },
          { name: 'big.pdf', data: big },
        ],
        small.url,
      );
      expect(tooBig.status).toBe(413);
      expect(tooBig.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(tooBig.body.message).toBe('big.pdf is larger than 64 KB: each file can be at most 64 KB.');

      const half = () => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(60 * 1024)]);
      const tooMuch = await upload(
        c,
        [
          { name: 'one.pdf', data: half() },
          { name: 'two.pdf', data: half() },
        ],
        small.url,
      );
      expect(tooMuch.status).toBe(413);
      expect(tooMuch.body.message).toMatch(/at most 100 KB together/);

      const empty = await upload(
        c,
        [{ name: 'empty.txt', data: Buffer.alloc(0), type: 'text/plain' }],
        small.url,
      );
      expect(empty.status).toBe(400);
      expect(empty.body.message).toMatch(/empty\.txt is empty/);
      // All or nothing: the accepted parts of refused uploads are gone too.
      expect(await stagedCount()).toBe(before);
    });

    it('should recognise the type from the content, allow text without magic bytes, and refuse programs, HTML and SVG', async () => {
      const csv = await upload(
        c,
        [
          {
            name: 'royalties.csv',
            data: Buffer.from('title,amount\nSong,12.50\n'),
            type: 'application/vnd.ms-excel',
          },
        ],
        small.url,
      );
      expect(csv.status).toBe(201);
      expect(csv.body.attachments[0]!.contentType).toBe('text/csv');
      const untyped = await upload(c, [{ name: 'scan.pdf', data: PDF }], small.url);
      expect(untyped.body.attachments[0]!.contentType).toBe('application/pdf');

      const cases: Array<[Part, RegExp]> = [
        [
          { name: 'setup.exe', data: EXE, type: 'application/x-msdownload' },
          /Windows program, which cannot be attached/,
        ],
        [
          { name: 'invoice.pdf', data: EXE, type: 'application/pdf' },
          /invoice\.pdf is sent as a PDF document, but its content is a Windows program/,
        ],
        [
          { name: 'photo.png', data: PDF, type: 'image/png' },
          /photo\.png is sent as a PNG image, but its content is a PDF document/,
        ],
        [
          { name: 'page.html', data: Buffer.from('<!DOCTYPE html><p>hi</p>'), type: 'text/html' },
          /an HTML page, which cannot be attached/,
        ],
        [
          {
            name: 'notes.txt',
            data: Buffer.from('<html><body><script>alert(1)</script>'),
            type: 'text/plain',
          },
          /an HTML page/,
        ],
        [
          {
            name: 'logo.svg',
            data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
            type: 'image/svg+xml',
          },
          /an SVG image, which cannot be attached/,
        ],
        [{ name: 'data.bin', data: randomBytes(500) }, /cannot tell what kind of file data\.bin is/],
      ];
      for (const [part, message] of cases) {
        const res = await upload(c, [part], small.url);
        expect({ name: part.name, status: res.status, code: res.body.code }).toEqual({
          name: part.name,
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
        });
        expect(res.body.message).toMatch(message);
        // A refused type says what can be attached; a mismatch says what the file really is.
        if (!message.source.includes('but its content')) {
          expect(res.body.message).toMatch(/Files you can attach: PNG image, JPEG image, .*PDF document/);
        }
      }
    });

    it('should sanitise file names', async () => {
      const res = await upload(
        c,
        [
          { name: 'C:\\Users\\me\\re\u202eport<1>.png', data: PNG, type: 'image/png' },
          { name: '..', data: PNG, type: 'image/png' },
        ],
        small.url,
      );
      expect(res.status).toBe(201);
      expect(res.body.attachments.map((a) => a.name)).toEqual(['report_1_.png', 'file.png']);
    });

    it('should refuse too many attachmentIds on one message, and keep 415 for multipart bodies elsewhere', async () => {
      const ids = (
        await upload(
          c,
          [
            { name: 'x.png', data: PNG, type: 'image/png' },
            { name: 'y.png', data: PNG, type: 'image/png' },
          ],
          small.url,
        )
      ).body.attachments.map((a) => a.id);
      const third = (await upload(c, [{ name: 'z.png', data: PNG, type: 'image/png' }], small.url)).body
        .attachments[0]!.id;
      const res = await fetch(`${small.url}/api/v1/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'Three', description: 'Too many.', attachmentIds: [...ids, third] }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/at most 2 files/);

      const form = new FormData();
      form.append('email', 'a@example.com');
      form.append('password', 'violet-harbour-lantern-42');
      const register = await fetch(`${stack.api.url}/api/v1/auth/register`, { method: 'POST', body: form });
      expect(register.status).toBe(415);
      expect(((await register.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const json = await stack.request('POST', '/api/v1/attachments', {
        token: c.token,
        body: { file: 'x' },
      });
      expect(json.status).toBe(415);
      expect(json.body.message).toMatch(/multipart\/form-data/);
    });

    it('should delete uploads never attached after the staging time, with their bytes', async () => {
      const up = await upload(c, [{ name: 'forgotten.png', data: PNG, type: 'image/png' }], small.url);
      const id = up.body.attachments[0]!.id;
      await stack.query('UPDATE attachments SET created_at = ? WHERE id = ?', [
        new Date(Date.now() - 25 * 3600_000),
        id,
      ]);
      const result = await stack.worker.app.get(AttachmentCleanupService).run();
      expect(result.abandoned).toBeGreaterThanOrEqual(1);
      expect(await stack.query('SELECT id FROM attachments WHERE id = ?', [id])).toEqual([]);
      expect(await stack.query('SELECT seq FROM attachment_chunks WHERE attachment_id = ?', [id])).toEqual(
        [],
      );
    });
  });

  describe('a 50 MB upload', () => {
    it('should stream through with the memory of the process bounded, and back out intact', async () => {
      const c = await customer();
      const size = 50 * 1024 * 1024;
      const baseline = process.memoryUsage();
      let peakRss = baseline.rss;
      let peakExternal = baseline.external + baseline.arrayBuffers;
      let peakHeap = baseline.heapUsed;
      const sampler = setInterval(() => {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakExternal = Math.max(peakExternal, now.external + now.arrayBuffers);
        peakHeap = Math.max(peakHeap, now.heapUsed);
      }, 20);
      let sent: { status: number; body: string; sha256: string };
      try {
        // The client is another process, so what is measured here is the API's memory alone.
        sent = await uploadFromChildProcess(`${stack.api.url}/api/v1/attachments`, c.token, size);
      } finally {
        clearInterval(sampler);
      }
      const digest = sent.sha256;
      const answer = JSON.parse(sent.body) as Uploaded;
      expect(sent.status).toBe(201);
      expect(answer.attachments[0]).toMatchObject({ name: 'big.pdf', size, contentType: 'application/pdf' });
      const rssGrowth = peakRss - baseline.rss;
      // For the record (docs/benchmarks.md has the bench's figures): what the API process grew by.
      process.stdout.write(
        `50 MB upload: RSS +${(rssGrowth / 1048576).toFixed(1)} MB, heap +${((peakHeap - baseline.heapUsed) / 1048576).toFixed(1)} MB, external +${((peakExternal - baseline.external - baseline.arrayBuffers) / 1048576).toFixed(1)} MB\n`,
      );
      expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);
      const [row] = await stack.query<{ sha256: string; chunks: number }>(
        'SELECT a.sha256, (SELECT COUNT(*) FROM attachment_chunks c WHERE c.attachment_id = a.id) AS chunks FROM attachments a WHERE a.id = ?',
        [answer.attachments[0]!.id],
      );
      expect(row!.sha256).toBe(digest);
      expect(Number(row!.chunks)).toBe(50);

      // And out again, streamed from MySQL once it is on a request.
      const ticket = await stack.request<Detail>('POST', '/api/v1/tickets', {
        token: c.token,
        body: {
          subject: 'Big file',
          description: 'Fifty megabytes.',
          attachmentIds: [answer.attachments[0]!.id],
        },
      });
      // From MySQL, whether or not the worker has sent it to HubSpot meanwhile (the bytes stay an hour).
      const got = await fetch(`${stack.api.url}${ticket.body.attachments[0]!.downloadPath}`, {
        headers: { authorization: `Bearer ${c.token}` },
      });
      expect(got.headers.get('content-length')).toBe(String(size));
      const back = createHash('sha256');
      for await (const piece of Readable.fromWeb(got.body! as never)) back.update(piece as Buffer);
      expect(back.digest('hex')).toBe(digest);
      // The worker reads the file back into one buffer for HubSpot's SDK (bounded by ATTACHMENTS_MAX_BYTES).
      await synced(c, ticket.body.localId, 60_000);
    }, 120_000);
  });
});
