import { AssociationSpecAssociationCategoryEnum as TaskAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/tasks';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/tickets';
import {
  AssociationTypeId,
  HubSpotLimits,
  TASK_EVENT_KEY_PROPERTY,
  TASK_PROPERTIES,
} from '../hubspot.constants';
import {
  type HsCreateTaskInput,
  type HsCreateTaskOutcome,
  type HsCreateTaskResult,
  type HsTask,
} from '../hubspot.types';
import { HubSpotError } from '../hubspot-error';
import { recordErrors } from '../hubspot-error.classifier';
import { toTask } from '../hubspot-task.mapper';
import { chunk, uniqueIds } from '../hubspot-value.util';
import { type WireObject } from '../hubspot-wire.types';
import { type HubSpotAssociations } from './associations.adapter';
import { type HubSpotCalls, isKind } from './hubspot-calls';

const TASK_PROPS = [...TASK_PROPERTIES];
// Above this many tasks on one ticket, the event-key lookup uses search instead.
const MAX_TICKET_TASKS_SCANNED = 2000;

/** Tasks for the ticket's owner (e.g. "the customer replied"), created exactly once per event key. */
export class HubSpotTasks {
  constructor(
    private readonly calls: HubSpotCalls,
    private readonly associations: HubSpotAssociations,
  ) {}

  async createTask(input: HsCreateTaskInput): Promise<HsCreateTaskResult> {
    const existing = await this.findTaskByEventKey(input.eventKey, input.ticketId);
    if (existing) return { task: existing, created: false };

    const properties = taskProperties(input);
    try {
      const raw = await this.calls.call('create task', 'general', () =>
        this.calls.client.crm.objects.tasks.basicApi.create({
          properties,
          associations: taskAssociations(input.ticketId),
        }),
      );
      return { task: toTask({ ...raw, properties: { ...properties, ...raw.properties } }), created: true };
    } catch (error) {
      // The unique event key refused a duplicate: a concurrent or earlier attempt won.
      if (isKind(error, 'conflict')) {
        const winner = await this.findTaskByEventKey(input.eventKey, input.ticketId);
        if (winner) return { task: winner, created: false };
      }
      throw error;
    }
  }

  async createTasks(inputs: readonly HsCreateTaskInput[]): Promise<HsCreateTaskOutcome[]> {
    const outcomes = new Map<string, HsCreateTaskOutcome>();
    const unique = [...new Map(inputs.map((i) => [i.eventKey, i])).values()];
    for (const part of chunk(unique, HubSpotLimits.batchInputs)) {
      // What an earlier attempt (one that died before its commit) already made is not made again.
      const found = await this.tasksByEventKey(part.map((i) => i.eventKey));
      if (found === null) {
        // tp_event_key is not unique here (made by hand): each task the slower consistent way.
        for (const input of part) await this.createOne(input, outcomes);
        continue;
      }
      for (const [eventKey, task] of found) {
        outcomes.set(eventKey, { eventKey, ok: true, task, created: false });
      }
      await this.createTaskBatch(
        part.filter((i) => !found.has(i.eventKey)),
        outcomes,
      );
    }
    return inputs.map((i) => outcomes.get(i.eventKey)!);
  }

  async findTaskByEventKey(eventKey: string, ticketId?: string): Promise<HsTask | null> {
    // As for request keys: a read by the unique property is consistent and answers in one call.
    try {
      const raw = await this.calls.call('read task by event key', 'general', () =>
        this.calls.client.crm.objects.tasks.basicApi.getById(
          eventKey,
          TASK_PROPS,
          undefined,
          undefined,
          false,
          TASK_EVENT_KEY_PROPERTY,
        ),
      );
      const task = toTask(raw);
      if (task.eventKey === eventKey) return task;
    } catch (error) {
      // 400: the property is missing or not unique (made by hand); the slower lookups must do.
      if (isKind(error, 'not_found')) return null;
      if (!isKind(error, 'invalid')) throw error;
    }
    if (ticketId !== undefined) {
      const { ids, complete } = await this.associations.associatedIds(
        'list ticket tasks',
        'tickets',
        ticketId,
        'tasks',
        {
          max: MAX_TICKET_TASKS_SCANNED,
        },
      );
      if (complete) {
        for (const part of chunk(uniqueIds(ids), HubSpotLimits.batchInputs)) {
          const answer = await this.calls.call('batch read tasks', 'general', () =>
            this.calls.client.crm.objects.tasks.batchApi.read(
              { inputs: part.map((id) => ({ id })), properties: TASK_PROPS, propertiesWithHistory: [] },
              false,
            ),
          );
          const match = (answer.results ?? []).find(
            (o) => o.properties?.[TASK_EVENT_KEY_PROPERTY] === eventKey,
          );
          if (match) return toTask(match);
        }
        return null;
      }
    }
    const found = await this.calls.call('search task by event key', 'search', () =>
      this.calls.client.crm.objects.tasks.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: TASK_EVENT_KEY_PROPERTY, operator: FilterOperatorEnum.Eq, value: eventKey },
            ],
          },
        ],
        properties: TASK_PROPS,
        limit: 10,
        after: '0',
        sorts: [],
      }),
    );
    const match = (found.results ?? []).find((o) => o.properties?.[TASK_EVENT_KEY_PROPERTY] === eventKey);
    return match ? toTask(match) : null;
  }

  /** createTask as a batch outcome: a refusal is this task's alone, an outage throws. */
  private async createOne(
    input: HsCreateTaskInput,
    outcomes: Map<string, HsCreateTaskOutcome>,
  ): Promise<void> {
    try {
      const { task, created } = await this.createTask(input);
      outcomes.set(input.eventKey, { eventKey: input.eventKey, ok: true, task, created });
    } catch (error) {
      if (!(error instanceof HubSpotError) || error.retryable) throw error;
      outcomes.set(input.eventKey, { eventKey: input.eventKey, ok: false, error });
    }
  }

  /**
   * One batch create of tasks with the ticket association inline, each traced by its event key so a
   * 207 names the refused ones. A batch refused as a whole (a 400 or 409 naming no record: an owner
   * HubSpot will not assign is one) is split in halves until the refused task stands alone; a refused
   * duplicate key means an earlier or concurrent attempt made it, and that task is the answer.
   */
  private async createTaskBatch(
    inputs: readonly HsCreateTaskInput[],
    outcomes: Map<string, HsCreateTaskOutcome>,
  ): Promise<void> {
    if (inputs.length === 0) return;
    const operation = 'batch create tasks';
    const properties = new Map(inputs.map((i) => [i.eventKey, taskProperties(i)]));
    let answer;
    try {
      answer = await this.calls.call(operation, 'general', () =>
        this.calls.client.crm.objects.tasks.batchApi.create({
          inputs: inputs.map((i) => ({
            properties: properties.get(i.eventKey)!,
            associations: taskAssociations(i.ticketId),
            objectWriteTraceId: i.eventKey,
          })),
        }),
      );
    } catch (error) {
      if (!isKind(error, 'invalid') && !isKind(error, 'conflict')) throw error;
      if (inputs.length > 1) {
        const half = Math.ceil(inputs.length / 2);
        await this.createTaskBatch(inputs.slice(0, half), outcomes);
        await this.createTaskBatch(inputs.slice(half), outcomes);
        return;
      }
      const input = inputs[0]!;
      const winner = await this.findTaskByEventKey(input.eventKey, input.ticketId);
      outcomes.set(
        input.eventKey,
        winner
          ? { eventKey: input.eventKey, ok: true, task: winner, created: false }
          : { eventKey: input.eventKey, ok: false, error: error as HubSpotError },
      );
      return;
    }
    for (const raw of answer.results ?? []) {
      const key = raw.properties?.[TASK_EVENT_KEY_PROPERTY] ?? '';
      if (!properties.has(key)) continue;
      const task = toTask({ ...raw, properties: { ...properties.get(key)!, ...raw.properties } });
      outcomes.set(key, { eventKey: key, ok: true, task, created: true });
    }
    const missing = inputs.filter((i) => !outcomes.has(i.eventKey));
    if (missing.length === 0) return;
    const refusals = recordErrors('errors' in answer ? (answer.errors ?? []) : [], operation);
    for (const input of missing) {
      const refusal = refusals.get(input.eventKey);
      // A refused duplicate key (or a task HubSpot left out without a reason): a racing attempt may have made it.
      const winner =
        refusal === undefined || refusal.kind === 'conflict'
          ? await this.findTaskByEventKey(input.eventKey, input.ticketId)
          : null;
      outcomes.set(
        input.eventKey,
        winner
          ? { eventKey: input.eventKey, ok: true, task: winner, created: false }
          : {
              eventKey: input.eventKey,
              ok: false,
              error:
                refusal ??
                new HubSpotError({
                  kind: 'unavailable',
                  operation,
                  message: 'HubSpot answered the batch without this task and without naming an error',
                }),
            },
      );
    }
  }

  /**
   * Batch read by the unique event key (consistent, like the single read by idProperty): keys no task
   * carries are absent. Null when HubSpot refuses idProperty (the property is not unique here).
   */
  private async tasksByEventKey(keys: readonly string[]): Promise<Map<string, HsTask> | null> {
    const found = new Map<string, HsTask>();
    if (keys.length === 0) return found;
    let objects: WireObject[];
    try {
      const answer = await this.calls.call('batch read tasks by event key', 'general', () =>
        this.calls.client.crm.objects.tasks.batchApi.read(
          {
            idProperty: TASK_EVENT_KEY_PROPERTY,
            inputs: keys.map((id) => ({ id })),
            properties: TASK_PROPS,
            propertiesWithHistory: [],
          },
          false,
        ),
      );
      // A 207 lists the keys no task carries under `errors`: absent here.
      objects = answer.results ?? [];
    } catch (error) {
      // A whole-request 404: none of the keys is on a task.
      if (isKind(error, 'not_found')) return found;
      if (isKind(error, 'invalid')) return null;
      throw error;
    }
    for (const o of objects) {
      const task = toTask(o);
      if (task.eventKey && keys.includes(task.eventKey)) found.set(task.eventKey, task);
    }
    return found;
  }
}

/** A new task's properties: due date, subject, notes, the event key, the owner and priority when given. */
function taskProperties(input: HsCreateTaskInput): Record<string, string> {
  const properties: Record<string, string> = {
    hs_timestamp: input.dueAt.toISOString(),
    hs_task_subject: input.subject,
    hs_task_body: input.body,
    hs_task_status: 'NOT_STARTED',
    hs_task_type: 'TODO',
    [TASK_EVENT_KEY_PROPERTY]: input.eventKey,
  };
  if (input.ownerId) properties.hubspot_owner_id = input.ownerId;
  if (input.priority) properties.hs_task_priority = input.priority;
  return properties;
}

/** The task→ticket association, inline in the create. */
function taskAssociations(ticketId: string) {
  return [
    {
      to: { id: ticketId },
      types: [
        {
          associationCategory: TaskAssociationCategory.HubspotDefined,
          associationTypeId: AssociationTypeId.taskToTicket,
        },
      ],
    },
  ];
}
