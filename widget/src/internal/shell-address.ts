import type { ShellView } from './navigation.js';
import type { Address } from './page-address.js';

// The signed-in view lives in the page's query string next to the list's own `tp-*` parameters:
// `tp-ticket=<localId>` for a ticket's page, `tp-new=request` for the request form. The list's own
// parameters (`tp-page` and the rest) stay as they were, so Back, or a reload, finds the list on the
// same page. Everything else in the address is left alone.
const TICKET = 'tp-ticket';
const NEW = 'tp-new';
const LOCAL_ID = /^[\w.:-]{1,64}$/;

export function readShellView(address: Address): ShellView {
  const params = new URL(address.href).searchParams;
  const id = params.get(TICKET) ?? '';
  if (LOCAL_ID.test(id)) return { kind: 'ticket', id };
  if (params.has(NEW)) return { kind: 'new' };
  return { kind: 'list' };
}

/** The absolute address with the shell's parameters set for `view` (the list's own ones kept). */
export function shellHref(view: ShellView, href: string): string {
  const url = new URL(href);
  const params = url.searchParams;
  params.delete(TICKET);
  params.delete(NEW);
  if (view.kind === 'ticket') params.set(TICKET, view.id);
  if (view.kind === 'new') params.set(NEW, 'request');
  return url.href;
}

export function writeShellView(address: Address, view: ShellView, mode: 'push' | 'replace'): void {
  address.write(shellHref(view, address.href), mode);
}
