import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

// api/data/common-passwords.txt: lower-cased common passwords and their usual variants (digits, years,
// keyboard walks). Resolved the same way from src/auth (Jest) and dist/auth (node).
const COMMON_PASSWORDS_FILE = join(__dirname, '..', '..', 'data', 'common-passwords.txt');

let commonPasswords: Set<string> | undefined;

export function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const lines = readFileSync(COMMON_PASSWORDS_FILE, 'utf8').split('\n');
    commonPasswords = new Set(lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
  }
  return commonPasswords;
}

// Returns a message a person can act on, or undefined when the password is acceptable.
export function checkPassword(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}).`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 2) return 'Use more than one or two different characters.';
  const common = loadCommonPasswords();
  // "Football2024!" is as weak as "football": strip the decoration people usually add at the end.
  const stem = lower.replace(/[\d\W_]+$/u, '');
  if (common.has(lower) || (stem.length >= 4 && common.has(stem))) {
    return 'This password is too common and easy to guess. Choose something less predictable, such as a few unrelated words.';
  }
  if (email) {
    const address = email.trim().toLowerCase();
    const local = address.split('@')[0] ?? '';
    if (lower.includes(address) || (local.length >= 4 && stem === local)) {
      return 'Do not use your email address as your password.';
    }
  }
  return undefined;
}
