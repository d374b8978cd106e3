export { startMailCatcher, matches } from './mail-catcher';
export type { CaughtMail, MailCatcher, MailCatcherOptions, MailMatch } from './mail-catcher';
