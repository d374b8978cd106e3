import { css } from 'lit';

export default css`
  /* For screen readers only (the portal's "Your tickets" heading says it on screen); when focus
     lands on it after paging, the list of cards shows the focus ring. */
  .heading {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .heading:focus {
    outline: none;
  }
  .heading:focus-visible + .cards {
    outline: 2px solid var(--tp-color-focus, #2563eb);
    outline-offset: 2px;
  }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 18em), 1fr));
    gap: var(--tp-space-m, 1em);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .cards[aria-busy='true'] {
    opacity: 0.6;
  }
  .card {
    display: grid;
    align-content: start;
    gap: var(--tp-space-xs, 0.25em);
    padding: var(--tp-space-m, 1em);
    background: var(--tp-color-background, #fff);
    border: 1px solid var(--tp-color-border, #d1d9e0);
    border-radius: var(--tp-radius, 6px);
    cursor: pointer;
  }
  .card:hover {
    border-color: var(--tp-color-primary, #0b5cad);
  }
  .card__top {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: var(--tp-space-s, 0.5em);
  }
  .card__title {
    margin: 0;
    font-size: 1em;
    overflow-wrap: anywhere;
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.125em var(--tp-space-s, 0.5em);
    margin: 0;
    font-size: 0.875em;
  }
  dl > div {
    display: contents;
  }
  dt {
    color: var(--tp-color-muted, #59636e);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .skeleton-card .skeleton + .skeleton {
    margin-top: var(--tp-space-s, 0.5em);
  }
`;
