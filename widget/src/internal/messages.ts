// Every sentence the widget shows, in one place. Labels and buttons use the words of the
// Customer Portal Guide (shared/GUIDE.md): "Register here", "Forgot password", "Need Help?".

/** "Synchtank Support" when a company name is set, else "Support". */
export const supportName = (companyName: string): string =>
  companyName.trim() ? `${companyName.trim()} Support` : 'Support';

export const messages = {
  unreachable: "We can't reach the portal right now. Check your internet connection, then select Retry.",
  badResponse: (status: number): string =>
    `The portal could not complete this request (error ${status}). Please try again in a moment.`,
  missingApiUrl:
    'This portal is not set up yet: the <ticket-portal> element needs an api-url attribute, e.g. api-url="https://portal-api.example.com".',
  sessionExpired: 'Your session has expired. Please sign in again.',
  signedOut: 'You have signed out.',
  confirmed: 'Your account is confirmed. You can now sign in.',
  passwordReset: 'Your password has been reset. Sign in with your new password.',
  required: (label: string): string => `Enter your ${label.toLowerCase()}.`,
  emailInvalid: 'Enter an email address like name@example.com.',
  passwordLength: 'Use 10 to 128 characters for your password.',
  passwordRules: 'Use 10–128 characters. Common passwords are not accepted.',
  passwordMismatch: "The passwords don't match. Type the same password in both fields.",
  otpNotice:
    'One-Time Password (OTP) / Magic Link sign-in is no longer available. If you used it before, use Forgot password to create a new password for your account.',
  sameEmail: (companyName: string): string =>
    `Note: Use the same email address you use when contacting ${supportName(companyName)}.`,
  checkInboxRegister: (email: string): string =>
    `We've sent an email to ${email}. Open the link in it to confirm your account.`,
  checkInboxForgot: (email: string): string =>
    `If an account exists for ${email}, we've sent it an email. Follow the instructions in it to reset your password.`,
  resent: "We've sent the confirmation email again.",
  loading: 'Loading your account…',
};
