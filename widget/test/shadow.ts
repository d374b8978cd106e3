// Reading a component's shadow DOM in tests: one element, all of them, text as a reader sees it, and
// buttons by their name. Shared by the component, list and portal tests.

/** The first match in `host`'s shadow root; throws naming the host when there is none. */
export const $ = <T extends Element = HTMLElement>(host: Element, selector: string): T => {
  const found = host.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`<${host.localName}> has no ${selector}`);
  return found;
};

export const $$ = <T extends Element = HTMLElement>(host: Element, selector: string): T[] => [
  ...(host.shadowRoot?.querySelectorAll<T>(selector) ?? []),
];

/** The text of a node with its white space collapsed ('' for none). */
export const textOf = (node: Element | null | undefined): string =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

export function button(host: Element, name: string): HTMLButtonElement {
  const found = $$<HTMLButtonElement>(host, 'button').find((b) => textOf(b) === name);
  if (!found) throw new Error(`<${host.localName}> has no button "${name}"`);
  return found;
}

export function hasButton(host: Element, name: string): boolean {
  return $$<HTMLButtonElement>(host, 'button').some((b) => textOf(b) === name);
}
