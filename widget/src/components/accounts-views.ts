// Lazy (ADR 0008): the account screens a first visit does not open. Sign in, the signed-in shell and
// the list are in the entry; these arrive when a link or a mail link needs them, or when the
// browser is idle on Sign in.
import './check-inbox/check-inbox.js';
import './confirm-account/confirm-account.js';
import './forgot-password/forgot-password.js';
import './register/register.js';
import './reset-password/reset-password.js';
