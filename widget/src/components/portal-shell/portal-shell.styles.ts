import { css } from 'lit';

export default css`
  .shell {
    display: grid;
    gap: var(--tp-space-l);
  }
  .shell__header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--tp-space-s) var(--tp-space-m);
    padding-bottom: var(--tp-space-m);
    border-bottom: 1px solid var(--tp-color-border);
  }
  .shell__account {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tp-space-s) var(--tp-space-m);
  }
  .shell__user {
    color: var(--tp-color-muted);
  }
  .shell__bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--tp-space-s) var(--tp-space-m);
    margin: 0 0 var(--tp-space-m);
  }
  .shell__main-heading {
    margin: 0;
    font-size: 1.25em;
  }
  .shell__main-heading:focus {
    outline: none;
  }
  .shell__loading,
  .shell__failed {
    padding: var(--tp-space-l);
    color: var(--tp-color-muted);
    text-align: center;
  }
  .shell__failed p {
    margin-bottom: var(--tp-space-m);
    color: var(--tp-color-danger);
  }
  .placeholder {
    padding: var(--tp-space-l);
    color: var(--tp-color-muted);
    text-align: center;
    border: 1px dashed var(--tp-color-border);
    border-radius: var(--tp-radius);
  }
  @container (width < 36em) {
    .shell {
      gap: var(--tp-space-m);
    }
    .heading {
      font-size: 1.25em;
    }
    .shell__header {
      padding-bottom: var(--tp-space-s);
    }
  }
`;
