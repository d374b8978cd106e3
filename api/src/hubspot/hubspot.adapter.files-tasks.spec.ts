import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { type CrmRecord, type Emulator } from '@ticket-portal/hubspot-emulator';
import { adapterOn, startEmulatorWithAdapter, startTestEmulator } from './__fixtures__/emulator-adapter';
import { HubSpotAdapter } from './hubspot.adapter';
import { type HubSpotError } from './hubspot-error';

// Tasks, files and message attachments through the real SDK against the real emulator.

const PDF = Buffer.from('%PDF-1.4\n% statement\n%%EOF\n');

describe(`${HubSpotAdapter.name} tasks, files and attachments`, () => {
  let emulator: Emulator;
  let sut: HubSpotAdapter;
  let ticket: CrmRecord;
  let contactId: string;

  beforeAll(async () => {
    // Search sees writes a minute late: only consistent reads can find what was made just now.
    ({ emulator, sut } = await startEmulatorWithAdapter({
      seed: { tickets: 20, seed: 13 },
      faults: { searchLagMs: 60_000 },
    }));
    await sut.ensureCustomProperties();
    ticket = [...emulator.store.records.tickets.values()].find(
      (t) => !t.archived && emulator.store.associatedIds(t, 'contacts').length > 0,
    )!;
    contactId = emulator.store.associatedIds(ticket, 'contacts')[0]!;
  });

  afterAll(async () => {
    await emulator?.close();
  });

  afterEach(() => {
    emulator.clearFaults();
  });

  const tasksWithKey = (eventKey: string) =>
    [...emulator.store.records.tasks.values()].filter(
      (t) => !t.archived && t.props.tp_event_key === eventKey,
    );

  describe('tasks', () => {
    it('should create one task per event key, assigned and linked to the ticket, however often it is retried', async () => {
      const owner = emulator.store.owners.find((o) => !o.archived)!;
      const eventKey = `reply-${randomUUID()}`;
      const dueAt = new Date('2026-06-01T09:00:00.000Z');
      const input = {
        ticketId: ticket.id,
        ownerId: owner.id,
        subject: 'Alex Morgan replied',
        body: 'Read the reply in the help desk.',
        dueAt,
        eventKey,
      };

      const first = await sut.createTask(input);
      const retries = await Promise.all([sut.createTask(input), sut.createTask(input)]);

      expect(first).toMatchObject({
        created: true,
        task: { subject: input.subject, ownerId: owner.id, status: 'NOT_STARTED', dueAt, eventKey },
      });
      for (const retry of retries) {
        expect(retry).toMatchObject({ created: false, task: { id: first.task.id } });
      }
      expect(tasksWithKey(eventKey)).toHaveLength(1);
      const rec = emulator.store.get('tasks', first.task.id)!;
      expect(emulator.store.associatedIds(rec, 'tickets')).toEqual([ticket.id]);
      expect((await sut.findTaskByEventKey(eventKey))?.id).toBe(first.task.id);
      expect(await sut.findTaskByEventKey(`reply-${randomUUID()}`, ticket.id)).toBeNull();
    });

    it('should report ensureCustomProperties idempotently: nothing created the second time', async () => {
      expect(await sut.ensureCustomProperties()).toEqual({ created: [], missing: [], refused: [] });
    });

    it('should report the company-scope contact property as missing until the operator creates it', async () => {
      const withScope = adapterOn(emulator, { companyScopeProperty: 'portal_admin' });
      expect(await withScope.ensureCustomProperties()).toEqual({
        created: [],
        missing: ['contacts.portal_admin'],
        refused: [],
      });
      const created = await fetch(`${emulator.url}/crm/v3/properties/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'portal_admin',
          label: 'Portal admin',
          type: 'bool',
          fieldType: 'booleancheckbox',
          groupName: 'contactinformation',
        }),
      });
      expect(created.status).toBe(201);
      expect(await withScope.ensureCustomProperties()).toEqual({ created: [], missing: [], refused: [] });
    });

    it('should refuse permanently, naming tp_event_key, when the portal lacks the property', async () => {
      const fresh = await startTestEmulator({ seed: { tickets: 3, seed: 5 } });
      try {
        const adapter = adapterOn(fresh);
        const freshTicket = [...fresh.store.records.tickets.values()][0]!;
        const error = await adapter
          .createTask({
            ticketId: freshTicket.id,
            ownerId: null,
            subject: 's',
            body: 'b',
            dueAt: new Date(),
            eventKey: 'k',
          })
          .catch((e: unknown) => e);
        const { kind, retryable, message } = error as HubSpotError;
        expect({ kind, retryable, message }).toEqual({
          kind: 'invalid',
          retryable: false,
          message: expect.stringContaining('tp_event_key'),
        });
        expect(fresh.store.records.tasks.size).toBe(0);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('files', () => {
    it('should upload a buffer as a private file and stream it back with its type and size', async () => {
      const file = await sut.uploadFile({
        name: 'Q3 statement.pdf',
        contentType: 'application/pdf',
        data: PDF,
        folder: '/ticket-portal/attachments',
      });
      expect(file).toEqual({
        id: expect.any(String),
        name: 'Q3 statement.pdf',
        size: PDF.length,
        access: 'PRIVATE',
      });
      expect(emulator.store.files.get(file.id)).toMatchObject({
        access: 'PRIVATE',
        contentType: 'application/pdf',
      });

      const download = (await sut.fileDownload(file.id))!;
      expect(download).toMatchObject({
        contentType: 'application/pdf',
        size: PDF.length,
        name: 'Q3 statement.pdf',
      });
      expect(await readAll(download.stream)).toEqual(PDF);
    });

    it('should upload a stream and keep the media type the caller gave', async () => {
      const bytes = Buffer.from('raw bytes without a known extension');
      const file = await sut.uploadFile({
        name: 'capture.trace',
        contentType: 'application/x-trace',
        data: Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]),
        folder: 'ticket-portal/attachments/',
      });
      const download = (await sut.fileDownload(file.id))!;
      expect(download.contentType).toBe('application/x-trace');
      expect(await readAll(download.stream)).toEqual(bytes);
    });

    it('should answer null for a file HubSpot does not have: unknown, deleted or not an id', async () => {
      const file = await sut.uploadFile({
        name: 'gone.txt',
        contentType: 'text/plain',
        data: PDF,
        folder: '/x',
      });
      await fetch(`${emulator.url}/files/v3/files/${file.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${emulator.accessToken}` },
      });
      expect(await sut.fileDownload(file.id)).toBeNull();
      expect(await sut.fileDownload('999999999999')).toBeNull();
      expect(await sut.fileDownload('../etc/passwd')).toBeNull();
    });

    it('should classify an outage while signing the URL as retryable', async () => {
      const file = await sut.uploadFile({
        name: 'a.txt',
        contentType: 'text/plain',
        data: PDF,
        folder: '/x',
      });
      emulator.setFaults({ outageSeconds: 60 });
      const error = await sut.fileDownload(file.id).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'unavailable', retryable: true });
    });

    it('should refuse an upload without a name or folder before calling HubSpot', async () => {
      const error = await sut
        .uploadFile({ name: ' ', contentType: 'text/plain', data: PDF, folder: '/x' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'invalid', retryable: false });
    });
  });

  describe('attachments', () => {
    it('should log a customer reply with files and read them back on the message', async () => {
      const pdf = await sut.uploadFile({
        name: 'cue sheet.pdf',
        contentType: 'application/pdf',
        data: PDF,
        folder: '/p',
      });
      const csv = await sut.uploadFile({
        name: 'usage.csv',
        contentType: 'text/csv',
        data: PDF,
        folder: '/p',
      });
      const reply = {
        text: 'Both files attached.',
        from: { email: 'demo@example.com', firstName: 'Alex', lastName: 'Morgan' },
        sentAt: new Date(Date.now() - 1000),
        replyKey: `reply-${randomUUID()}`,
        attachmentIds: [pdf.id, csv.id],
      };

      const { message } = await sut.addCustomerReply(ticket.id, contactId, reply);

      const expected = [
        { fileId: pdf.id, name: 'cue sheet.pdf', contentType: 'application/pdf', size: PDF.length },
        { fileId: csv.id, name: 'usage.csv', contentType: 'text/csv', size: PDF.length },
      ];
      expect(message.attachments).toEqual(expected);
      expect(emulator.store.get('emails', message.id)!.props.hs_attachment_ids).toBe(`${pdf.id};${csv.id}`);
      const read = (await sut.getTicketConversation(ticket.id)).find((m) => m.id === message.id)!;
      expect(read.attachments).toEqual(expected);
      const batch = (await sut.getTicketConversations([ticket.id])).get(ticket.id)!;
      expect(batch.find((m) => m.id === message.id)!.attachments).toEqual(expected);
    });

    it('should show files an agent attached, and leave out files deleted since', async () => {
      const kept = await sut.uploadFile({
        name: 'answer.pdf',
        contentType: 'application/pdf',
        data: PDF,
        folder: '/s',
      });
      const deleted = await sut.uploadFile({
        name: 'old.pdf',
        contentType: 'application/pdf',
        data: PDF,
        folder: '/s',
      });
      const email = emulator.staff.replyToCustomer(ticket.id, 'See the attached answer.', {
        attachmentIds: [kept.id, deleted.id],
      });
      await fetch(`${emulator.url}/files/v3/files/${deleted.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${emulator.accessToken}` },
      });

      const message = (await sut.getTicketConversation(ticket.id)).find((m) => m.id === email.id)!;
      expect(message).toMatchObject({ direction: 'agent' });
      expect(message.attachments.map((a) => a.fileId)).toEqual([kept.id]);
    });

    it('should give messages without files an empty list', async () => {
      const messages = await sut.getTicketConversation(ticket.id);
      expect(messages.filter((m) => m.attachments.length === 0).length).toBeGreaterThan(0);
    });
  });
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const part of stream) chunks.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
  return Buffer.concat(chunks);
}
