import { css } from 'lit';

export default css`
  nav {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--tp-space-s, 0.5em);
  }
  .range {
    margin: 0;
    color: var(--tp-color-muted, #59636e);
  }
  ul {
    display: flex;
    flex-wrap: wrap;
    gap: var(--tp-space-xs, 0.25em);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  button {
    min-width: 2.75em;
    min-height: 2.75em;
    padding: 0 var(--tp-space-s, 0.5em);
    font: inherit;
    color: var(--tp-color-primary, #0b5cad);
    background: var(--tp-color-background, #fff);
    border: 1px solid var(--tp-color-border, #d1d9e0);
    border-radius: var(--tp-radius, 6px);
    cursor: pointer;
  }
  button[aria-current='page'] {
    color: var(--tp-color-primary-contrast, #fff);
    background: var(--tp-color-primary, #0b5cad);
    border-color: var(--tp-color-primary, #0b5cad);
    font-weight: 600;
  }
  button:disabled {
    color: var(--tp-color-muted, #59636e);
    cursor: default;
    opacity: 0.6;
  }
  .gap {
    align-self: center;
    padding: 0 var(--tp-space-xs, 0.25em);
  }
`;
