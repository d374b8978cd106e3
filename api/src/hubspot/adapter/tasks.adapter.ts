import { AssociationSpecAssociationCategoryEnum as TaskAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/tasks';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/tickets';
import {
  AssociationTypeId,
  HubSpotLimits,
  TASK_EVENT_KEY_PROPERTY,
  TASK_PROPERTIES,
} from '../hubspot.constants';
import { type HsCreateTaskInput, type HsCreateTaskResult, type HsTask } from '../hubspot.types';
import { toTask } from '../hubspot-task.mapper';
import { chunk, uniqueIds } from '../hubspot-value.util';
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
    try {
      const raw = await this.calls.call('create task', 'general', () =>
        this.calls.client.crm.objects.tasks.basicApi.create({
          properties,
          associations: [
            {
              to: { id: input.ticketId },
              types: [
                {
                  associationCategory: TaskAssociationCategory.HubspotDefined,
                  associationTypeId: AssociationTypeId.taskToTicket,
                },
              ],
            },
          ],
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
}
