import { css } from 'lit';

export default css`
  .otp-note {
    padding-top: var(--tp-space-m);
    border-top: 1px solid var(--tp-color-border);
  }
`;
