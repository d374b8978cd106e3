import { css } from 'lit';

export default css`
  .scroll {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    background: var(--tp-color-background, #fff);
  }
  table[aria-busy='true'] tbody {
    opacity: 0.6;
  }
  /* For screen readers only: the portal's "Your tickets" heading already says it on screen. When
     focus lands on it after paging, the whole table shows the focus ring instead. */
  caption {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  caption:focus {
    outline: none;
  }
  table:has(caption:focus-visible) {
    outline: 2px solid var(--tp-color-focus, #2563eb);
    outline-offset: 2px;
  }
  th,
  td {
    padding: var(--tp-space-s, 0.5em);
    text-align: start;
    vertical-align: top;
    border-bottom: 1px solid var(--tp-color-border, #d1d9e0);
    overflow-wrap: break-word;
  }
  th {
    padding: 0;
    font-weight: 600;
    background: var(--tp-color-surface, #f6f8fa);
  }
  th button {
    display: flex;
    align-items: center;
    gap: 0.35em;
    width: 100%;
    min-height: 2.75em;
    padding: var(--tp-space-s, 0.5em);
    font: inherit;
    font-weight: 600;
    color: inherit;
    text-align: start;
    background: none;
    border: 0;
    cursor: pointer;
  }
  /* Inside the ring, not around it: .scroll (overflow-x) clips anything drawn outside a header cell. */
  th button:focus-visible {
    outline: 3px solid var(--tp-color-focus, #0b5cad);
    outline-offset: -3px;
  }
  th button:hover {
    background: var(--tp-color-hover, rgb(0 0 0 / 4%));
  }
  .sort-icon {
    font-size: 0.75em;
    color: var(--tp-color-muted, #59636e);
  }
  th[aria-sort] .sort-icon {
    color: inherit;
  }
  tbody tr {
    cursor: pointer;
  }
  tbody tr:hover {
    background: var(--tp-color-hover, rgb(0 0 0 / 4%));
  }
  .col-subject {
    min-width: 12em;
  }
  .col-date {
    white-space: nowrap;
  }
`;
