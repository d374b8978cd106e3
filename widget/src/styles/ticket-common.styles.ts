import { css } from 'lit';

/**
 * A status badge's colours by kind (renderStatus): new, in progress, awaiting the customer, closed.
 * Each pair is a `--tp-status-*` token (docs/embedding.md, theming), falling back to the portal's
 * colours; every default pair has at least 4.5:1 contrast.
 */
export const statusBadges = css`
  .badge--new {
    color: var(--tp-status-new, var(--tp-color-primary, #0b5cad));
    background: var(--tp-status-new-surface, #eaf2fb);
  }
  .badge--in_progress {
    color: var(--tp-status-in-progress, var(--tp-color-success, #1a7f37));
    background: var(--tp-status-in-progress-surface, var(--tp-color-success-surface, #eaf6ec));
  }
  .badge--awaiting_customer {
    color: var(--tp-status-awaiting, #8a4600);
    background: var(--tp-status-awaiting-surface, #fff1d6);
  }
  .badge--closed {
    color: var(--tp-status-closed, var(--tp-color-muted, #59636e));
    background: var(--tp-status-closed-surface, var(--tp-color-surface, #f6f8fa));
  }
`;

// Pieces shared by the ticket list's parts. Every colour falls back to a neutral value so the
// parts stay readable outside <ticket-portal> (tests, or a page that forgot the tokens).
export default css`
  :host {
    display: block;
    color: var(--tp-color-text, #1f2328);
    font-family: var(--tp-font-family, system-ui, sans-serif);
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
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .badge {
    display: inline-block;
    padding: 0 0.5em;
    border-radius: 999px;
    font-size: 0.8125em;
    font-weight: 600;
    white-space: nowrap;
    border: 1px solid currentColor;
  }
  ${statusBadges}
  .ticket-id--pending {
    font-style: italic;
    color: var(--tp-color-muted, #59636e);
  }
  .open {
    display: inline;
    min-height: 0;
    padding: 0;
    margin: 0;
    font: inherit;
    font-weight: 600;
    text-align: start;
    color: var(--tp-color-link, #0b5cad);
    background: none;
    border: 0;
    cursor: pointer;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  .open:hover {
    text-decoration-thickness: 2px;
  }
  button:focus-visible,
  [tabindex='-1']:focus-visible {
    outline: 3px solid var(--tp-color-focus, #0b5cad);
    outline-offset: 2px;
  }
  .skeleton {
    display: block;
    height: 0.9em;
    width: 80%;
    border-radius: var(--tp-radius, 6px);
    background: linear-gradient(
      90deg,
      var(--tp-color-skeleton, #e6e9ed) 25%,
      var(--tp-color-skeleton-highlight, #f3f5f7) 50%,
      var(--tp-color-skeleton, #e6e9ed) 75%
    );
    background-size: 200% 100%;
    animation: tp-shimmer 1.4s ease-in-out infinite;
  }
  @keyframes tp-shimmer {
    from {
      background-position: 200% 0;
    }
    to {
      background-position: -200% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
`;

/** The list's and the toolbar's buttons (Retry, Clear filters, Export CSV). */
export const buttonStyles = css`
  button {
    min-height: 2.75em;
    padding: var(--tp-space-xs, 0.25em) var(--tp-space-m, 1em);
    font: inherit;
    font-weight: 600;
    color: var(--tp-color-primary-contrast, #fff);
    background: var(--tp-color-primary, #0b5cad);
    border: 1px solid var(--tp-color-primary, #0b5cad);
    border-radius: var(--tp-radius, 6px);
    cursor: pointer;
  }
  button.secondary {
    color: var(--tp-color-primary, #0b5cad);
    background: var(--tp-color-background, #fff);
  }
  button[aria-disabled='true'] {
    cursor: progress;
  }
`;
