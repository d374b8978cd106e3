import type { Ticket } from '../api/api-types.js';

/** Changes read out at most; the rest are counted ("and 4 more changes"). */
const SAID_MAX = 3;

/**
 * Which rows of a page changed after a live update (new, or any field different), and one polite
 * sentence for screen readers naming what matters to a customer — "Ticket 1234: status Waiting on
 * us" — rather than every event.
 */
export function describeChanges(
  before: readonly Ticket[],
  after: readonly Ticket[],
): { changed: Set<string>; summary: string } {
  const old = new Map(before.map((t) => [t.localId, t]));
  const changed = new Set<string>();
  const said: string[] = [];
  for (const t of after) {
    const was = old.get(t.localId);
    if (was && JSON.stringify(was) === JSON.stringify(t)) continue;
    changed.add(t.localId);
    const name = t.id ? `Ticket ${t.id}` : `Your request "${t.subject}"`;
    if (!was) {
      said.push(`New ticket${t.id ? ` ${t.id}` : ''}: ${t.subject}, status ${t.status.label}`);
      continue;
    }
    const parts: string[] = [];
    if (was.status.label !== t.status.label) parts.push(`status ${t.status.label}`);
    if (was.owner?.name !== t.owner?.name) parts.push(`owner ${t.owner?.name ?? 'Unassigned'}`);
    if (!was.id && t.id) parts.push('received by support');
    if (was.subject !== t.subject) parts.push(`subject ${t.subject}`);
    if (parts.length === 0) parts.push(was.lastActivityAt !== t.lastActivityAt ? 'new activity' : 'updated');
    said.push(`${name}: ${parts.join(', ')}`);
  }
  const more = said.length - SAID_MAX;
  const summary = said.slice(0, SAID_MAX).join('. ');
  return {
    changed,
    summary: more > 0 ? `${summary}. And ${more} more ${more === 1 ? 'change' : 'changes'}.` : summary,
  };
}
