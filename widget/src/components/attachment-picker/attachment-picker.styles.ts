import { css } from 'lit';

export default css`
  .picker {
    display: grid;
    gap: var(--tp-space-s);
    padding: var(--tp-space-m);
    border: 2px dashed var(--tp-color-border);
    border-radius: var(--tp-radius);
  }
  /* Files dragged over the form: the whole area says it takes them. */
  .picker--over {
    border-color: var(--tp-color-primary);
    background: var(--tp-color-info-surface);
  }
  .label {
    font-weight: 600;
  }
  .optional {
    font-weight: 400;
    color: var(--tp-color-muted);
  }
  #files-error:empty {
    display: none;
  }
  .files {
    display: grid;
    gap: var(--tp-space-s);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .file {
    display: flex;
    align-items: center;
    gap: var(--tp-space-s) var(--tp-space-m);
    padding: var(--tp-space-s);
    border: 1px solid var(--tp-color-border);
    border-radius: var(--tp-radius);
    background: var(--tp-color-surface);
  }
  .file--failed {
    border-color: var(--tp-color-danger);
  }
  .file__preview {
    flex: none;
    width: 3rem;
    height: 3rem;
    object-fit: cover;
    border-radius: var(--tp-radius);
  }
  .file__main {
    display: grid;
    flex: 1;
    min-width: 0;
    gap: 2px;
  }
  .file__name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .file__meta {
    font-size: 0.875em;
    color: var(--tp-color-muted);
  }
  .file__progress {
    display: flex;
    align-items: center;
    gap: var(--tp-space-s);
    font-size: 0.875em;
  }
  .file__progress progress {
    flex: 1;
    max-width: 16rem;
    accent-color: var(--tp-color-primary);
  }
  .file__actions {
    display: flex;
    gap: var(--tp-space-m);
  }
`;
