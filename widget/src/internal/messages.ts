// Every sentence the widget shows, in one place. Labels and buttons use the words of the
// Customer Portal Guide (shared/GUIDE.md): "Register here", "Forgot password", "Need Help?".

/** "Synchtank Support" when a company name is set, else "Support". */
export const supportName = (companyName: string): string =>
  companyName.trim() ? `${companyName.trim()} Support` : 'Support';

export const messages = {
  unreachable: "We can't reach the portal right now. Check your internet connection, then select Retry.",
  badResponse: (status: number): string =>
    `The portal could not complete this request (error ${status}). Please try again in a moment.`,
  originNotAllowed:
    "This page is not set up for the customer portal, so you can't sign in here. Please let the company know.",
  missingApiUrl:
    'This portal is not set up yet: the <ticket-portal> element needs an api-url attribute, e.g. api-url="https://portal-api.example.com".',
  sessionExpired: 'Your session has expired. Please sign in again.',
  signedOut: 'You have signed out.',
  required: (label: string): string => `Enter your ${label.toLowerCase()}.`,
  emailInvalid: 'Enter an email address like name@example.com.',
  otpNotice:
    'One-Time Password (OTP) / Magic Link sign-in is no longer available. If you used it before, use Forgot password to create a new password for your account.',
  resent: "We've sent the confirmation email again.",
  loading: 'Loading your account…',
  passwordOff: 'Sign in to this website to see your tickets here.',

  loadFailed:
    'This part of the portal could not be loaded. Check your internet connection, then select Retry.',
};
