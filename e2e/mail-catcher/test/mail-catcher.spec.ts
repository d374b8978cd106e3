import { createTransport } from 'nodemailer';
import { startMailCatcher, type MailCatcher } from '../src';

describe('startMailCatcher', () => {
  let catcher: MailCatcher;

  beforeEach(async () => {
    catcher = await startMailCatcher();
  });
  afterEach(async () => {
    await catcher.close();
  });

  const send = (to: string, subject: string) =>
    createTransport({ host: '127.0.0.1', port: catcher.smtpPort, secure: false, ignoreTLS: true }).sendMail({
      from: 'Portal <no-reply@example.com>',
      to,
      subject,
      text: 'plain body',
      html: '<p>html <b>body</b></p>',
    });

  it('should keep a sent mail with its parts when a client delivers over SMTP', async () => {
    await send('Someone@Example.com', 'Confirm your account');
    const mail = await catcher.waitFor({ to: 'someone@example.com' });
    expect(mail).toMatchObject({
      from: 'no-reply@example.com',
      to: ['someone@example.com'],
      subject: 'Confirm your account',
      html: '<p>html <b>body</b></p>',
    });
    expect(mail.text.trim()).toBe('plain body');
  });

  it('should resolve a waiter when the matching mail arrives later', async () => {
    const waiting = catcher.waitFor({ to: 'late@example.com', subject: /reset/i }, 5000);
    await send('other@example.com', 'Reset your password');
    await send('late@example.com', 'Reset your password');
    await expect(waiting).resolves.toMatchObject({ to: ['late@example.com'] });
  });

  it('should reject when no matching mail arrives in time', async () => {
    await expect(catcher.waitFor({ to: 'nobody@example.com' }, 200)).rejects.toThrow(/within 200 ms/);
  });

  it('should list newest first over HTTP and clear on DELETE', async () => {
    await send('a@example.com', 'First');
    await send('b@example.com', 'Second');
    await catcher.waitFor({ subject: 'Second' });
    const list = (await (await fetch(`${catcher.httpUrl}/api/messages`)).json()) as { subject: string }[];
    expect(list.map((m) => m.subject)).toEqual(['Second', 'First']);
    const filtered = (await (
      await fetch(`${catcher.httpUrl}/api/messages?to=a@example.com`)
    ).json()) as unknown[];
    expect(filtered).toHaveLength(1);
    const page = await fetch(`${catcher.httpUrl}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${catcher.httpUrl}/api/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(catcher.messages()).toHaveLength(0);
  });
});
