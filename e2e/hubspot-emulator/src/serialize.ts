import { hasPrimaryVariant, associationDefinition, v3AssociationName } from './associations-schema';
import { type ObjectType } from './constants';
import { ALWAYS_PROPERTIES, DEFAULT_READ_PROPERTIES } from './property-definitions';
import { iso, type CrmRecord, type Store } from './store';

export interface SimplePublicObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
  /** Echoes the input's trace id in batch write results. */
  objectWriteTraceId?: string;
}

/**
 * The property names a read returns: the defaults when none were asked for, otherwise the asked
 * ones that exist plus the always-returned ones. Unknown names are ignored, as HubSpot does.
 */
export function propertiesToReturn(
  store: Store,
  type: ObjectType,
  requested: string[] | undefined,
): string[] {
  if (!requested || requested.length === 0) return DEFAULT_READ_PROPERTIES[type];
  const names = new Set<string>();
  for (const n of requested) {
    if (store.propertyDef(type, n)) names.add(n);
  }
  for (const n of ALWAYS_PROPERTIES[type]) names.add(n);
  return [...names];
}

export function toPublicObject(
  rec: CrmRecord,
  names: string[],
  props: Record<string, string> = rec.props,
): SimplePublicObject {
  const properties: Record<string, string | null> = {};
  for (const n of names) properties[n] = props[n] ?? null;
  const out: SimplePublicObject = {
    id: rec.id,
    properties,
    createdAt: iso(rec.createdAt),
    updatedAt: iso(rec.updatedAt),
    archived: rec.archived,
  };
  if (rec.archived && rec.archivedAt !== null) out.archivedAt = iso(rec.archivedAt);
  return out;
}

/** v3 `associations` map: keyed by the plural type asked for, present only when non-empty. */
export function v3Associations(
  store: Store,
  rec: CrmRecord,
  toTypes: ObjectType[],
): Record<string, { results: { id: string; type: string }[] }> | undefined {
  const out: Record<string, { results: { id: string; type: string }[] }> = {};
  for (const toType of toTypes) {
    const m = rec.assoc[toType];
    if (!m) continue;
    const results: { id: string; type: string }[] = [];
    const variant = hasPrimaryVariant(rec.type, toType);
    for (const [id, types] of m) {
      if (!store.get(toType, id)) continue;
      for (const typeId of types) {
        const def = associationDefinition(typeId);
        results.push({ id, type: v3AssociationName(rec.type, toType, def?.primary ?? false, variant) });
      }
    }
    if (results.length > 0) out[toType] = { results };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
