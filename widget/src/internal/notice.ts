import { html, nothing } from 'lit';

export interface Notice {
  tone: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

const isUrgent = (notice: Notice | null | undefined): boolean =>
  notice?.tone === 'error' || notice?.tone === 'warning';

/**
 * Messages above a form. Both live regions are always in the DOM so that a screen reader announces
 * their content when it changes: warnings and errors assertively (role=alert), the rest politely.
 */
export const renderNotice = (notice: Notice | null | undefined) =>
  html`<div class="notices">
    <div role="alert">
      ${
        notice && isUrgent(notice)
          ? html`<p class="notice notice--${notice.tone}" part="alert">${notice.text}</p>`
          : nothing
      }
    </div>
    <div role="status">
      ${
        notice && !isUrgent(notice)
          ? html`<p class="notice notice--${notice.tone}" part="notice">${notice.text}</p>`
          : nothing
      }
    </div>
  </div>`;
