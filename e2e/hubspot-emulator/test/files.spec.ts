import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { ApiException } from '@hubspot/api-client/lib/codegen/files/apis/exception';
import { AssociationTypeId, startEmulator, type Emulator } from '../src';
import { FileStore } from '../src/files';
import { expectMatchesSpec } from './helpers/openapi';
import { type Recorder } from './helpers/recorder';
import { startRecordedEmulator } from './helpers/recorded-emulator';

const SPEC = 'files.json';
const PRIVATE = JSON.stringify({ access: 'PRIVATE' });
// The SDK types an upload's answer as any.
interface UploadedFile {
  id: string;
  name: string;
  url: string;
}

const PDF = Buffer.from('%PDF-1.4\n% a tiny royalty statement\n%%EOF\n');

describe('Files API', () => {
  let em: Emulator;
  let rec: Recorder;
  let hs: Client;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ em, rec, hs, stop } = await startRecordedEmulator({ tickets: 10, seed: 3 }));
  });

  afterAll(() => stop());

  const upload = async (
    data: Buffer,
    name: string,
    folderPath = '/ticket-portal/attachments',
    options = PRIVATE,
  ): Promise<UploadedFile> =>
    (await hs.files.filesApi.upload(
      { data, name },
      undefined,
      folderPath,
      undefined,
      undefined,
      options,
    )) as UploadedFile;

  it('should upload a private file from a multipart form and read it back by id', async () => {
    const file = await upload(PDF, 'Q3 statement.pdf');
    expect(rec.last().status).toBe(201);
    expectMatchesSpec(SPEC, 'POST', '/files/v3/files', 201, rec.last().body);
    expect(rec.last().headers.location).toMatch(new RegExp(`/files/v3/files/${file.id}$`));
    expect(rec.last().body).toMatchObject({
      name: 'Q3 statement',
      extension: 'pdf',
      type: 'DOCUMENT',
      size: PDF.length,
      access: 'PRIVATE',
      path: '/ticket-portal/attachments/Q3 statement.pdf',
      archived: false,
    });

    await hs.files.filesApi.getById(file.id);
    expectMatchesSpec(SPEC, 'GET', '/files/v3/files/{fileId}', 200, rec.last().body);
    expect(rec.last().body).toMatchObject({ id: file.id, name: 'Q3 statement' });
  });

  it('should serve a private file only through an expiring signed URL', async () => {
    const file = (await upload(PDF, 'signed.pdf')) as { id: string; url: string };
    const signed = await hs.files.filesApi.getSignedUrl(file.id, undefined, 60);
    expectMatchesSpec(SPEC, 'GET', '/files/v3/files/{fileId}/signed-url', 200, rec.last().body);
    expect(signed).toMatchObject({ name: 'signed', extension: 'pdf', size: PDF.length, type: 'DOCUMENT' });
    expect(signed.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(61_000);

    const download = await fetch(signed.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-length')).toBe(String(PDF.length));
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);

    // Without the signature (the file's own URL) or with a forged one, a private file stays closed.
    expect((await fetch(file.url)).status).toBe(403);
    expect((await fetch(signed.url.replace(/Signature=[0-9a-f]/, 'Signature=x'))).status).toBe(403);
  });

  it('should refuse an expired signed URL', () => {
    let now = Date.parse('2026-05-01T10:00:00Z');
    const files = new FileStore(
      () => now,
      () => undefined,
    );
    const { file } = files.upload({
      data: PDF,
      partName: 'a.pdf',
      contentType: 'application/pdf',
      folderPath: '/x',
      options: {
        access: 'PRIVATE',
        overwrite: false,
        duplicateValidationStrategy: 'NONE',
        duplicateValidationScope: 'ENTIRE_PORTAL',
      },
    });
    const url = new URL(files.signedUrl(file, 'http://h', 30).url);
    const grant = () =>
      files.checkSigned(file.id, url.searchParams.get('Expires'), url.searchParams.get('Signature'));
    expect(grant()).toBe(file);
    now += 30_000;
    expect(grant()).toBe('expired');
  });

  it('should archive a file: 204, then 404 for reads, signed URLs and links handed out before', async () => {
    const file = await upload(PDF, 'to-delete.pdf');
    const signed = await hs.files.filesApi.getSignedUrl(file.id);
    await hs.files.filesApi.archive(file.id);
    expect(rec.last().status).toBe(204);

    const read = await hs.files.filesApi.getById(file.id).catch((e: unknown) => e);
    expect((read as ApiException<unknown>).code).toBe(404);
    expectMatchesSpec(SPEC, 'GET', '/files/v3/files/{fileId}', 'default', rec.last().body);
    const again = await hs.files.filesApi.getSignedUrl(file.id).catch((e: unknown) => e);
    expect((again as ApiException<unknown>).code).toBe(404);
    expect((await fetch(signed.url)).status).toBe(404);
  });

  it('should answer 400 naming what is missing: folder, options, access, the file itself', async () => {
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [
        () =>
          hs.files.filesApi.upload(
            { data: PDF, name: 'a.pdf' },
            undefined,
            undefined,
            undefined,
            undefined,
            PRIVATE,
          ),
        /folderId' or 'folderPath/,
      ],
      [
        () => hs.files.filesApi.upload({ data: PDF, name: 'a.pdf' }, undefined, '/x'),
        /"options" is required/,
      ],
      [() => upload(PDF, 'a.pdf', '/x', JSON.stringify({ access: 'SECRET' })), /options.access/],
      [() => upload(PDF, 'a.pdf', '/x', '{nope'), /not valid JSON/],
      [
        () => hs.files.filesApi.upload(undefined, undefined, '/x', undefined, undefined, PRIVATE),
        /"file" is required/,
      ],
    ];
    for (const [call, message] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiException);
      expect((error as ApiException<unknown>).code).toBe(400);
      expectMatchesSpec(SPEC, 'POST', '/files/v3/files', 'default', rec.last().body);
      expect((rec.last().body as { message: string }).message).toMatch(message);
    }
  });

  it('should rename a second file of the same name in a folder, or replace it with overwrite', async () => {
    const a = (await upload(PDF, 'same.pdf', '/dups')) as { id: string; name: string };
    const b = (await upload(PDF, 'same.pdf', '/dups')) as { id: string; name: string };
    expect([a.name, b.name]).toEqual(['same', 'same-1']);
    const c = (await upload(
      PDF,
      'same.pdf',
      '/dups',
      JSON.stringify({ access: 'PRIVATE', overwrite: true }),
    )) as {
      id: string;
      name: string;
    };
    expect(c.name).toBe('same');
    expect(em.store.files.get(a.id)).toBeUndefined();
  });

  it('should find files by ids through search, leaving out deleted ones', async () => {
    const one = await upload(PDF, 'one.pdf');
    const two = await upload(PDF, 'two.pdf');
    await hs.files.filesApi.archive(two.id);
    const found = await hs.apiRequest({
      method: 'GET',
      path: `/files/v3/files/search?ids=${one.id}&ids=${two.id}&limit=100`,
    });
    const body = (await found.json()) as { results: { id: string }[] };
    expectMatchesSpec(SPEC, 'GET', '/files/v3/files/search', 200, body);
    expect(body.results.map((f) => f.id)).toEqual([one.id]);
  });

  it('should keep hs_attachment_ids on an email and show them as FILE attachments of its message', async () => {
    const ticketId = [...em.store.records.tickets.values()][0]!.id;
    const file = await upload(PDF, 'cue sheet.pdf');
    const email = await hs.crm.objects.emails.basicApi.create({
      properties: {
        hs_timestamp: new Date().toISOString(),
        hs_email_direction: 'INCOMING_EMAIL',
        hs_email_text: 'Attached is the cue sheet.',
        hs_attachment_ids: file.id,
      },
      associations: [
        {
          to: { id: ticketId },
          types: [
            {
              associationCategory: 'HUBSPOT_DEFINED' as never,
              associationTypeId: AssociationTypeId.emailToTicket,
            },
          ],
        },
      ],
    });
    const read = await hs.crm.objects.emails.basicApi.getById(email.id, ['hs_attachment_ids']);
    expect(read.properties.hs_attachment_ids).toBe(file.id);

    const threads = await hs.apiRequest({
      method: 'GET',
      path: '/conversations/v3/conversations/threads',
      qs: { associatedTicketId: ticketId },
    });
    const threadId = ((await threads.json()) as { results: { id: string }[] }).results[0]!.id;
    const messages = await hs.apiRequest({
      method: 'GET',
      path: `/conversations/v3/conversations/threads/${threadId}/messages`,
    });
    const list = (await messages.json()) as { results: { id: string; attachments: unknown[] }[] };
    expectMatchesSpec(
      'conversationsInboxMessages.json',
      'GET',
      '/conversations/v3/conversations/threads/{threadId}/messages',
      200,
      list,
    );
    expect(list.results.find((m) => m.id === email.id)?.attachments).toEqual([
      {
        type: 'FILE',
        fileId: file.id,
        fileUsageType: 'STANDARD',
        name: 'cue sheet.pdf',
        url: expect.any(String),
      },
    ]);

    const bad = await hs.crm.objects.emails.basicApi
      .create({
        properties: { hs_timestamp: new Date().toISOString(), hs_attachment_ids: `${file.id};999;abc` },
        associations: [],
      })
      .catch((e: unknown) => e);
    expect((bad as ApiException<unknown>).code).toBe(400);
    expect((rec.last().body as { message: string }).message).toContain('not files: 999, abc');
  });
});

describe('Files in the state file', () => {
  it('should keep uploaded bytes across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hs-emulator-files-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      const first = await startEmulator({ seed: { tickets: 2 }, stateFile });
      const hs = new Client({ accessToken: first.accessToken, basePath: first.url });
      const file: UploadedFile = await hs.files.filesApi.upload(
        { data: PDF, name: 'kept.pdf' },
        undefined,
        '/kept',
        undefined,
        undefined,
        PRIVATE,
      );
      await first.close();
      const second = await startEmulator({ seed: { tickets: 2 }, stateFile });
      try {
        const hs2 = new Client({ accessToken: second.accessToken, basePath: second.url });
        const signed = await hs2.files.filesApi.getSignedUrl(file.id);
        expect(Buffer.from(await (await fetch(signed.url)).arrayBuffer())).toEqual(PDF);
        const next: UploadedFile = await hs2.files.filesApi.upload(
          { data: PDF, name: 'next.pdf' },
          undefined,
          '/kept',
          undefined,
          undefined,
          PRIVATE,
        );
        expect(Number(next.id)).toBeGreaterThan(Number(file.id));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
