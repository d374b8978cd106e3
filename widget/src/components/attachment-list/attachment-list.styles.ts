import { css } from 'lit';

export default css`
  .attachments {
    display: grid;
    gap: var(--tp-space-s);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .attachment {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tp-space-s) var(--tp-space-m);
    padding: var(--tp-space-s);
    border: 1px solid var(--tp-color-border);
    border-radius: var(--tp-radius);
    background: var(--tp-color-surface);
  }
  .attachment__preview {
    display: block;
    flex-basis: 100%;
    max-width: min(100%, 24rem);
    max-height: 16rem;
    object-fit: contain;
    border-radius: var(--tp-radius);
  }
  .attachment__main {
    display: grid;
    flex: 1;
    min-width: 0;
  }
  .attachment__name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .attachment__meta {
    font-size: 0.875em;
    color: var(--tp-color-muted);
  }
  button {
    min-height: 2.25em;
    padding: 0 var(--tp-space-m);
  }
`;
