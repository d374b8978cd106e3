import { REQUEST_KEY_PROPERTY } from './hubspot.constants';
import { type HsTicket, type HsTicketCore } from './hubspot.types';
import { optionalString, parseHsDate, uniqueIds } from './hubspot-value.util';
import { type WireObject } from './hubspot-wire.types';

/** Maps a ticket object (GET, batch read, search, create or update answer) without associations. */
export function toTicketCore(raw: WireObject): HsTicketCore {
  const p = raw.properties ?? {};
  const createdAt = parseHsDate(p.createdate) ?? parseHsDate(raw.createdAt) ?? new Date(0);
  const lastModifiedAt = parseHsDate(p.hs_lastmodifieddate) ?? parseHsDate(raw.updatedAt) ?? createdAt;
  return {
    id: String(raw.id),
    subject: p.subject ?? '',
    content: optionalString(p.content),
    pipelineId: optionalString(p.hs_pipeline),
    stageId: optionalString(p.hs_pipeline_stage),
    priority: optionalString(p.hs_ticket_priority),
    category: optionalString(p.hs_ticket_category),
    ownerId: optionalString(p.hubspot_owner_id),
    createdAt,
    lastActivityAt: parseHsDate(p.hs_lastactivitydate) ?? lastModifiedAt,
    lastModifiedAt,
    closedAt: parseHsDate(p.closed_date),
    requestKey: optionalString(p[REQUEST_KEY_PROPERTY]),
  };
}

/**
 * Maps a ticket with associations. Without `links`, the associations embedded by the v3 GET list
 * (`?associations=contacts,companies`) are used; batch read and search carry none, so the adapter
 * passes what it read from the v4 associations API.
 */
export function toTicket(raw: WireObject, links?: { contactIds: string[]; companyIds: string[] }): HsTicket {
  return {
    ...toTicketCore(raw),
    contactIds: links?.contactIds ?? embeddedAssociationIds(raw, 'contacts'),
    companyIds: links?.companyIds ?? embeddedAssociationIds(raw, 'companies'),
  };
}

// v3 lists a primary association twice: once as `ticket_to_company` and once as
// `ticket_to_company_unlabeled`; plain ones only as `_unlabeled`. Labelled ids go first, then dedupe.
function embeddedAssociationIds(raw: WireObject, key: 'contacts' | 'companies'): string[] {
  const results = raw.associations?.[key]?.results ?? [];
  const labelled = results.filter((r) => r.type != null && !r.type.endsWith('unlabeled')).map((r) => r.id);
  return uniqueIds([...labelled, ...results.map((r) => r.id)]);
}
