import { css } from 'lit';

export default css`
  .note {
    font-size: 0.875em;
  }
`;
