import { html } from 'lit';
import { accountMessages, checkConfirmation, checkNewPassword } from './account-messages.js';
import { renderField } from './field.js';
import { msg } from './msg.js';
import type { FieldErrors } from './validation.js';

// Form blocks the account screens loaded on first use share (forgot password, register, reset
// password, confirm account). Like account-messages.ts, only those screens import this module, so it
// travels in the lazy chunk (ADR 0008); Sign in, in the first render, keeps its own.

/** The form's submit button; while `pending` it reads `busyLabel` and is aria-disabled. */
export const renderSubmit = (pending: boolean, label: string, busyLabel = label) =>
  html`<div class="actions">
    <button type="submit" part="button" aria-disabled=${pending ? 'true' : 'false'}>
      ${pending ? busyLabel : label}
    </button>
  </div>`;

/** The Email address input (name `email`). */
export const renderEmailField = (value: string | undefined, error: string | undefined) =>
  renderField({
    name: 'email',
    label: msg('Email address'),
    type: 'email',
    autocomplete: 'email',
    value,
    error,
  });

export interface NewPasswordTexts {
  /** Labels of the two inputs ("Password", "Confirm password"). */
  password: string;
  confirmPassword: string;
}

/** A new password, with the rules as its hint, and its confirmation (inputs `password`, `confirmPassword`). */
export const renderNewPasswordFields = (labels: NewPasswordTexts, errors: FieldErrors) =>
  html`${renderField({
    name: 'password',
    label: labels.password,
    type: 'password',
    autocomplete: 'new-password',
    hint: accountMessages.passwordRules,
    error: errors.password,
  })}
  ${renderField({
    name: 'confirmPassword',
    label: labels.confirmPassword,
    type: 'password',
    autocomplete: 'new-password',
    error: errors.confirmPassword,
  })}`;

/**
 * Checks the inputs of renderNewPasswordFields in the form's `values`; `required` holds the sentences
 * for an empty field ("Enter your password.", "Enter your password again.").
 */
export function checkNewPasswords(
  values: Record<string, string>,
  required: NewPasswordTexts,
): { password: string; errors: Record<string, string | undefined> } {
  const password = values.password ?? '';
  return {
    password,
    errors: {
      password: checkNewPassword(password, required.password),
      confirmPassword: checkConfirmation(password, values.confirmPassword ?? '', required.confirmPassword),
    },
  };
}
