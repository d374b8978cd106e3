import { type DataSource, type EntityManager } from 'typeorm';

// InnoDB deadlock (1213) and lock wait timeout (1205): the transaction was rolled back as a whole
// and is safe to run again.
const RETRYABLE_ERRNOS = new Set([1213, 1205]);

export function isDeadlock(error: unknown): boolean {
  const errno = (error as { errno?: unknown; driverError?: { errno?: unknown } } | null)?.errno;
  const driverErrno = (error as { driverError?: { errno?: unknown } } | null)?.driverError?.errno;
  return RETRYABLE_ERRNOS.has(Number(errno)) || RETRYABLE_ERRNOS.has(Number(driverErrno));
}

/** Runs `work` in a transaction, again (up to 5 times) when InnoDB picked it as a deadlock victim. */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await dataSource.transaction(work);
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
