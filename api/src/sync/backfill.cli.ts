import 'reflect-metadata';
import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../common/process.util';
import { type AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { buildDataSourceOptions } from '../database/data-source';
import { hubSpotOptionsFromConfig } from '../hubspot/hubspot-config';
import { HubSpotModule } from '../hubspot/hubspot.module';
import { queueOptions } from '../queues/queues.module';
import { type BackfillProgress, BackfillService } from './backfill.service';
import { SyncState } from './sync-state.entity';
import { SyncBackfillModule } from './sync.module';

const USAGE = `Usage: npm run sync:backfill -w api -- [--restart] [--conversations]

Copies every HubSpot ticket into the portal's mirror. Safe to stop at any time: the next run
resumes from the last saved page. Run the migrations first (npm run migrate -w api).

  --restart        forget an earlier (finished or interrupted) run and start from the first ticket
  --conversations  also queue each ticket's conversation for the worker to read
`;

@Module({})
class BackfillCliModule {
  static forRoot(config: AppConfig): DynamicModule {
    const base = buildDataSourceOptions(config);
    return {
      module: BackfillCliModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...base,
          entities: [...new Set([...(base.entities as unknown[]), SyncState])] as never,
        }),
        BullModule.forRoot(queueOptions(config)),
        HubSpotModule.forRoot(hubSpotOptionsFromConfig(config)),
        SyncBackfillModule,
      ],
    };
  }
}

/** One terminal line, redrawn in place: count, rate, elapsed, and ETA when the total is known. */
export function progressLine(p: BackfillProgress, now = Date.now(), total?: number): string {
  const seconds = Math.max(0.001, (now - p.runStartedAt) / 1000);
  const rate = p.itemsThisRun / seconds;
  const parts = [
    `Backfill: ${p.items.toLocaleString('en-US')} tickets${total ? ` of ${total.toLocaleString('en-US')}` : ''}`,
    `${Math.round(rate).toLocaleString('en-US')}/s`,
    `elapsed ${formatDuration(seconds)}`,
  ];
  if (total && rate > 0 && !p.done) parts.push(`ETA ${formatDuration(Math.max(0, total - p.items) / rate)}`);
  if (p.resumed) parts.push('(resumed)');
  return parts.join(' · ');
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => !['--restart', '--conversations'].includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option(s): ${unknown.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfigOrExit('sync:backfill');
  const app = await NestFactory.createApplicationContext(BackfillCliModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const tables = await app.get(DataSource).query<unknown[]>("SHOW TABLES LIKE 'sync_state'");
    if (tables.length === 0) {
      process.stderr.write('The mirror tables do not exist yet: run `npm run migrate -w api` first.\n');
      return 1;
    }
    const tty = process.stderr.isTTY === true;
    let lastLog = 0;
    const result = await app.get(BackfillService).run({
      restart: argv.includes('--restart'),
      conversations: argv.includes('--conversations'),
      onProgress: (p) => {
        const now = Date.now();
        if (tty) process.stderr.write(`\r${progressLine(p, now)}\x1b[K`);
        else if (p.done || now - lastLog > 5000) {
          lastLog = now;
          process.stderr.write(`${progressLine(p, now)}\n`);
        }
      },
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(
      result.status === 'already-complete'
        ? `The backfill already completed (${result.items} tickets). Use --restart to run it again.\n`
        : `Backfill complete: ${result.items} tickets mirrored${result.resumed ? ' (resumed)' : ''}.\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(
      `\nBackfill stopped: ${error instanceof Error ? error.message : String(error)}\nRun the command again to resume from the last saved page.\n`,
    );
    return 1;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
