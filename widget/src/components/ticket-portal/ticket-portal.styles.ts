import { css, unsafeCSS } from 'lit';

// The theme tokens. Each default yields to a value the site editor sets on the element or on any
// ancestor: :host reads `--tp-x` (inherited from the page) into a private `--_tp-x` with the theme's
// default, and `.portal` hands the result back to the screens as `--tp-x`. (Declaring `--tp-x` on
// :host itself would hide an ancestor's value; referring to itself would be a cycle.)
// [name, light default, dark default]: the dark theme follows prefers-color-scheme unless
// theme="light" or theme="dark" pins one (docs/embedding.md, "Dark pages").
const TOKENS: [string, string, string?][] = [
  ['color-primary', '#1d4ed8', '#60a5fa'],
  ['color-primary-hover', '#1e40af', '#93c5fd'],
  ['color-primary-contrast', '#fff', '#111827'],
  ['color-text', '#1f2937', '#f3f4f6'],
  ['color-muted', '#4b5563', '#9ca3af'],
  ['color-link', '#1d4ed8', '#93c5fd'],
  ['color-background', '#fff', '#1f2937'],
  ['color-surface', '#fff', '#111827'],
  ['color-border', '#d1d5db', '#4b5563'],
  ['color-input-border', '#6b7280', '#9ca3af'],
  ['color-focus', '#2563eb', '#93c5fd'],
  ['color-danger', '#b91c1c', '#fca5a5'],
  ['color-danger-surface', '#fef2f2', '#450a0a'],
  ['color-success', '#166534', '#86efac'],
  ['color-success-surface', '#f0fdf4', '#052e16'],
  ['color-info-surface', '#eff6ff', '#172554'],
  ['color-hover', 'rgb(0 0 0/4%)', 'rgb(255 255 255/8%)'],
  ['color-skeleton', '#e6e9ed', '#374151'],
  ['color-skeleton-highlight', '#f3f5f7', '#4b5563'],
  // Status badges by kind (ticket-common.styles.ts): each text/surface pair ≥ 4.5:1 in its theme.
  ['status-new', '#1d4ed8', '#93c5fd'],
  ['status-new-surface', '#eaf2fb', '#172554'],
  ['status-in-progress', '#166534', '#86efac'],
  ['status-in-progress-surface', '#f0fdf4', '#052e16'],
  ['status-awaiting', '#8a4600', '#fcd34d'],
  ['status-awaiting-surface', '#fff1d6', '#451a03'],
  ['status-closed', '#4b5563', '#d1d5db'],
  ['status-closed-surface', '#f3f4f6', '#1f2937'],
  ['font-family', "system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif"],
  ['radius', '.375em'],
  ['space-xs', '.25em'],
  ['space-s', '.5em'],
  ['space-m', '1em'],
  ['space-l', '1.5em'],
  ['form-width', '30em'],
];
const defaults = (dark: boolean) =>
  TOKENS.filter((t) => !dark || t[2])
    .map(([name, light, night]) => `--_tp-${name}:var(--tp-${name},${dark ? night : light});`)
    .join('') + `color-scheme:${dark ? 'dark' : 'light'}`;
const light = unsafeCSS(defaults(false));
const dark = unsafeCSS(defaults(true));
const handBack = unsafeCSS(TOKENS.map(([name]) => `--tp-${name}:var(--_tp-${name});`).join(''));

export default css`
  :host {
    display: block;
    ${light}
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([hidden]) {
    display: none;
  }
  /* The host page's inherited text styles (text-transform, letter-spacing, line-height, white-space,
     its html font-size through rem…) stop here: everything inside is sized from --tp-font-size in em.
     On the inner wrapper rather than :host, where the page's own rules for the element would win. */
  .portal {
    all: initial;
    ${handBack}
    display: block;
    container-type: inline-size;
    color-scheme: inherit;
    color: var(--tp-color-text);
    background: var(--tp-color-surface);
    font-family: var(--tp-font-family);
    font-size: var(--tp-font-size, medium);
    line-height: 1.5;
    /* Long words (an email address, a pasted link) break rather than push out of their boxes. */
    overflow-wrap: anywhere;
  }
  .loading {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: var(--tp-space-s);
    padding: var(--tp-space-l);
    color: var(--tp-color-muted);
  }
  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid var(--tp-color-border);
    border-top-color: var(--tp-color-primary);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
`;
