import { html } from 'lit';
import type { PortalConfig } from '../context/portal-config.js';
import { supportName } from './messages.js';
import { msg, str } from './msg.js';

/** Only links a browser can open safely; anything else (e.g. `javascript:`) gives ''. */
export const safeUrl = (value: string | null | undefined): string => {
  try {
    const url = new URL(value ?? '', document.baseURI);
    return value && ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : '';
  } catch {
    return '';
  }
};

/**
 * "Need Help?" as the guide words it. The site's `support-url` / `company-name` win; else the API's
 * configured contact (GET /portal): its URL, else a mailto: link to its email, and its team name.
 */
export const renderHelp = (config: PortalConfig | undefined) => {
  const support = config?.support;
  const name = config?.companyName ? supportName(config.companyName) : support?.name.trim() || msg('Support');
  const team = msg(str`contact the ${name} team`);
  const url =
    config?.supportUrl || safeUrl(support?.url) || (support?.email ? safeUrl(`mailto:${support.email}`) : '');
  return html`<p class="help" part="help">
    <strong>${msg('Need Help?')}</strong>
    ${msg("If you're unable to access the Customer Portal or experience any issues, please")}
    ${url ? html`<a href=${url} part="link" target="_blank" rel="noopener">${team}</a>` : team}.
  </p>`;
};
