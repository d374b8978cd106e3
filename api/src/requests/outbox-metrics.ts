import type { DataSource } from 'typeorm';

interface StateRow {
  state: string;
  n: number | string;
  oldest: Date | null;
}

/**
 * Prometheus lines for the requests outbox: how many customer changes wait for HubSpot (`pending`) or
 * were refused by it (`failed`, each shown to its customer with Retry), and how long the oldest one
 * has waited — the figure to alert on when HubSpot is down or the worker is not running.
 */
export async function renderOutboxMetrics(db: DataSource, now = Date.now()): Promise<string> {
  const rows = await db.query<StateRow[]>(
    `SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest FROM request_outbox
     WHERE state IN ('pending', 'failed') GROUP BY state`,
  );
  const of = (state: string) => rows.find((r) => r.state === state);
  const oldest = of('pending')?.oldest;
  const age = oldest ? Math.max(0, (now - new Date(oldest).getTime()) / 1000) : 0;
  return [
    '# HELP tp_requests_outbox Customer changes (requests, replies, close/reopen) waiting for HubSpot or refused by it.',
    '# TYPE tp_requests_outbox gauge',
    `tp_requests_outbox{state="pending"} ${Number(of('pending')?.n ?? 0)}`,
    `tp_requests_outbox{state="failed"} ${Number(of('failed')?.n ?? 0)}`,
    '# HELP tp_requests_outbox_oldest_pending_seconds Age of the oldest change still waiting for HubSpot; 0 when none.',
    '# TYPE tp_requests_outbox_oldest_pending_seconds gauge',
    `tp_requests_outbox_oldest_pending_seconds ${age.toFixed(3)}`,
    '',
  ].join('\n');
}
