export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The portal's address and its support contact: SUPPORT_NAME, SUPPORT_EMAIL and SUPPORT_URL, the same
 * setting GET /portal hands the widget for its "Need Help?" block, so mails and portal name one team.
 */
export interface TemplateContext {
  portalUrl: string;
  supportName?: string | undefined;
  supportEmail?: string | undefined;
  supportUrl?: string | undefined;
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function layout(title: string, paragraphs: string[], button?: { label: string; href: string }): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n');
  const action = button
    ? `<p style="margin:24px 0"><a href="${escapeHtml(button.href)}" style="background:#1f6feb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(button.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#555">If the button does not work, copy this address into your browser:<br><a href="${escapeHtml(button.href)}">${escapeHtml(button.href)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(title)}</h1>
${body}
${action}
</body></html>`;
}

function help(context: TemplateContext): string {
  const team = `the ${context.supportName?.trim() || 'Support'} team`;
  const where = context.supportEmail ?? context.supportUrl;
  return where ? `Need help? Contact ${team} at ${where}.` : `Need help? Contact ${team}.`;
}

/** The closing line: the mail comes from the support team the portal names. */
function signature(context: TemplateContext): string {
  return `— ${context.supportName?.trim() || 'Support'}`;
}

export function confirmationMail(link: string, context: TemplateContext): MailContent {
  const title = 'Confirm your email address';
  const lines = [
    'Thanks for registering for the Customer Portal.',
    'Confirm your email address to finish setting up your account. The link works once and expires in 48 hours.',
    'If you did not register, you can ignore this message.',
  ];
  return {
    subject: 'Confirm your Customer Portal account',
    text: `${title}\n\n${lines[0]}\n\n${lines[1]}\n\n${link}\n\n${lines[2]}\n\n${help(context)}\n\n${signature(context)}\n`,
    html: layout(title, [...lines, help(context), signature(context)], {
      label: 'Confirm your account',
      href: link,
    }),
  };
}

export function alreadyRegisteredMail(context: TemplateContext): MailContent {
  const title = 'You already have an account';
  const lines = [
    'Someone, probably you, tried to register for the Customer Portal with this email address, but you already have an account.',
    'Sign in with your email address and password. If you do not remember your password, use the Forgot password option on the sign-in screen to set a new one.',
    'If this was not you, you can ignore this message; your account has not changed.',
  ];
  return {
    subject: 'You already have a Customer Portal account',
    text: `${title}\n\n${lines.join('\n\n')}\n\nCustomer Portal: ${context.portalUrl}\n\n${help(context)}\n\n${signature(context)}\n`,
    html: layout(title, [...lines, help(context), signature(context)], {
      label: 'Go to the Customer Portal',
      href: context.portalUrl,
    }),
  };
}

export function alreadyConfirmedMail(context: TemplateContext): MailContent {
  const title = 'Your account is already confirmed';
  const lines = [
    'You asked for a new confirmation link, but your Customer Portal account is already confirmed.',
    'Sign in with your email address and password. If you do not remember your password, use the Forgot password option.',
  ];
  return {
    subject: 'Your Customer Portal account is already confirmed',
    text: `${title}\n\n${lines.join('\n\n')}\n\nCustomer Portal: ${context.portalUrl}\n\n${help(context)}\n\n${signature(context)}\n`,
    html: layout(title, [...lines, help(context), signature(context)], {
      label: 'Go to the Customer Portal',
      href: context.portalUrl,
    }),
  };
}

export function passwordResetMail(link: string, context: TemplateContext): MailContent {
  const title = 'Reset your password';
  const lines = [
    'We received a request to reset the password of your Customer Portal account.',
    'Choose a new password with the link below. The link works once and expires in 1 hour. Resetting your password signs you out everywhere.',
    'If you did not ask for this, you can ignore this message; your password has not changed.',
  ];
  return {
    subject: 'Reset your Customer Portal password',
    text: `${title}\n\n${lines[0]}\n\n${lines[1]}\n\n${link}\n\n${lines[2]}\n\n${help(context)}\n\n${signature(context)}\n`,
    html: layout(title, [...lines, help(context), signature(context)], {
      label: 'Reset your password',
      href: link,
    }),
  };
}
