import { css } from 'lit';

export default css`
  .details {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11em, 1fr));
    gap: var(--tp-space-s) var(--tp-space-m);
    margin: var(--tp-space-m) 0 0;
    padding: var(--tp-space-m);
    border: 1px solid var(--tp-color-border);
    border-radius: var(--tp-radius);
  }
  .details dt {
    font-size: 0.875em;
    color: var(--tp-color-muted);
  }
  .details dd {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  h4 {
    margin: 0 0 var(--tp-space-s);
    font-size: 1.0625em;
  }
  .description,
  .message__body--text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .muted,
  .loading-more {
    color: var(--tp-color-muted);
  }
  .conversation {
    display: grid;
    gap: var(--tp-space-m);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .message {
    max-width: 85%;
    padding: var(--tp-space-s) var(--tp-space-m);
    border: 1px solid var(--tp-color-border);
    border-radius: var(--tp-radius);
    background: var(--tp-color-surface);
  }
  /* The customer's own messages at the end (the right, or the left in Arabic) and tinted; support's at the start with an accent. */
  .message--customer {
    justify-self: end;
    background: var(--tp-color-info-surface);
  }
  .message--support {
    justify-self: start;
    border-inline-start: 4px solid var(--tp-color-primary);
  }
  .message__meta {
    display: flex;
    flex-wrap: wrap;
    /* A long author email breaks inside the bubble instead of running out of it. */
    overflow-wrap: anywhere;
    align-items: baseline;
    gap: var(--tp-space-xs) var(--tp-space-s);
    margin-bottom: var(--tp-space-xs);
    font-size: 0.875em;
  }
  .message__meta time {
    color: var(--tp-color-muted);
  }
  .message__body {
    overflow-wrap: anywhere;
  }
  .message__body > * + * {
    margin-top: var(--tp-space-s);
  }
  .message__body blockquote {
    margin: 0;
    padding-inline-start: var(--tp-space-m);
    border-inline-start: 3px solid var(--tp-color-border);
    color: var(--tp-color-muted);
  }
  .message__body pre {
    overflow-x: auto;
    white-space: pre-wrap;
  }
  .sync {
    display: block;
  }
  .sync--failed .actions {
    margin-top: var(--tp-space-s);
  }
  .ticket-actions {
    padding-top: var(--tp-space-m);
    border-top: 1px solid var(--tp-color-border);
  }
  .confirm p {
    flex-basis: 100%;
  }
  button[disabled] {
    cursor: progress;
    opacity: 0.75;
  }
`;
