import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HubSpotError } from '../hubspot/hubspot-error';
import { TASK_EVENT_KEY_PROPERTY } from '../hubspot/hubspot.constants';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsCreateTaskInput, type HsTicket } from '../hubspot/hubspot.types';
import { uniqueIds } from '../hubspot/hubspot-value.util';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { type MessageRow } from '../repositories/ticket-messages.repository';
import { type TicketRow } from '../repositories/tickets.repository';
import { TicketSyncService } from '../sync/ticket-sync.service';
import { replyTaskInput, reopenTaskInput, type TaskLink } from './follow-up-tasks';
import { replyMove } from './portal-stages';
import { HubSpotStagesService } from './portal-stages.service';

/**
 * What an outbox row did after its own HubSpot write (request_outbox.follow_up, JSON). Each step is
 * committed as soon as HubSpot has done it, so a retry after a crash neither repeats nor re-decides it.
 */
export interface FollowUp {
  /** A reopen's task key: stage rows have no key of their own, so one is made and committed first. */
  key?: string;
  /**
   * A reply's stage step: the stage the ticket was in and where the reply moves it (null: it stays),
   * decided once and committed before the move; `done` once HubSpot has it.
   */
  stage?: {
    from: string | null;
    fromLabel: string | null;
    closed: boolean;
    to: string | null;
    toLabel: string | null;
    done: boolean;
    /** Why a move that was due did not happen (a setting that does not fit, HubSpot's refusal). */
    note?: string;
  };
  /** The owner's task: its HubSpot id, or null with the reason there is none. */
  task?: { id: string | null; owner: string | null; note?: string };
}

/** Called after each HubSpot write, before its commit (the delivery's crash seam in tests). */
export type StepSeam = (step: 'stage' | 'task') => Promise<void>;

/** A reply whose email HubSpot has, for the steps after it (afterReplies). */
export interface ReplyStepsItem {
  row: OutboxRow;
  ticket: TicketRow;
  message: MessageRow;
  hubspotId: string;
}

const GONE = 'The ticket is no longer in HubSpot.';

const NO_MOVE = { from: null, fromLabel: null, closed: false, to: null, toLabel: null, done: true } as const;

/**
 * Issue 13, "replies that support cannot miss": after a customer's reply is logged in HubSpot, a
 * ticket that waited on the customer (or was closed) moves to PORTAL_REPLY_STAGE_ID, and its owner
 * gets a HubSpot task (HubSpot notifies the assignee) — once per reply, by the reply's key. A reopen
 * gets a task too. Permanent refusals of these steps are recorded and logged, never turned into a
 * failed reply: the customer's message is in HubSpot already.
 */
@Injectable()
export class ReplyFollowUpService {
  private readonly logger = new Logger(ReplyFollowUpService.name);
  private taskKeyPropertyReady = false;

  constructor(
    private readonly port: HubSpotPort,
    private readonly stages: HubSpotStagesService,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly ticketSync: TicketSyncService,
    private readonly config: AppConfig,
  ) {}

  /** Where a task's "Open the ticket in HubSpot" link points (none without HUBSPOT_PORTAL_ID). */
  private get link(): TaskLink {
    return { portalId: this.config.hubspotPortalId, appUrl: this.config.hubspotAppUrl };
  }

  /**
   * The steps after a reply's email: the stage, then the task. Answers the follow-up to store with
   * the row's `done`. HubSpot outages throw (the job is retried and resumes at the first step not done).
   */
  async afterReply(
    row: OutboxRow,
    ticket: TicketRow,
    message: MessageRow,
    hubspotId: string,
    seam: StepSeam,
  ): Promise<FollowUp> {
    const state = parseFollowUp(row.follow_up);
    // The ticket as HubSpot has it now: the mirror may lag behind an agent's last move (webhooks are
    // asynchronous, and a reply may be delivered hours later, after an outage).
    let current: HsTicket | null | undefined;
    const read = async (): Promise<HsTicket | null> => {
      if (current === undefined) current = await this.port.getTicket(hubspotId);
      return current;
    };
    if (!state.stage) {
      // Decided once, from the stage the ticket was in when the reply arrived, and committed before
      // the move: a retry after a crash knows the ticket was closed even though it no longer is.
      const now = await read();
      state.stage = now ? await this.decideMove(row, now) : { ...NO_MOVE, note: GONE };
      await this.outboxRows.recordFollowUp(row.id, JSON.stringify(state), new Date());
    }
    if (!state.stage.done) {
      const now = await read();
      state.stage = await this.move(row, hubspotId, now, state.stage);
      await seam('stage');
      await this.outboxRows.recordFollowUp(row.id, JSON.stringify(state), new Date());
    }
    if (!state.task) {
      const now = await read();
      if (!this.config.portalReplyTasks) {
        state.task = { id: null, owner: null, note: 'PORTAL_REPLY_TASKS is off' };
      } else if (!now) {
        state.task = { id: null, owner: null, note: GONE };
      } else {
        state.task = await this.createTask(replyTaskInput(ticket, message, now, state.stage, this.link));
        await seam('task');
      }
    }
    return state;
  }

  /**
   * afterReply for many replies at once (a delivery batch, ADR 0015): one batch read of their
   * tickets, each stage decided in the order written and committed, one batch update of the moves
   * due, the mirror in one write, then the owners' tasks in one batch create by their keys. A ticket
   * an earlier reply of the batch moves is seen where that reply puts it, as one by one would see it.
   * Answers each row's follow-up to store with its `done`, or the error that leaves the row to its
   * own job (HubSpot could not take its step now); steps done so far are committed either way. A
   * whole-call outage throws (every row is retried and resumes at its first step not done).
   */
  async afterReplies(
    items: readonly ReplyStepsItem[],
    seam: (row: OutboxRow, step: 'stage' | 'task') => Promise<void>,
  ): Promise<Map<number, FollowUp | Error>> {
    const results = new Map<number, FollowUp | Error>();
    const ordered = [...items].sort((a, b) => a.row.id - b.row.id);
    const states = new Map(ordered.map((i) => [i.row.id, parseFollowUp(i.row.follow_up)]));
    const stateOf = (item: ReplyStepsItem): FollowUp => states.get(item.row.id)!;
    const commit = (rows: readonly ReplyStepsItem[]): Promise<void> =>
      this.outboxRows.recordFollowUps(
        rows.map((i) => ({ id: i.row.id, followUp: JSON.stringify(stateOf(i)) })),
        new Date(),
      );
    const pending = ordered.filter((i) => !stateOf(i).stage?.done || !stateOf(i).task);
    // The tickets as HubSpot has them now: the mirror may lag behind an agent's last move.
    const current = new Map(
      (pending.length > 0
        ? await this.port.getTicketsByIds(uniqueIds(pending.map((i) => i.hubspotId)))
        : []
      ).map((t) => [t.id, t]),
    );

    const seen = new Map(current);
    const decided = ordered.filter((i) => !stateOf(i).stage);
    for (const item of decided) {
      const now = seen.get(item.hubspotId);
      const stage = now ? await this.decideMove(item.row, now) : { ...NO_MOVE, note: GONE };
      stateOf(item).stage = stage;
      if (now && stage.to) seen.set(item.hubspotId, { ...now, stageId: stage.to });
    }
    await commit(decided);

    const moves: ReplyStepsItem[] = [];
    for (const item of ordered) {
      const state = stateOf(item);
      if (state.stage!.done) continue;
      const settled = await this.settleMove(item.row, current.get(item.hubspotId) ?? null, state.stage!);
      if (settled) state.stage = settled;
      else moves.push(item);
    }
    if (moves.length > 0) {
      const readStartedAt = new Date();
      const answers = await this.port.updateTicketStages(
        moves.map((i) => ({ ticketId: i.hubspotId, stageId: stateOf(i).stage!.to! })),
      );
      const moved: HsTicket[] = [];
      for (const [index, answer] of answers.entries()) {
        const item = moves[index]!;
        const stage = stateOf(item).stage!;
        if (answer.ok) {
          stateOf(item).stage = { ...stage, done: true };
          current.set(item.hubspotId, answer.ticket);
          moved.push(answer.ticket);
          await seam(item.row, 'stage');
        } else if (answer.error.retryable) {
          results.set(item.row.id, answer.error);
        } else {
          stateOf(item).stage = {
            ...stage,
            done: true,
            note: this.refusedMove(item.row, stage, answer.error),
          };
        }
      }
      await this.mirrorMany(moved, readStartedAt);
    }
    await commit(ordered.filter((i) => stateOf(i).stage!.done));

    const tasks: Array<{ row: OutboxRow; state: FollowUp; input: HsCreateTaskInput }> = [];
    for (const item of ordered) {
      const state = stateOf(item);
      if (results.has(item.row.id) || state.task) continue;
      const now = current.get(item.hubspotId);
      if (!this.config.portalReplyTasks) {
        state.task = { id: null, owner: null, note: 'PORTAL_REPLY_TASKS is off' };
      } else if (!now) state.task = { id: null, owner: null, note: GONE };
      else {
        tasks.push({
          row: item.row,
          state,
          input: replyTaskInput(item.ticket, item.message, now, state.stage!, this.link),
        });
      }
    }
    for (const [id, error] of await this.makeTasks(tasks, seam)) results.set(id, error);
    await commit(ordered.filter((i) => results.has(i.row.id)));
    for (const item of ordered) if (!results.has(item.row.id)) results.set(item.row.id, stateOf(item));
    return results;
  }

  /**
   * After a reopen reached HubSpot: the owner's task (HIGH: the ticket was closed). Answers the
   * follow-up to store, or null when there is nothing to do (a close, or tasks off).
   */
  async afterReopen(
    row: OutboxRow,
    ticket: TicketRow,
    snapshot: HsTicket,
    seam: StepSeam,
  ): Promise<FollowUp | null> {
    const prepared = await this.reopenTask(row, ticket, snapshot);
    if (!prepared?.input) return prepared?.state ?? null;
    prepared.state.task = await this.createTask(prepared.input);
    await seam('task');
    return prepared.state;
  }

  /**
   * afterReopen for a batch of stage changes HubSpot made (ADR 0015): the reopens' tasks in one
   * batch create by their keys. Answers each row's follow-up to store (null: nothing to do), or the
   * error that leaves the row to its own job. A whole-call outage throws.
   */
  async afterReopens(
    items: ReadonlyArray<{ row: OutboxRow; ticket: TicketRow; snapshot: HsTicket }>,
    seam: (row: OutboxRow, step: 'task') => Promise<void>,
  ): Promise<Map<number, FollowUp | null | Error>> {
    const results = new Map<number, FollowUp | null | Error>();
    const tasks: Array<{ row: OutboxRow; state: FollowUp; input: HsCreateTaskInput }> = [];
    for (const { row, ticket, snapshot } of items) {
      const prepared = await this.reopenTask(row, ticket, snapshot);
      if (prepared?.input) tasks.push({ row, state: prepared.state, input: prepared.input });
      else results.set(row.id, prepared?.state ?? null);
    }
    const failed = await this.makeTasks(tasks, seam);
    for (const { row, state } of tasks) results.set(row.id, failed.get(row.id) ?? state);
    return results;
  }

  /**
   * The owners' tasks of a batch in one createTasks: a task made (or found by its key) goes into its
   * row's follow-up; one HubSpot refused alone goes the single way (createTask makes it unassigned
   * when HubSpot will not assign its owner); a per-record 5xx, or tp_event_key gone, is that row's
   * error, to be retried. Answers those errors by row.
   */
  private async makeTasks(
    tasks: ReadonlyArray<{ row: OutboxRow; state: FollowUp; input: HsCreateTaskInput }>,
    seam: (row: OutboxRow, step: 'task') => Promise<void>,
  ): Promise<Map<number, HubSpotError>> {
    const failed = new Map<number, HubSpotError>();
    if (tasks.length === 0) return failed;
    await this.ensureTaskKeyProperty();
    const answers = await this.port.createTasks(tasks.map((t) => t.input));
    for (const [index, answer] of answers.entries()) {
      const { row, state, input } = tasks[index]!;
      if (answer.ok) {
        state.task = { id: answer.task.id, owner: answer.task.ownerId };
      } else if (answer.error.retryable || missingTaskKeyProperty(answer.error)) {
        if (!answer.error.retryable) this.taskKeyPropertyReady = false;
        failed.set(row.id, answer.error);
        continue;
      } else {
        state.task = await this.createTask(input);
      }
      await seam(row, 'task');
    }
    return failed;
  }

  /**
   * A reopen's task (HIGH: the ticket was closed), its key committed before HubSpot sees it so every
   * retry asks for the same task. Null when there is nothing to do (a close, or tasks off); no input
   * when the task is made already.
   */
  private async reopenTask(
    row: OutboxRow,
    ticket: TicketRow,
    snapshot: HsTicket,
  ): Promise<{ state: FollowUp; input: HsCreateTaskInput | null } | null> {
    if (!this.config.portalReplyTasks || row.target_stage_id === null) return null;
    const pipelines = await this.stages.pipelines();
    const target = pipelines.flatMap((p) => p.stages).find((s) => s.id === row.target_stage_id);
    if (!target || target.closed) return null;
    let state = parseFollowUp(row.follow_up);
    if (state.task) return { state, input: null };
    if (!state.key) {
      const stored = await this.outboxRows.claimFollowUp(
        row.id,
        JSON.stringify({ ...state, key: `tpo-${randomUUID()}` }),
        new Date(),
      );
      state = parseFollowUp(stored);
    }
    return { state, input: reopenTaskInput(ticket, snapshot, target.label, state.key!, this.link) };
  }

  /** Whether the ticket waits on the customer or is closed, and where the reply moves it. */
  private async decideMove(row: OutboxRow, ticket: HsTicket): Promise<NonNullable<FollowUp['stage']>> {
    let rules = await this.stages.resolveReply();
    let move = rules.ok ? replyMove(ticket, rules.stages, rules.reply, rules.pipelines) : null;
    if (move?.from === null) {
      // A stage made since the pipelines were cached: read them again once.
      rules = await this.stages.resolveReply(true);
      move = rules.ok ? replyMove(ticket, rules.stages, rules.reply, rules.pipelines) : null;
    }
    const decided = {
      from: ticket.stageId,
      fromLabel: move?.from?.label ?? null,
      closed: move?.from?.closed ?? false,
      to: move?.to?.id ?? null,
      toLabel: move?.to?.label ?? null,
      done: !move?.to,
    };
    if (!rules.ok) {
      this.logger.warn(`Reply ${row.id} left ticket ${ticket.id} where it is: ${rules.problem}`);
      return { ...decided, note: fit(rules.problem) };
    }
    return decided;
  }

  /**
   * A decided move that needs no call to HubSpot settled: none due, the ticket there already (an
   * earlier attempt moved it and died before its commit), gone, moved by support since, or a later
   * close or reopen of the customer's decides. Null: the move is still due.
   */
  private async settleMove(
    row: OutboxRow,
    ticket: HsTicket | null,
    stage: NonNullable<FollowUp['stage']>,
  ): Promise<NonNullable<FollowUp['stage']> | null> {
    if (stage.to === null) return { ...stage, done: true };
    if (ticket?.stageId === stage.to) return { ...stage, done: true };
    if (!ticket) return { ...stage, done: true, note: GONE };
    if (ticket.stageId !== stage.from) {
      return {
        ...stage,
        done: true,
        note: `Support moved the ticket to stage ${ticket.stageId ?? '?'} meanwhile.`,
      };
    }
    if (await this.outboxRows.hasNewerStage(row)) {
      return { ...stage, done: true, note: "The customer's later close or reopen decides the stage." };
    }
    return null;
  }

  /** Makes the decided move, unless settleMove finds it needs none. */
  private async move(
    row: OutboxRow,
    hubspotId: string,
    ticket: HsTicket | null,
    stage: NonNullable<FollowUp['stage']>,
  ): Promise<NonNullable<FollowUp['stage']>> {
    const settled = await this.settleMove(row, ticket, stage);
    if (settled) return settled;
    const readStartedAt = new Date();
    try {
      const moved = await this.port.updateTicketStage(hubspotId, stage.to!);
      await this.mirrorMany([moved], readStartedAt);
    } catch (error) {
      if (!isPermanent(error)) throw error;
      return { ...stage, done: true, note: this.refusedMove(row, stage, error) };
    }
    return { ...stage, done: true };
  }

  /** The note (and the log line) of a move HubSpot refused for good. */
  private refusedMove(row: OutboxRow, stage: NonNullable<FollowUp['stage']>, error: unknown): string {
    const note = `HubSpot refused the move to stage ${stage.to}: ${messageOf(error)}`;
    this.logger.warn(`Reply ${row.id}: ${note}`);
    return fit(note);
  }

  /** One task per key; an owner HubSpot will not assign (deactivated) leaves the task unassigned. */
  private async createTask(input: HsCreateTaskInput): Promise<NonNullable<FollowUp['task']>> {
    await this.ensureTaskKeyProperty();
    try {
      const { task } = await this.port.createTask(input);
      return { id: task.id, owner: task.ownerId };
    } catch (error) {
      if (missingTaskKeyProperty(error)) {
        this.taskKeyPropertyReady = false;
        throw new Error(
          `HubSpot lost the ${TASK_EVENT_KEY_PROPERTY} property; it is created again before the retry`,
          {
            cause: error,
          },
        );
      }
      if (!isPermanent(error)) throw error;
      if (input.ownerId && /owner/i.test(messageOf(error))) {
        const { task } = await this.port.createTask({ ...input, ownerId: null });
        return {
          id: task.id,
          owner: null,
          note: fit(`Owner ${input.ownerId} could not be assigned: ${messageOf(error)}`),
        };
      }
      const note = `HubSpot refused the task: ${messageOf(error)}`;
      this.logger.warn(`Task ${input.eventKey} on ticket ${input.ticketId}: ${note}`);
      return { id: null, owner: null, note: fit(note) };
    }
  }

  private async ensureTaskKeyProperty(): Promise<void> {
    if (this.taskKeyPropertyReady) return;
    await this.port.ensureCustomProperties();
    this.taskKeyPropertyReady = true;
  }

  private async mirrorMany(tickets: HsTicket[], readStartedAt: Date): Promise<void> {
    if (tickets.length === 0) return;
    try {
      await this.ticketSync.apply(tickets, readStartedAt, { conversations: false });
    } catch (error) {
      this.logger.warn(
        `Could not mirror ${tickets.length} moved ticket(s) right away (${messageOf(error)}); sync brings them`,
      );
    }
  }
}

export function parseFollowUp(raw: string | null): FollowUp {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

function isPermanent(error: unknown): boolean {
  return error instanceof HubSpotError && !error.retryable;
}

function missingTaskKeyProperty(error: unknown): boolean {
  return (
    error instanceof HubSpotError &&
    error.kind === 'invalid' &&
    error.message.includes(TASK_EVENT_KEY_PROPERTY) &&
    error.message.includes('PROPERTY_DOESNT_EXIST')
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fit(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
