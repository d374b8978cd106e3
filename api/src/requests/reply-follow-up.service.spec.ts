import type { AppConfig } from '../config/app-config';
import { HubSpotError } from '../hubspot/hubspot-error';
import type { HubSpotPort } from '../hubspot/hubspot.port';
import type { HsCreateTaskInput, HsTicket } from '../hubspot/hubspot.types';
import type { OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import type { MessageRow } from '../repositories/ticket-messages.repository';
import type { TicketRow } from '../repositories/tickets.repository';
import type { TicketSyncService } from '../sync/ticket-sync.service';
import type { HubSpotStagesService } from './portal-stages.service';
import { resolvePortalStages, resolveReplyStages, type StagePipeline } from './portal-stages';
import { firstLines } from './follow-up-tasks';
import { ReplyFollowUpService } from './reply-follow-up.service';

// The steps after a reply's email, on fakes of our own ports (the emulator runs in
// test/customer-replies.integration-spec.ts).

const PIPELINES: StagePipeline[] = [
  {
    id: '0',
    label: 'Support Pipeline',
    displayOrder: 0,
    stages: [
      { id: '1', label: 'New', displayOrder: 0, closed: false },
      { id: '2', label: 'Waiting on contact', displayOrder: 1, closed: false },
      { id: '4', label: 'Closed', displayOrder: 3, closed: true },
    ],
  },
];

function hsTicket(stageId: string): HsTicket {
  const at = new Date('2026-05-01T10:00:00Z');
  return {
    id: '501',
    subject: 'Stems missing',
    content: null,
    pipelineId: '0',
    stageId,
    priority: null,
    category: null,
    ownerId: '77',
    createdAt: at,
    lastActivityAt: at,
    lastModifiedAt: at,
    closedAt: null,
    requestKey: null,
    contactIds: [],
    companyIds: [],
  };
}

function setUp(config: Partial<AppConfig> = {}) {
  const calls = { moves: [] as string[], tasks: [] as HsCreateTaskInput[], followUps: [] as string[] };
  let current = hsTicket('2');
  const failures: { move?: Error } = {};
  const port = {
    getTicket: () => Promise.resolve(current),
    updateTicketStage: (_id: string, stageId: string) => {
      if (failures.move) return Promise.reject(failures.move);
      calls.moves.push(stageId);
      current = { ...current, stageId };
      return Promise.resolve(current);
    },
    ensureCustomProperties: () => Promise.resolve({ created: [] }),
    createTask: (input: HsCreateTaskInput) => {
      calls.tasks.push(input);
      return Promise.resolve({
        task: {
          id: 'task-1',
          subject: input.subject,
          body: input.body,
          status: 'NOT_STARTED',
          ownerId: input.ownerId,
          dueAt: input.dueAt,
          completedAt: null,
          eventKey: input.eventKey,
        },
        created: true,
      });
    },
  } as unknown as HubSpotPort;
  const fullConfig = {
    portalPipelineId: undefined,
    portalNewStageId: undefined,
    portalClosedStageId: undefined,
    portalReopenStageId: undefined,
    portalReplyStageId: undefined,
    portalAwaitingStageIds: null,
    portalReplyTasks: true,
    hubspotPortalId: undefined,
    hubspotAppUrl: 'https://app.hubspot.com',
    ...config,
  } as AppConfig;
  const stages = {
    pipelines: () => Promise.resolve(PIPELINES),
    resolveReply: () => {
      const portal = resolvePortalStages(PIPELINES, fullConfig);
      if (!portal.ok) return Promise.resolve(portal);
      const reply = resolveReplyStages(PIPELINES, portal.stages, fullConfig);
      if (!reply.ok) return Promise.resolve(reply);
      return Promise.resolve({ ok: true, stages: portal.stages, reply: reply.stages, pipelines: PIPELINES });
    },
  } as unknown as HubSpotStagesService;
  const outboxRows = {
    recordFollowUp: (_id: number, json: string) => {
      calls.followUps.push(json);
      return Promise.resolve();
    },
    hasNewerStage: () => Promise.resolve(false),
  } as unknown as RequestOutboxRepository;
  const ticketSync = { apply: () => Promise.resolve() } as unknown as TicketSyncService;
  const service = new ReplyFollowUpService(port, stages, outboxRows, ticketSync, fullConfig);
  const row = {
    id: 9,
    kind: 'reply',
    ticket_id: 3,
    message_id: 5,
    target_stage_id: null,
    state: 'pending',
    follow_up: null,
  } as OutboxRow;
  const message = {
    id: 5,
    text: 'Here they are.',
    author_name: 'Jamie Rivers',
    author_email: 'jamie@example.com',
    created_at: new Date('2026-05-01T11:00:00Z'),
    request_key: 'tpr-abc',
  } as MessageRow;
  const ticket = { id: 3, subject: 'Stems missing' } as TicketRow;
  const run = () => service.afterReply(row, ticket, message, '501', () => Promise.resolve());
  return { calls, failures, run, setStage: (id: string) => (current = hsTicket(id)) };
}

describe(ReplyFollowUpService.name, () => {
  it('should move the ticket and make no task when PORTAL_REPLY_TASKS is off', async () => {
    const { calls, run } = setUp({ portalReplyTasks: false });
    const state = await run();
    expect(calls.moves).toEqual(['1']);
    expect(calls.tasks).toEqual([]);
    expect(state.task).toEqual({ id: null, owner: null, note: 'PORTAL_REPLY_TASKS is off' });
  });

  it('should record the decision before the move, and the move once done', async () => {
    const { calls, run, setStage } = setUp({ hubspotPortalId: '62515' });
    setStage('4');
    await run();
    expect(calls.followUps.map((j) => (JSON.parse(j) as { stage: { done: boolean } }).stage.done)).toEqual([
      false,
      true,
    ]);
    expect(calls.tasks[0]).toMatchObject({
      ticketId: '501',
      ownerId: '77',
      subject: 'Customer replied: Stems missing',
      eventKey: 'tpr-abc',
      priority: 'HIGH',
      dueAt: new Date('2026-05-01T11:00:00Z'),
    });
    expect(calls.tasks[0]!.body).toContain('https://app.hubspot.com/contacts/62515/record/0-5/501');
  });

  it('should keep going when HubSpot refuses the move for good, and throw when it is down', async () => {
    const refused = setUp();
    refused.failures.move = new HubSpotError({
      kind: 'invalid',
      operation: 'update ticket stage',
      status: 400,
      message: 'no',
    });
    const state = await refused.run();
    expect(state.stage).toMatchObject({
      to: '1',
      done: true,
      note: expect.stringContaining('HubSpot refused the move'),
    });
    expect(refused.calls.tasks).toHaveLength(1);
    expect(refused.calls.tasks[0]!.body).not.toContain('it is now in');

    const down = setUp();
    down.failures.move = new HubSpotError({
      kind: 'unavailable',
      operation: 'update ticket stage',
      status: 503,
      message: 'down',
    });
    await expect(down.run()).rejects.toThrow('down');
    expect(down.calls.tasks).toEqual([]);
  });
});

describe('firstLines', () => {
  it('should quote the first non-empty lines and mark a cut', () => {
    expect(firstLines('  one \n\n two\r\nthree')).toBe('one\ntwo\nthree');
    expect(firstLines('1\n2\n3\n4\n5\n6\n7')).toBe('1\n2\n3\n4\n5\n6 …');
    expect(firstLines('x'.repeat(700))).toBe(`${'x'.repeat(600)} …`);
    expect(firstLines('\n \n')).toBe('');
  });
});
