import { buildActionLink } from './mail-links';
import { alreadyRegisteredMail, confirmationMail, passwordResetMail } from './mail-templates';

const TOKEN = 'AbC_-0123456789abcdefghijklmnopqrstuvwxyzAB';

describe(buildActionLink.name, () => {
  it('should add the tp fragment to a plain portal URL', () => {
    expect(buildActionLink('https://pages.example.com/tickets-portal/', 'confirm', TOKEN)).toBe(
      `https://pages.example.com/tickets-portal/#tp-action=confirm&tp-token=${TOKEN}`,
    );
  });

  it('should keep the query string and replace an existing fragment', () => {
    expect(buildActionLink('https://pages.example.com/p?lang=en&utm=x#section-2', 'reset', TOKEN)).toBe(
      `https://pages.example.com/p?lang=en&utm=x#tp-action=reset&tp-token=${TOKEN}`,
    );
  });
});

describe('mail templates', () => {
  const context = { portalUrl: 'https://pages.example.com/', supportEmail: 'support@example.com' };

  it('should put the link in both the text and the HTML body of the confirmation mail', () => {
    const link = buildActionLink(context.portalUrl, 'confirm', TOKEN);
    const mail = confirmationMail(link, context);
    expect(mail.subject).toMatch(/Confirm/);
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(link.replace('&', '&amp;'));
    expect(mail.text).toContain('48 hours');
    expect(mail.text).toContain('support@example.com');
  });

  it('should say the reset link lasts one hour and signs out every session', () => {
    const mail = passwordResetMail(buildActionLink(context.portalUrl, 'reset', TOKEN), context);
    expect(mail.text).toMatch(/1 hour/);
    expect(mail.text).toMatch(/signs you out everywhere/);
  });

  it('should send a known address to sign in or Forgot password without any token', () => {
    const mail = alreadyRegisteredMail(context);
    expect(mail.text).toMatch(/already have an account/);
    expect(mail.text).toMatch(/Forgot password/);
    expect(mail.text).not.toMatch(/tp-token/);
  });

  it('should name and sign with the support contact GET /portal names (SUPPORT_NAME, SUPPORT_EMAIL)', () => {
    const support = { ...context, supportName: 'Synchtank Support' };
    for (const mail of [
      confirmationMail('https://pages.example.com/#tp-action=confirm', support),
      passwordResetMail('https://pages.example.com/#tp-action=reset', support),
      alreadyRegisteredMail(support),
    ]) {
      expect(mail.text).toContain('Need help? Contact the Synchtank Support team at support@example.com.');
      expect(mail.text.trimEnd()).toMatch(/— Synchtank Support$/);
      expect(mail.html).toContain('— Synchtank Support');
    }
    // Without an email, the support URL; without either, the team's name alone.
    expect(
      alreadyRegisteredMail({ portalUrl: 'https://x.example/', supportUrl: 'https://help.example/' }).text,
    ).toContain('Need help? Contact the Support team at https://help.example/.');
  });

  it('should escape HTML in values it places into the HTML body', () => {
    const mail = alreadyRegisteredMail({ portalUrl: 'https://x.example/?a=<script>' });
    expect(mail.html).not.toContain('<script>');
  });
});
