import { type DataSource, type EntityManager } from 'typeorm';

// InnoDB deadlock (1213) and lock wait timeout (1205): the transaction was rolled back as a whole
// and is safe to run again.
const RETRYABLE_ERRNOS = new Set([1213, 1205]);

export function isDeadlock(error: unknown): boolean {
  const errno = (error as { errno?: unknown; driverError?: { errno?: unknown } } | null)?.errno;
  const driverErrno = (error as { driverError?: { errno?: unknown } } | null)?.driverError?.errno;
  return RETRYABLE_ERRNOS.has(Number(errno)) || RETRYABLE_ERRNOS.has(Number(driverErrno));
}

/**
 * Runs `work` in a transaction, again (up to 5 times) when InnoDB picked it as a deadlock victim.
 * `isolation` READ COMMITTED suits writes by key that must not take gap locks (batch claims and
 * commits beside a burst of inserts).
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolation?: 'READ COMMITTED',
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await (isolation ? dataSource.transaction(isolation, work) : dataSource.transaction(work));
    } catch (error) {
      if (!isDeadlock(error) || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function unique<T>(items: Iterable<T | null | undefined>): T[] {
  const out = new Set<T>();
  for (const item of items) if (item !== null && item !== undefined) out.add(item);
  return [...out];
}

/**
 * What a repository method runs its SQL on: the pool, or the EntityManager of a transaction the
 * calling service opened with `inTransaction` (so writes to several tables commit together).
 */
export type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** `(?, ?, ?)` rows for a multi-row VALUES list. */
export function tuples(rows: number, columns: number): string {
  const one = `(${placeholders(columns)})`;
  return Array.from({ length: rows }, () => one).join(', ');
}

/** Of these ids, the ones the table has no row for (1,000 per query). */
export async function missingIds(
  db: Queryable,
  table: 'owners' | 'contacts' | 'companies',
  ids: readonly string[],
): Promise<string[]> {
  const wanted = unique(ids);
  if (wanted.length === 0) return [];
  const have = new Set<string>();
  for (const part of chunk(wanted, 1000)) {
    const rows = await db.query<Array<{ id: string }>>(
      `SELECT id FROM ${table} WHERE id IN (${placeholders(part.length)})`,
      part,
    );
    for (const r of rows) have.add(r.id);
  }
  return wanted.filter((id) => !have.has(id));
}

/** A WHERE fragment with its parameters. */
export interface Sql {
  text: string;
  params: unknown[];
}
