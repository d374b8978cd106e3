import { messages } from './messages.js';

// Client-side checks only save a round trip; the API validates everything again.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export type FieldErrors = Record<string, string>;

export function checkEmail(value: string, label: string): string | undefined {
  if (value.trim() === '') return messages.required(label);
  if (!EMAIL.test(value.trim())) return messages.emailInvalid;
  return undefined;
}

export function checkNewPassword(value: string, label: string): string | undefined {
  if (value === '') return messages.required(label);
  // Count code points, as the API does, so an emoji is one character.
  const length = [...value].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) return messages.passwordLength;
  return undefined;
}

export function checkConfirmation(password: string, confirmation: string, label: string): string | undefined {
  if (confirmation === '') return messages.required(label);
  if (password !== confirmation) return messages.passwordMismatch;
  return undefined;
}

/** Drops the fields that passed. */
export const compact = (errors: Record<string, string | undefined>): FieldErrors =>
  Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => !!entry[1]));
