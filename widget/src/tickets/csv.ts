import { COLUMNS, ownerName, requesterName } from './ticket-fields.js';
import type { Ticket, TicketQuery } from '../api/api-types.js';
import type { TicketsApi } from './tickets-api.js';

/** Byte order mark: lets Excel open the file as UTF-8 (accents, emoji, non-Latin names). */
export const BOM = '\uFEFF';
export const EXPORT_PAGE_SIZE = 200;
/** A safety stop for runaway exports; a customer's own tickets stay far below it. */
export const EXPORT_MAX_ROWS = 100_000;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A leading = + - @ (or tab / CR) is prefixed with ' so a spreadsheet does not run it as a formula.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A local date-time that sorts as text and that spreadsheets read as a date: 2026-11-23 14:05. */
export function csvDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function ticketRow(ticket: Ticket): string[] {
  return [
    ticket.id ?? '',
    ticket.status.label,
    ticket.subject,
    csvDateTime(ticket.createdAt),
    ownerName(ticket),
    csvDateTime(ticket.lastActivityAt),
    requesterName(ticket),
  ];
}

/** The whole file: BOM, the guide's seven column names, one line per ticket, CRLF line ends. */
export function toCsv(tickets: readonly Ticket[]): string {
  const lines = [COLUMNS.map((c) => csvField(c.label)), ...tickets.map((t) => ticketRow(t).map(csvField))];
  return `${BOM}${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

export const csvFileName = (now: Date = new Date()): string => {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `tickets-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.csv`;
};

/** Hands the browser the file as a download named after today (tickets-2026-11-23.csv). */
export function saveCsv(tickets: readonly Ticket[]): void {
  const url = URL.createObjectURL(new Blob([toCsv(tickets)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = csvFileName();
  link.rel = 'noopener';
  link.click();
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Every ticket matching `query` (search, filters and sort; its page and limit are ignored), read
 * page by page, one request at a time so an export never competes with the list for the API.
 */
export async function fetchAllTickets(
  api: TicketsApi,
  query: TicketQuery,
  signal?: AbortSignal,
  onProgress?: (loaded: number, total: number) => void,
): Promise<Ticket[]> {
  const all: Ticket[] = [];
  for (let page = 1; ; page++) {
    const result = await api.list({ ...query, limit: EXPORT_PAGE_SIZE, page }, signal);
    all.push(...result.items);
    onProgress?.(all.length, result.total);
    if (
      result.items.length < EXPORT_PAGE_SIZE ||
      all.length >= result.total ||
      all.length >= EXPORT_MAX_ROWS
    ) {
      return all;
    }
  }
}
