import { type WireDate } from './hubspot-wire.types';

// HubSpot sends every property value as a string; an empty string means "cleared".
export function optionalString(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : value;
}

/**
 * Parses HubSpot datetimes: ISO-8601 strings (`2024-08-15T17:09:13.648Z`), epoch milliseconds
 * as a string (accepted on input and seen on older properties) or a Date from the SDK.
 */
export function parseHsDate(value: WireDate | null | undefined): Date | null {
  if (value == null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const date = /^\d+$/.test(trimmed) ? new Date(Number(trimmed)) : new Date(trimmed);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function uniqueIds(ids: Iterable<string | number>): string[] {
  const seen = new Set<string>();
  for (const id of ids) seen.add(String(id));
  return [...seen];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Ids as strings, trimmed, blanks and repeats left out. */
export function cleanIds(ids: readonly string[]): string[] {
  return uniqueIds(ids.map((id) => String(id).trim()).filter((id) => id !== ''));
}
