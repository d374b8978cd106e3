import { TASK_EVENT_KEY_PROPERTY } from './hubspot.constants';
import { type HsTask } from './hubspot.types';
import { optionalString, parseHsDate } from './hubspot-value.util';
import { type WireObject } from './hubspot-wire.types';

export function toTask(raw: WireObject): HsTask {
  const p = raw.properties ?? {};
  return {
    id: String(raw.id),
    subject: optionalString(p.hs_task_subject),
    body: optionalString(p.hs_task_body),
    status: optionalString(p.hs_task_status) ?? 'NOT_STARTED',
    ownerId: optionalString(p.hubspot_owner_id),
    dueAt: parseHsDate(p.hs_timestamp),
    completedAt: parseHsDate(p.hs_task_completion_date),
    eventKey: optionalString(p[TASK_EVENT_KEY_PROPERTY]),
  };
}
