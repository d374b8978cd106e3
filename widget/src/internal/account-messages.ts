import { messages, supportName } from './messages.js';

// Sentences and checks of the account screens that are loaded on first use (ADR 0008): kept apart
// from messages.ts and validation.ts so that they travel in the lazy chunk, not in the first render.
export const accountMessages = {
  confirmed: 'Your account is confirmed. You can now sign in.',
  passwordReset: 'Your password has been reset. Sign in with your new password.',
  passwordLength: 'Use 10 to 128 characters for your password.',
  passwordRules: 'Use 10–128 characters. Common passwords are not accepted.',
  passwordMismatch: "The passwords don't match. Type the same password in both fields.",
  sameEmail: (companyName: string): string =>
    `Note: Use the same email address you use when contacting ${supportName(companyName)}.`,
  checkInboxRegister: (email: string): string =>
    `We've sent an email to ${email}. Open the link in it to confirm your account.`,
  checkInboxForgot: (email: string): string =>
    `If an account exists for ${email}, we've sent it an email. Follow the instructions in it to reset your password.`,
};

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export function checkNewPassword(value: string, label: string): string | undefined {
  if (value === '') return messages.required(label);
  // Count code points, as the API does, so an emoji is one character.
  const length = [...value].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) return accountMessages.passwordLength;
  return undefined;
}

export function checkConfirmation(password: string, confirmation: string, label: string): string | undefined {
  if (confirmation === '') return messages.required(label);
  if (password !== confirmation) return accountMessages.passwordMismatch;
  return undefined;
}
