// `npm run bench [name…]`: benchmark scripts (never timed tests). Prints Markdown tables to paste into
// docs/benchmarks.md together with the machine they ran on.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { benchAttachments } from './bench/attachments.bench';
import { benchCluster } from './bench/cluster.bench';
import { benchEmulatorSeed } from './bench/emulator-seed.bench';
import { benchLogin } from './bench/login.bench';
import { benchList } from './bench/list.bench';
import { benchLive } from './bench/live.bench';
import { benchRepliesBurst } from './bench/replies-burst.bench';
import { benchRequestsFault } from './bench/requests-fault';
import { benchSyncBackfill, benchSyncLatency } from './bench/sync.bench';
import { benchWidgetSize } from './bench/widget-size.bench';
import { ensureServices, MissingServiceError } from './lib/services';
import { ROOT } from './lib/stack';

const BENCHES: Record<string, () => Promise<string>> = {
  'widget-size': () => benchWidgetSize(ROOT),
  login: () => benchLogin(ROOT),
  'emulator-seed': () => benchEmulatorSeed(ROOT),
  'sync-backfill': () => benchSyncBackfill(ROOT),
  'sync-latency': () => benchSyncLatency(ROOT),
  list: () => benchList(ROOT),
  'requests-fault': () => benchRequestsFault(ROOT),
  'replies-burst': () => benchRepliesBurst(ROOT),
  live: () => benchLive(ROOT),
  attachments: () => benchAttachments(ROOT),
  cluster: () => benchCluster(ROOT),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in BENCHES));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark(s): ${unknown.join(', ')}. Available: ${Object.keys(BENCHES).join(', ')}.`,
    );
    process.exit(2);
  }
  await ensureServices({ databaseUrl: 'mysql://root@127.0.0.1:3306/', redisUrl: 'redis://127.0.0.1:6379' });
  if (process.env.SKIP_BUILD !== '1') {
    execFileSync(
      process.execPath,
      [require.resolve('nx/bin/nx'), 'run-many', '-t', 'build', '--output-style=static'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  }
  console.log(
    `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
  );
  for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
    console.log(`## ${name}\n`);
    console.log(`${await BENCHES[name]!()}\n`);
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof MissingServiceError ? err.message : err);
  process.exit(1);
});
