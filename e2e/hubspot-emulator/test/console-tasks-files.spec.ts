import { Client } from '@hubspot/api-client';
import { AssociationTypeId, STAGE_CLOSED, startEmulator, type Emulator } from '../src';

interface Detail {
  stage: { id: string; label: string; ticketState: string };
  openTasks: number;
  tasks: {
    id: string;
    subject: string;
    status: string;
    ownerName: string | null;
    completedAt: string | null;
  }[];
  conversation: {
    id: string;
    kind: string;
    attachments: { fileId: string; name: string; size: number; url: string }[];
  }[];
}

describe('Support console: tasks, attachments and the stage', () => {
  let em: Emulator;
  let key: string;
  let ticketId: string;

  beforeAll(async () => {
    em = await startEmulator({ seed: { tickets: 10, seed: 9 }, rateLimit: { disabled: true } });
    const html = await (await fetch(em.consoleUrl)).text();
    key = /const KEY = "([^"]+)"/.exec(html)?.[1] ?? '';
    ticketId = [...em.store.records.tickets.values()].find(
      (t) => em.store.associatedIds(t, 'contacts').length,
    )!.id;
  });

  afterAll(async () => {
    await em.close();
  });

  const staff = async (method: string, p: string, body?: unknown): Promise<Response> =>
    fetch(`${em.url}/_emulator/staff${p}`, {
      method,
      headers: {
        'X-Emulator-Console-Key': key,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const detail = async (): Promise<Detail> =>
    (await (await staff('GET', `/tickets/${ticketId}`)).json()) as Detail;

  it('should reply with a file uploaded from the console and link it, signed, in the conversation', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('col1,col2\n1,2\n')], { type: 'text/csv' }), 'usage.csv');
    const uploaded = await fetch(`${em.url}/_emulator/staff/files`, {
      method: 'POST',
      headers: { 'X-Emulator-Console-Key': key },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()) as { id: string; name: string };
    expect(file.name).toBe('usage.csv');
    expect(em.store.files.get(file.id)?.access).toBe('PRIVATE');

    const reply = await staff('POST', `/tickets/${ticketId}/reply`, { text: '', attachmentIds: [file.id] });
    expect(reply.status).toBe(201);
    const { id: emailId } = (await reply.json()) as { id: string };
    expect(em.store.get('emails', emailId)?.props.hs_attachment_ids).toBe(file.id);

    const message = (await detail()).conversation.find((m) => m.id === emailId)!;
    expect(message.attachments).toEqual([
      { fileId: file.id, name: 'usage.csv', size: 14, url: expect.stringContaining('Signature=') },
    ]);
    const download = await fetch(message.attachments[0]!.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('col1,col2\n1,2\n');
  });

  it('should refuse a reply naming files that do not exist, and a file upload without a file', async () => {
    const bad = await staff('POST', `/tickets/${ticketId}/reply`, { text: 'x', attachmentIds: ['123'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('not files: 123');
    const wrongShape = await staff('POST', `/tickets/${ticketId}/reply`, { text: 'x', attachmentIds: 'a' });
    expect(wrongShape.status).toBe(400);
    const noFile = await fetch(`${em.url}/_emulator/staff/files`, {
      method: 'POST',
      headers: { 'X-Emulator-Console-Key': key },
      body: new FormData(),
    });
    expect(noFile.status).toBe(400);
  });

  it('should list the ticket’s open tasks with their owner and let staff complete one', async () => {
    const owner = em.store.owners.find((o) => !o.archived)!;
    const hs = new Client({ accessToken: em.accessToken, basePath: em.url });
    const task = await hs.crm.objects.tasks.basicApi.create({
      properties: {
        hs_timestamp: new Date().toISOString(),
        hs_task_subject: 'Customer replied',
        hs_task_body:
          '<p>Alex replied:</p><blockquote>Line one<br>Tom &amp; Jerry</blockquote><p>Now in &quot;New&quot;.</p>',
        hubspot_owner_id: owner.id,
      },
      associations: [
        {
          to: { id: ticketId },
          types: [
            {
              associationCategory: 'HUBSPOT_DEFINED' as never,
              associationTypeId: AssociationTypeId.taskToTicket,
            },
          ],
        },
      ],
    });
    const before = await detail();
    expect(before.openTasks).toBe(1);
    expect(before.tasks).toEqual([
      expect.objectContaining({
        id: task.id,
        subject: 'Customer replied',
        // Rich text shown as text with its line breaks.
        body: 'Alex replied:\nLine one\nTom & Jerry\nNow in "New".',
        status: 'NOT_STARTED',
        ownerName: `${owner.firstName} ${owner.lastName}`,
      }),
    ]);

    expect((await staff('POST', `/tasks/${task.id}/complete`)).status).toBe(200);
    const after = await detail();
    expect(after.openTasks).toBe(0);
    expect(after.tasks[0]).toMatchObject({ status: 'COMPLETED', completedAt: expect.any(String) });
    expect((await staff('POST', '/tasks/1/complete')).status).toBe(404);
  });

  it('should show the ticket’s current stage with its open/closed state', async () => {
    em.staff.moveStage(ticketId, STAGE_CLOSED);
    expect((await detail()).stage).toEqual({ id: STAGE_CLOSED, label: 'Closed', ticketState: 'CLOSED' });
  });
});
