export type MailAction = 'confirm' | 'reset';

// The portal page reads `#tp-action=…&tp-token=…`; a fragment never reaches any server log.
// Any query string of PORTAL_URL is kept, any fragment replaced.
export function buildActionLink(portalUrl: string, action: MailAction, token: string): string {
  const url = new URL(portalUrl);
  url.hash = `tp-action=${encodeURIComponent(action)}&tp-token=${encodeURIComponent(token)}`;
  return url.toString();
}
