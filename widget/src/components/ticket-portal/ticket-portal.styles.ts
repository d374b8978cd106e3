import { css } from 'lit';

// The theme tokens. They are set on :host, so a site editor's `ticket-portal { --tp-…: … }` wins.
export default css`
  :host {
    --tp-color-primary: #1d4ed8;
    --tp-color-primary-hover: #1e40af;
    --tp-color-primary-contrast: #ffffff;
    --tp-color-text: #1f2937;
    --tp-color-muted: #4b5563;
    --tp-color-link: #1d4ed8;
    --tp-color-background: #ffffff;
    --tp-color-surface: #ffffff;
    --tp-color-border: #d1d5db;
    --tp-color-input-border: #6b7280;
    --tp-color-focus: #2563eb;
    --tp-color-danger: #b91c1c;
    --tp-color-danger-surface: #fef2f2;
    --tp-color-success: #166534;
    --tp-color-success-surface: #f0fdf4;
    --tp-color-info-surface: #eff6ff;
    --tp-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    --tp-font-size: 1rem;
    --tp-radius: 0.375rem;
    --tp-space-xs: 0.25rem;
    --tp-space-s: 0.5rem;
    --tp-space-m: 1rem;
    --tp-space-l: 1.5rem;
    --tp-form-width: 30rem;

    display: block;
    color: var(--tp-color-text);
    font-family: var(--tp-font-family);
    font-size: var(--tp-font-size);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  .loading {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: var(--tp-space-s);
    padding: var(--tp-space-l);
    color: var(--tp-color-muted);
  }
  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid var(--tp-color-border);
    border-top-color: var(--tp-color-primary);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
`;
