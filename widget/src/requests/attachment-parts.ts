// The parts of the attachment elements (<tp-attachment-picker>, <tp-attachment-list>), which the
// request form and the ticket page re-export so a site editor can style `ticket-portal::part(file)`.

export const ATTACHMENT_PARTS = [
  'file-picker',
  'file',
  'file-progress',
  'attachments',
  'attachment',
  'attachment-preview',
  'hint',
  'button',
  'button-secondary',
  'field-error',
].join(', ');

/**
 * Adds the lazy elements' own parts to `host`'s `exportparts`, which <ticket-portal> sets from a
 * list in the first render: the attachment parts are named here, in the lazy chunk, so that list
 * (and the first render) does not grow. <ticket-portal> writes the attribute once (Lit sets an
 * attribute only when its value changes, and its value is a constant), so the addition stays.
 */
export function exportOwnParts(host: Element, parts: string): void {
  const current = host.getAttribute('exportparts');
  if (current === null) return;
  const have = new Set(current.split(',').map((p) => p.trim()));
  const missing = parts
    .split(',')
    .map((p) => p.trim())
    .filter((p) => !have.has(p));
  if (missing.length > 0) host.setAttribute('exportparts', [current, ...missing].join(', '));
}
