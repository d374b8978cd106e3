import { supportName } from './messages.js';
import { msg, str } from './msg.js';

// Sentences and checks of the account screens that are loaded on first use (ADR 0008): kept apart
// from messages.ts and validation.ts so that they travel in the lazy chunk, not in the first render.
export const accountMessages = {
  get confirmed() {
    return msg('Your account is confirmed. You can now sign in.');
  },
  get passwordReset() {
    return msg('Your password has been reset. Sign in with your new password.');
  },
  get passwordLength() {
    return msg('Use 10 to 128 characters for your password.');
  },
  get passwordRules() {
    return msg('Use 10–128 characters. Common passwords are not accepted.');
  },
  get passwordMismatch() {
    return msg("The passwords don't match. Type the same password in both fields.");
  },
  get resent() {
    return msg("We've sent the confirmation email again.");
  },
  sameEmail: (companyName: string): string =>
    msg(str`Note: Use the same email address you use when contacting ${supportName(companyName)}.`),
  checkInboxRegister: (email: string): string =>
    msg(str`We've sent an email to ${email}. Open the link in it to confirm your account.`),
  checkInboxForgot: (email: string): string =>
    msg(
      str`If an account exists for ${email}, we've sent it an email. Follow the instructions in it to reset your password.`,
    ),
};

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** `required` is the sentence for an empty field ("Enter your password."). */
export function checkNewPassword(value: string, required: string): string | undefined {
  if (value === '') return required;
  // Count code points, as the API does, so an emoji is one character.
  const length = [...value].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) return accountMessages.passwordLength;
  return undefined;
}

export function checkConfirmation(
  password: string,
  confirmation: string,
  required: string,
): string | undefined {
  if (confirmation === '') return required;
  if (password !== confirmation) return accountMessages.passwordMismatch;
  return undefined;
}
