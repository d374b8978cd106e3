import { msg, str } from './msg.js';

// Every sentence the widget shows on its first screens, in one place: getters, so that each is read
// in the interface language when it is shown (ADR 0012). Labels and buttons use the words of the
// Customer Portal Guide (shared/GUIDE.md): "Register here", "Forgot password", "Need Help?".

/** "Synchtank Support" when a company name is set, else "Support". */
export const supportName = (companyName: string): string =>
  companyName.trim() ? msg(str`${companyName.trim()} Support`) : msg('Support');

export const messages = {
  get unreachable() {
    return msg("We can't reach the portal right now. Check your internet connection, then select Retry.");
  },
  badResponse: (status: number): string =>
    msg(str`The portal could not complete this request (error ${status}). Please try again in a moment.`),
  get originNotAllowed() {
    return msg(
      "This page is not set up for the customer portal, so you can't sign in here. Please let the company know.",
    );
  },
  get missingApiUrl() {
    return msg(
      'This portal is not set up yet: the <ticket-portal> element needs an api-url attribute, e.g. api-url="https://portal-api.example.com".',
    );
  },
  get sessionExpired() {
    return msg('Your session has expired. Please sign in again.');
  },
  get signedOut() {
    return msg('You have signed out.');
  },
  get emailInvalid() {
    return msg('Enter an email address like name@example.com.');
  },
  get otpNotice() {
    return msg(
      'One-Time Password (OTP) / Magic Link sign-in is no longer available. If you used it before, use Forgot password to create a new password for your account.',
    );
  },
  get loading() {
    return msg('Loading your account…');
  },
  get passwordOff() {
    return msg('Sign in to this website to see your tickets here.');
  },
  get loadFailed() {
    return msg(
      'This part of the portal could not be loaded. Check your internet connection, then select Retry.',
    );
  },
  get retry() {
    return msg('Retry');
  },
  get customerPortal() {
    return msg('Customer Portal');
  },
};
