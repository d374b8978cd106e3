import { css } from 'lit';

export default css`
  .toolbar {
    display: grid;
    gap: var(--tp-space-m, 1em);
    margin-bottom: var(--tp-space-m, 1em);
  }
  .search {
    display: grid;
    gap: var(--tp-space-xs, 0.25em);
  }
  label,
  legend {
    font-weight: 600;
  }
  input[type='search'],
  input[type='date'],
  select {
    min-height: 2.75em;
    padding: var(--tp-space-xs, 0.25em) var(--tp-space-s, 0.5em);
    font: inherit;
    color: inherit;
    background: var(--tp-color-background, #fff);
    border: 1px solid var(--tp-color-input-border, #6e7781);
    border-radius: var(--tp-radius, 6px);
  }
  input[type='search'] {
    width: 100%;
  }
  input:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--tp-color-focus, #0b5cad);
    outline-offset: 2px;
  }
  .filters,
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: start;
    gap: var(--tp-space-s, 0.5em) var(--tp-space-m, 1em);
  }
  .actions {
    align-items: center;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  legend {
    padding: 0;
    margin-bottom: var(--tp-space-xs, 0.25em);
  }
  .date-filter {
    display: grid;
    gap: var(--tp-space-xs, 0.25em);
  }
  .range {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tp-space-xs, 0.25em) var(--tp-space-s, 0.5em);
  }
  .range label {
    font-weight: 400;
  }
  .segmented {
    display: inline-flex;
    flex-wrap: wrap;
    border: 1px solid var(--tp-color-input-border, #6e7781);
    border-radius: var(--tp-radius, 6px);
    overflow: hidden;
  }
  .segment {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    min-height: 2.75em;
    padding: 0 var(--tp-space-m, 1em);
    font-weight: 400;
    cursor: pointer;
    background: var(--tp-color-background, #fff);
  }
  .segment + .segment {
    border-inline-start: 1px solid var(--tp-color-input-border, #6e7781);
  }
  .segment input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    cursor: pointer;
  }
  .segment:has(input:checked) {
    color: var(--tp-color-primary-contrast, #fff);
    background: var(--tp-color-primary, #0b5cad);
    font-weight: 600;
  }
  .range-note {
    flex-basis: 100%;
    margin: 0;
    color: var(--tp-color-muted, #59636e);
  }
  .range-note:empty {
    display: none;
  }
  /* Forced colours drop the background: the chosen option keeps a mark beyond its weight. */
  @media (forced-colors: active) {
    .segment:has(input:checked) {
      text-decoration: underline 3px;
      text-underline-offset: 0.25em;
    }
  }
  .segment:has(input:focus-visible) {
    outline: 3px solid var(--tp-color-focus, #0b5cad);
    outline-offset: -3px;
  }
  .count {
    min-width: 1.5em;
    padding: 0 0.4em;
    border-radius: 999px;
    font-size: 0.8125em;
    text-align: center;
    background: var(--tp-color-surface, #f6f8fa);
    color: var(--tp-color-text, #1f2328);
  }
  .sort {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tp-space-xs, 0.25em) var(--tp-space-s, 0.5em);
  }
  /* A narrow portal (a phone, a sidebar): by the portal's own width (.portal is the container), the
     status buttons share the row evenly and the two date filters sit side by side. */
  @container (width < 36em) {
    .toolbar {
      gap: var(--tp-space-s);
    }
    /* Still read out; on screen the placeholder and the buttons' own words say it. */
    .search label,
    .status legend {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .filters {
      display: grid;
      grid-template-columns: 1fr 1fr;
    }
    /* With Show (Mine / In copy / My company) the three lists share one row. */
    .filters--three {
      grid-template-columns: repeat(3, minmax(0, 1fr));
    }
    .status {
      grid-column: 1 / -1;
    }
    /* The four status buttons on one row: a long label wraps inside its button. */
    .segmented {
      display: grid;
      grid-template-columns: repeat(4, 1fr);
    }
    .segment {
      justify-content: center;
      padding: 0.25em;
      font-size: 0.875em;
      line-height: 1.15;
      text-align: center;
    }
    .date-filter select {
      width: 100%;
    }
    .sort {
      flex: 1 1 100%;
      flex-wrap: nowrap;
    }
    .sort select {
      flex: 1;
      min-width: 0;
    }
  }
`;
