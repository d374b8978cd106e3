// Reads the stack's mail catcher over HTTP (it runs in another process).
import { expect } from '@playwright/test';

export interface InboxMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export async function waitForMail(to: string, subject: RegExp, after = 0): Promise<InboxMail> {
  const inbox = process.env.E2E_INBOX_URL;
  if (!inbox) throw new Error('E2E_INBOX_URL is not set: the global setup did not start the mail catcher');
  let found: InboxMail | undefined;
  await expect
    .poll(
      async () => {
        const res = await fetch(`${inbox}/api/messages?to=${encodeURIComponent(to)}`);
        const list = (await res.json()) as InboxMail[];
        found = list.slice(0, list.length - after).find((m) => subject.test(m.subject));
        return Boolean(found);
      },
      { message: `a mail to ${to} with subject ${subject}`, timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

export async function countMail(to: string): Promise<number> {
  const res = await fetch(`${process.env.E2E_INBOX_URL}/api/messages?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as unknown[]).length;
}

/** The portal link in a mail (PORTAL_URL with a #tp-action=… fragment). */
export function portalLink(mail: InboxMail): string {
  const match = /https?:\/\/[^\s"'<>]+#tp-action=[^\s"'<>]+/.exec(mail.text);
  if (!match) throw new Error(`no portal link in mail "${mail.subject}":\n${mail.text}`);
  return match[0].replace(/&amp;/g, '&');
}
