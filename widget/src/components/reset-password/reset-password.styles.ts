import { css } from 'lit';

export default css`
  .links {
    justify-content: flex-start;
  }
`;
