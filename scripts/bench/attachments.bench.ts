// Attachment uploads (ADR 0011): POST /api/v1/attachments on an API process of its own (api/dist/main.js),
// 1 × 50 MB, then 20 × 2 MB in parallel (20 requests of one file each), then the 50 MB file downloaded
// back from MySQL. Reports throughput and the API process's resident memory (VmRSS sampled every 10 ms
// from /proc): what a file costs the process that receives it, whatever its size.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection } from 'mysql2/promise';
import { startApi } from './api-env';

interface ApiModule {
  loadConfig(env: NodeJS.ProcessEnv): unknown;
  runMigrations(config: unknown): Promise<unknown>;
  createAccount(config: unknown, input: { email: string; password: string; name?: string }): Promise<unknown>;
}

const DATABASE = process.env.BENCH_ATTACHMENTS_DATABASE ?? 'ticket_portal_bench_attachments';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/3';
const PASSWORD = 'Bench-harbour-lights-2026';
const MiB = 1024 * 1024;
const RUNS = Number(process.env.BENCH_ATTACHMENT_RUNS ?? 3);

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** One multipart upload of `size` bytes (a PDF header, then bytes from `pool`), streamed. */
function upload(url: string, token: string, name: string, size: number, pool: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const boundary = `----bench${randomBytes(6).toString('hex')}`;
    const req = request(
      `${url}/api/v1/attachments`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          if (res.statusCode !== 201) reject(new Error(`upload answered ${res.statusCode}: ${body}`));
          else resolve((JSON.parse(body) as { attachments: Array<{ id: string }> }).attachments[0]!.id);
        });
      },
    );
    req.on('error', reject);
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const head = Buffer.from('%PDF-1.7\n');
    req.write(head);
    let sent = head.length;
    const pump = (): void => {
      while (sent < size) {
        const n = Math.min(256 * 1024, size - sent);
        const offset = sent % (pool.length - n);
        sent += n;
        if (!req.write(pool.subarray(offset, offset + n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

async function measured<T>(
  pid: number,
  run: () => Promise<T>,
): Promise<{ ms: number; peakMiB: number; growthMiB: number; result: T }> {
  const start = rssMiB(pid);
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 10);
  const started = performance.now();
  try {
    const result = await run();
    peak = Math.max(peak, rssMiB(pid));
    return { ms: performance.now() - started, peakMiB: peak, growthMiB: peak - start, result };
  } finally {
    clearInterval(timer);
  }
}

export async function benchAttachments(root: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require(`${root}/api/dist/index.js`) as ApiModule;
  const admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.end();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `mysql://root@127.0.0.1:3306/${DATABASE}`,
    REDIS_URL,
    // Uploads never call HubSpot; nothing listens here.
    HUBSPOT_BASE_URL: 'http://127.0.0.1:9',
    HUBSPOT_ACCESS_TOKEN: 'bench-token',
    ATTACHMENTS_MAX_BYTES: '50MB',
    ATTACHMENTS_MAX_TOTAL_BYTES: '50MB',
    ATTACHMENTS_MAX_FILES: '20',
    LOG_LEVEL: 'warn',
  };
  const config = api.loadConfig(env);
  await api.runMigrations(config);
  const email = `bench.attachments.${Date.now().toString(36)}@example.com`;
  await api.createAccount(config, { email, password: PASSWORD, name: 'Bench Customer' });
  const db = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: DATABASE });
  const [[packet]] = (await db.query('SELECT @@max_allowed_packet AS p')) as unknown as [[{ p: number }]];

  const { child, url } = await startApi(root, env);
  const pool = randomBytes(8 * MiB);
  const lines: string[] = [];
  try {
    const signedIn = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const { accessToken: token } = (await signedIn.json()) as { accessToken: string };
    // Warm up (JIT, pools, the prepared statement) with a small upload, not counted.
    await upload(url, token, 'warm.pdf', MiB, pool);
    await db.query('DELETE FROM attachments');
    const idle = rssMiB(child.pid!);

    const row = (
      what: string,
      bytes: number,
      r: { ms: number; peakMiB: number; growthMiB: number },
    ): string =>
      `| ${what} | ${(bytes / MiB).toFixed(0)} MB | ${(r.ms / 1000).toFixed(2)} s | ${(bytes / MiB / (r.ms / 1000)).toFixed(1)} MB/s | ${r.peakMiB.toFixed(0)} MB | +${r.growthMiB.toFixed(0)} MB |`;
    lines.push(
      `API process: RSS ${idle.toFixed(0)} MB idle after a warm-up; MariaDB max_allowed_packet ${(packet.p / MiB).toFixed(0)} MB; best of ${RUNS} runs; RSS: the highest peak of all runs, and the most it grew during one run.`,
      '',
      '| upload | bytes | time | throughput | API peak RSS | RSS growth |',
      '|---|---|---|---|---|---|',
    );
    const best = async (what: string, bytes: number, run: () => Promise<unknown>): Promise<void> => {
      let fastest = Infinity;
      let peak = 0;
      let growth = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await measured(child.pid!, run);
        fastest = Math.min(fastest, r.ms);
        peak = Math.max(peak, r.peakMiB);
        growth = Math.max(growth, r.growthMiB);
        await db.query('DELETE FROM attachments');
      }
      lines.push(row(what, bytes, { ms: fastest, peakMiB: peak, growthMiB: growth }));
    };
    await best('1 × 50 MB', 50 * MiB, () => upload(url, token, 'big.pdf', 50 * MiB, pool));
    await best('20 × 2 MB in parallel (20 requests)', 40 * MiB, () =>
      Promise.all(Array.from({ length: 20 }, (_, i) => upload(url, token, `part-${i}.pdf`, 2 * MiB, pool))),
    );

    // Downloading needs the file on a request: attach it with SQL (no worker, so it stays in MySQL).
    const id = await upload(url, token, 'back.pdf', 50 * MiB, pool);
    await db.query(
      `INSERT INTO tickets (subject, content, created_at, last_activity_at, updated_at, sync_state, created_by_customer_id)
       SELECT 'Bench', 'Bench', NOW(3), NOW(3), NOW(3), 'pending', id FROM customers WHERE email = ?`,
      [email],
    );
    const [[ticket]] = (await db.query('SELECT MAX(id) AS id FROM tickets')) as unknown as [[{ id: number }]];
    await db.query("UPDATE attachments SET state = 'attached', ticket_id = ? WHERE id = ?", [ticket.id, id]);
    const down = await measured(child.pid!, async () => {
      const res = await fetch(`${url}/api/v1/tickets/${ticket.id}/attachments/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      let n = 0;
      for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) n += piece.length;
      if (n !== 50 * MiB) throw new Error(`downloaded ${n} bytes`);
    });
    lines.push(
      '',
      '| download (from MySQL) | bytes | time | throughput | API peak RSS | RSS growth |',
      '|---|---|---|---|---|---|',
    );
    lines.push(row('1 × 50 MB', 50 * MiB, down));
  } finally {
    await new Promise<void>((resolve) => {
      child.on('exit', () => resolve());
      child.kill('SIGTERM');
    });
    await db.end();
  }
  return lines.join('\n');
}
