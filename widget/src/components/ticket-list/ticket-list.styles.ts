import { css } from 'lit';

// The list's own parts: "Last synced", the export and load problems, the empty state, the pager.
// The toolbar's are in ticket-toolbar.styles.ts, the buttons' in the common styles.
export default css`
  :host {
    container-type: inline-size;
  }
  .synced {
    margin: 0 0 var(--tp-space-s, 0.5em);
    font-size: 0.875em;
    color: var(--tp-color-muted, #59636e);
  }
  .notice,
  .problem {
    margin: 0 0 var(--tp-space-m, 1em);
    padding: var(--tp-space-m, 1em);
    border: 1px solid currentColor;
    border-radius: var(--tp-radius, 6px);
    color: var(--tp-color-danger, #b42318);
    background: var(--tp-color-danger-surface, #fef3f2);
  }
  .problem p,
  .empty p {
    margin: 0 0 var(--tp-space-s, 0.5em);
  }
  .empty {
    padding: var(--tp-space-l, 1.5em);
    text-align: center;
    border: 1px dashed var(--tp-color-border, #d1d9e0);
    border-radius: var(--tp-radius, 6px);
  }
  tp-ticket-pager {
    margin-top: var(--tp-space-m, 1em);
  }
`;
