// Every part a screen exposes; <ticket-portal> re-exports them all, so a site editor can style
// `ticket-portal::part(button)` without knowing which inner element draws it.
export const SCREEN_PARTS = [
  'screen',
  'heading',
  'form',
  'field',
  'label',
  'input',
  'checkbox',
  'hint',
  'field-error',
  'button',
  'button-secondary',
  'link',
  'alert',
  'notice',
  'help',
  'shell',
  'header',
  'user',
  'main',
  'placeholder',
  'new-request',
  'loading',
].join(', ');

// The ticket page's and the request form's own parts (both lazy, so the list lives here).
export const TICKET_PAGE_PARTS = [
  SCREEN_PARTS,
  'back',
  'ticket',
  'ticket-heading',
  'details',
  'status-badge',
  'sync-state',
  'description',
  'conversation',
  'message',
  'message-body',
  'reply',
  'textarea',
  'select',
].join(', ');
