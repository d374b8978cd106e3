// The email address typed on Register or Forgot password, kept for this tab (sessionStorage) so that
// a reload or Back and Forward do not lose it. Only the email: a password is never stored.
const KEY = 'tp-typed-email';

export function typedEmail(): string {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function keepTypedEmail(event: Event): void {
  const input = event.target as HTMLInputElement | null;
  if (input?.name !== 'email') return;
  try {
    if (input.value) sessionStorage.setItem(KEY, input.value.slice(0, 320));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode, quota): the form still works, without the memory.
  }
}

export function forgetTypedEmail(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // As above.
  }
}
