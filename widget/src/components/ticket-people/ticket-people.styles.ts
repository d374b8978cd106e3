import { css } from 'lit';

export default css`
  .people {
    display: grid;
    gap: var(--tp-space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .person {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tp-space-xs) var(--tp-space-s);
  }
  .person__email {
    color: var(--tp-color-muted);
  }
  .person__role {
    font-size: 0.875em;
    font-weight: 600;
  }
  .add {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: var(--tp-space-s);
    margin-top: var(--tp-space-s);
  }
  .add .field {
    flex: 1 1 16rem;
  }
  .add input {
    width: 100%;
  }
`;
