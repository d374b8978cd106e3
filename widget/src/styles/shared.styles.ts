import { css } from 'lit';

// Shared by every screen. Colours, font, radius and spacing come from the --tp-* tokens that
// <ticket-portal> defines on its host (a site editor overrides them on the ticket-portal element).
export default css`
  :host {
    display: block;
    color: var(--tp-color-text);
    font-family: var(--tp-font-family);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .screen {
    display: block;
    max-width: var(--tp-form-width);
    margin: 0 auto;
    padding: var(--tp-space-l);
    background: var(--tp-color-surface);
    border: 1px solid var(--tp-color-border);
    border-radius: var(--tp-radius);
  }
  .heading {
    margin: 0;
    font-size: 1.5em;
    line-height: 1.25;
  }
  .heading:focus {
    outline: none;
  }
  p {
    margin: 0;
  }
  .lead,
  .hint,
  .help {
    color: var(--tp-color-muted);
  }
  .hint,
  .help {
    font-size: 0.875em;
  }
  /* Flow spacing rather than grid gap, so the empty live regions take no room. */
  .screen > * + *,
  form > * + * {
    margin-top: var(--tp-space-m);
  }
  .notices:not(:has(.notice)) {
    margin-top: 0;
  }
  .field {
    display: grid;
    gap: var(--tp-space-xs);
  }
  label {
    font-weight: 600;
  }
  input[type='email'],
  input[type='password'],
  input[type='text'] {
    width: 100%;
    min-height: 2.75em;
    padding: var(--tp-space-xs) var(--tp-space-s);
    font: inherit;
    color: inherit;
    background: var(--tp-color-background);
    border: 1px solid var(--tp-color-input-border);
    border-radius: var(--tp-radius);
  }
  input[aria-invalid='true'] {
    border-color: var(--tp-color-danger);
    border-width: 2px;
  }
  .checkbox {
    display: flex;
    align-items: center;
    gap: var(--tp-space-s);
    font-weight: 400;
  }
  .checkbox input {
    width: 1.25em;
    height: 1.25em;
    margin: 0;
    accent-color: var(--tp-color-primary);
  }
  .field-error {
    color: var(--tp-color-danger);
    font-size: 0.875em;
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tp-space-s) var(--tp-space-m);
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 2.75em;
    padding: var(--tp-space-xs) var(--tp-space-l);
    font: inherit;
    font-weight: 600;
    color: var(--tp-color-primary-contrast);
    background: var(--tp-color-primary);
    border: 1px solid var(--tp-color-primary);
    border-radius: var(--tp-radius);
    cursor: pointer;
    transition: background-color 120ms ease-out;
  }
  button:hover {
    background: var(--tp-color-primary-hover);
  }
  button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.75;
  }
  button.secondary {
    color: var(--tp-color-primary);
    background: transparent;
  }
  button.link {
    min-height: auto;
    padding: 0;
    font-weight: 400;
    color: var(--tp-color-link);
    background: none;
    border: 0;
    text-decoration: underline;
  }
  a {
    color: var(--tp-color-link);
  }
  a:focus-visible,
  button:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--tp-color-focus);
    outline-offset: 2px;
  }
  .links {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: var(--tp-space-s);
  }
  .notice {
    padding: var(--tp-space-s) var(--tp-space-m);
    border-radius: var(--tp-radius);
    border: 1px solid currentColor;
  }
  .notice--error,
  .notice--warning {
    color: var(--tp-color-danger);
    background: var(--tp-color-danger-surface);
  }
  .notice--success {
    color: var(--tp-color-success);
    background: var(--tp-color-success-surface);
  }
  .notice--info {
    color: var(--tp-color-text);
    background: var(--tp-color-info-surface);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
    }
  }
`;
