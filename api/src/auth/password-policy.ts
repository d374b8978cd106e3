import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

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

// zxcvbn's score: 3 means "safely unguessable" online (about 10^8 guesses or more).
export const PASSWORD_MIN_SCORE = 3;
// The estimator's time grows quickly with length (up to ~90 ms at 64 characters), and it runs before
// any per-email throttle, so it sees the first 64 characters only; longer passwords are long enough.
const ESTIMATOR_MAX_LENGTH = 64;

let estimator: ZxcvbnFactory | undefined;

function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...dictionary },
    graphs: adjacencyGraphs,
    maxLength: ESTIMATOR_MAX_LENGTH,
  });
  return estimator;
}

const LESS_PREDICTABLE = 'Choose something less predictable, such as a few unrelated words.';
const TOO_COMMON = `This password is too common and easy to guess. ${LESS_PREDICTABLE}`;

// zxcvbn's warning keys (no translation package: these are the messages people see).
const WEAKNESS: Record<string, string> = {
  straightRow: `Keyboard rows such as qwerty or asdf are easy to guess. ${LESS_PREDICTABLE}`,
  keyPattern: `Keyboard patterns such as 1q2w3e are easy to guess. ${LESS_PREDICTABLE}`,
  simpleRepeat: `Repeated characters such as aaa are easy to guess. ${LESS_PREDICTABLE}`,
  extendedRepeat: `Repeated patterns such as abcabcabc are easy to guess. ${LESS_PREDICTABLE}`,
  sequences: `Sequences such as abcdef or 13579 are easy to guess. ${LESS_PREDICTABLE}`,
  recentYears: `Recent years are easy to guess. ${LESS_PREDICTABLE}`,
  dates: `Dates are easy to guess. ${LESS_PREDICTABLE}`,
  topTen: TOO_COMMON,
  topHundred: TOO_COMMON,
  common: TOO_COMMON,
  similarToCommon: TOO_COMMON,
  pwned: TOO_COMMON,
  wordByItself: `A single word is easy to guess. Add a few more unrelated words.`,
  namesByThemselves: `Names on their own are easy to guess. ${LESS_PREDICTABLE}`,
  commonNames: `Common names are easy to guess. ${LESS_PREDICTABLE}`,
  userInputs: 'Do not base your password on your email address.',
};

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
  if (common.has(lower) || (stem.length >= 4 && common.has(stem))) return TOO_COMMON;
  const userInputs: string[] = [];
  if (email) {
    const address = email.trim().toLowerCase();
    const local = address.split('@')[0] ?? '';
    if (lower.includes(address) || (local.length >= 4 && stem === local)) {
      return 'Do not use your email address as your password.';
    }
    userInputs.push(address, ...address.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 3));
  }
  // The list above catches what people type most; the estimator catches patterns (1357924680,
  // abcabcabca, keyboard walks, dates) and guessable combinations of common words.
  const estimate = strengthEstimator().check(password, userInputs);
  if (estimate.score < PASSWORD_MIN_SCORE) {
    const warning = estimate.feedback.warning;
    return (
      (warning ? WEAKNESS[warning] : undefined) ??
      `This password is easy to guess. Make it longer and less predictable, such as a few unrelated words.`
    );
  }
  return undefined;
}
