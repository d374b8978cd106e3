import { css } from 'lit';

// Shared by the request form and the ticket page (both lazy: they share one chunk of styles).
export default css`
  .view > * + *,
  form > * + * {
    margin-top: var(--tp-space-m);
  }
  .view .heading {
    font-size: 1.25em;
  }
  .back {
    display: inline-block;
  }
  textarea,
  select {
    width: 100%;
    min-height: 2.75em;
    padding: var(--tp-space-xs) var(--tp-space-s);
    font: inherit;
    color: inherit;
    background: var(--tp-color-background);
    border: 1px solid var(--tp-color-input-border);
    border-radius: var(--tp-radius);
  }
  textarea {
    min-height: 8em;
    resize: vertical;
  }
  textarea[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: var(--tp-color-danger);
    border-width: 2px;
  }
  textarea:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--tp-color-focus);
    outline-offset: 2px;
  }
  .optional {
    font-weight: 400;
    color: var(--tp-color-muted);
  }
  .row {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12em, 1fr));
    gap: var(--tp-space-m);
  }
  .row > * + * {
    margin-top: 0;
  }
  .badge {
    display: inline-block;
    padding: 0 0.5em;
    border-radius: 999px;
    font-size: 0.875em;
    font-weight: 600;
    border: 1px solid currentColor;
  }
  .badge--pending {
    color: var(--tp-color-muted);
  }
  .badge--failed {
    color: var(--tp-color-danger);
  }
  .badge--open {
    color: var(--tp-color-success);
  }
  .badge--closed {
    color: var(--tp-color-muted);
  }
`;
