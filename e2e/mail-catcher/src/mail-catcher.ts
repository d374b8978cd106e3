import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { renderInbox } from './inbox-page';

export interface CaughtMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: string;
}

export type MailMatch = { to?: string; subject?: RegExp | string } | ((mail: CaughtMail) => boolean);

export interface MailCatcherOptions {
  /** SMTP port; 0 picks a free one. Default 0. */
  smtpPort?: number;
  /** Web inbox port; 0 picks a free one. Default 0. */
  httpPort?: number;
  /** Interface to bind. Default 127.0.0.1 (never reachable from outside this machine). */
  host?: string;
  /** Oldest messages are dropped past this many. Default 500. */
  maxMessages?: number;
}

export interface MailCatcher {
  smtpPort: number;
  httpPort: number;
  /** The web inbox (HTML at `/`, JSON at `/api/messages`). */
  httpUrl: string;
  messages(): CaughtMail[];
  waitFor(match: MailMatch, timeoutMs?: number): Promise<CaughtMail>;
  clear(): void;
  close(): Promise<void>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())).filter(Boolean);
}

export function matches(mail: CaughtMail, match: MailMatch): boolean {
  if (typeof match === 'function') return match(mail);
  if (match.to && !mail.to.includes(match.to.trim().toLowerCase())) return false;
  if (match.subject !== undefined) {
    const ok =
      typeof match.subject === 'string'
        ? mail.subject.includes(match.subject)
        : match.subject.test(mail.subject);
    if (!ok) return false;
  }
  return true;
}

function listen(
  server: {
    listen(port: number, host: string, cb: () => void): unknown;
    once(e: 'error', cb: (err: Error) => void): unknown;
  },
  port: number,
  host: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/**
 * Starts an SMTP receiver that keeps every message in memory, plus a small web inbox.
 * It accepts any sender and recipient without authentication: it is a development tool bound to loopback.
 */
export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const max = options.maxMessages ?? 500;
  const inbox: CaughtMail[] = [];
  const waiters = new Set<{ match: MailMatch; resolve: (m: CaughtMail) => void }>();

  const deliver = (mail: CaughtMail): void => {
    inbox.push(mail);
    if (inbox.length > max) inbox.splice(0, inbox.length - max);
    for (const waiter of waiters) {
      if (matches(mail, waiter.match)) {
        waiters.delete(waiter);
        waiter.resolve(mail);
      }
    }
  };

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'Ticket Portal mail catcher',
    size: 10 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          deliver({
            id: randomUUID(),
            from:
              addresses(parsed.from)[0] ??
              (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
            to: envelopeTo.length > 0 ? envelopeTo : addresses(parsed.to),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date().toISOString(),
          });
          callback();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });
  smtp.on('error', () => undefined);

  const http: Server = createServer((req, res) => handle(req, res));
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown, type = 'application/json; charset=utf-8'): void => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
      });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/') {
      return send(200, renderInbox(), 'text/html; charset=utf-8');
    }
    if (req.method === 'GET' && url.pathname === '/api/messages') {
      const to = url.searchParams.get('to');
      const list = to ? inbox.filter((m) => matches(m, { to })) : inbox;
      return send(200, [...list].reverse());
    }
    if (req.method === 'DELETE' && url.pathname === '/api/messages') {
      inbox.length = 0;
      return send(204, '');
    }
    const one = /^\/api\/messages\/([\w-]+)(\.html)?$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const mail = inbox.find((m) => m.id === one[1]);
      if (!mail) return send(404, { message: 'No message with that id (it may have been cleared).' });
      // The HTML part is shown inside a sandboxed iframe by the inbox page; serve it with a CSP that blocks scripts.
      if (one[2]) {
        res.setHeader(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        );
        return send(200, mail.html || `<pre>${escapeHtml(mail.text)}</pre>`, 'text/html; charset=utf-8');
      }
      return send(200, mail);
    }
    send(404, {
      message: `Nothing at ${req.method ?? 'GET'} ${url.pathname}. Try GET / or GET /api/messages.`,
    });
  };

  await listen(smtp.server, options.smtpPort ?? 0, host);
  await listen(http, options.httpPort ?? 0, host);
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;

  return {
    smtpPort,
    httpPort,
    httpUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${httpPort}`,
    messages: () => [...inbox],
    clear: () => {
      inbox.length = 0;
    },
    waitFor(match, timeoutMs = 10_000) {
      const found = inbox.find((m) => matches(m, match));
      if (found) return Promise.resolve(found);
      return new Promise<CaughtMail>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: CaughtMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No mail matching ${describe(match)} arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      http.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => http.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
    },
  };
}

function describe(match: MailMatch): string {
  if (typeof match === 'function') return 'the predicate';
  return JSON.stringify({ to: match.to, subject: match.subject?.toString() });
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
