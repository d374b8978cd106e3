import { uniqueIds } from './hubspot-value.util';
import { type WireAssociatedObject, type WireAssociationBatchResult } from './hubspot-wire.types';

/**
 * Ids of associated records from a v4 association list, those carrying one of `primaryTypeIds`
 * first (e.g. ticket→primary company 26), duplicates removed. `toObjectId` is a JSON number on the
 * wire, so it is always turned into a string.
 */
export function associatedIds(
  to: readonly WireAssociatedObject[],
  primaryTypeIds: readonly number[] = [],
): string[] {
  const isPrimary = (item: WireAssociatedObject) =>
    (item.associationTypes ?? []).some((t) => primaryTypeIds.includes(t.typeId));
  const primary = to.filter(isPrimary).map((item) => item.toObjectId);
  return uniqueIds([...primary, ...to.map((item) => item.toObjectId)]);
}

/** The first associated id carrying one of `primaryTypeIds`, or null. */
export function primaryAssociatedId(
  to: readonly WireAssociatedObject[],
  primaryTypeIds: readonly number[],
): string | null {
  const hit = to.find((item) => (item.associationTypes ?? []).some((t) => primaryTypeIds.includes(t.typeId)));
  return hit === undefined ? null : String(hit.toObjectId);
}

export interface AssociationLinks {
  /** Associated ids, primary first, deduplicated. */
  ids: string[];
  primaryId: string | null;
}

/** Groups a v4 batch read answer by the id it was asked for; ids without associations are absent. */
export function associationMap(
  results: readonly WireAssociationBatchResult[],
  primaryTypeIds: readonly number[] = [],
): Map<string, AssociationLinks> {
  const grouped = new Map<string, WireAssociatedObject[]>();
  for (const result of results) {
    const from = result.from ?? result._from;
    if (!from) continue;
    // One id can come back in several result entries when HubSpot pages its associations.
    const key = String(from.id);
    grouped.set(key, [...(grouped.get(key) ?? []), ...(result.to ?? [])]);
  }
  const map = new Map<string, AssociationLinks>();
  for (const [key, to] of grouped) {
    map.set(key, {
      ids: associatedIds(to, primaryTypeIds),
      primaryId: primaryAssociatedId(to, primaryTypeIds),
    });
  }
  return map;
}
