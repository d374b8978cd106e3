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
].join(', ');
