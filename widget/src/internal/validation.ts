import { messages } from './messages.js';

// Client-side checks only save a round trip; the API validates everything again.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type FieldErrors = Record<string, string>;

/** `required` is the sentence for an empty field ("Enter your email."). */
export function checkEmail(value: string, required: string): string | undefined {
  if (value.trim() === '') return required;
  if (!EMAIL.test(value.trim())) return messages.emailInvalid;
  return undefined;
}

/** Drops the fields that passed. */
export const compact = (errors: Record<string, string | undefined>): FieldErrors =>
  Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => !!entry[1]));
