import type { Ticket } from '../api/api-types.js';
import { msg, str } from '../internal/msg.js';

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
    const name = t.id ? msg(str`Ticket ${t.id}`) : msg(str`Your request "${t.subject}"`);
    if (!was) {
      said.push(
        t.id
          ? msg(str`New ticket ${t.id}: ${t.subject}, status ${t.status.label}`)
          : msg(str`New ticket: ${t.subject}, status ${t.status.label}`),
      );
      continue;
    }
    const parts: string[] = [];
    if (was.status.label !== t.status.label) parts.push(msg(str`status ${t.status.label}`));
    if (was.owner?.name !== t.owner?.name) parts.push(msg(str`owner ${t.owner?.name ?? msg('Unassigned')}`));
    if (!was.id && t.id) parts.push(msg('received by support'));
    if (was.subject !== t.subject) parts.push(msg(str`subject ${t.subject}`));
    if (parts.length === 0) {
      parts.push(was.lastActivityAt !== t.lastActivityAt ? msg('new activity') : msg('updated'));
    }
    said.push(`${name}: ${parts.join(', ')}`);
  }
  const more = said.length - SAID_MAX;
  const summary = said.slice(0, SAID_MAX).join('. ');
  return {
    changed,
    summary:
      more > 0
        ? `${summary}. ${more === 1 ? msg('And 1 more change.') : msg(str`And ${more} more changes.`)}`
        : summary,
  };
}
