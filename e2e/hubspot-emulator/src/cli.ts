#!/usr/bin/env node
import { DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_SECRET } from './constants';
import { startEmulator } from './emulator';

const USAGE = `Usage:
  npm run emulator [-- --seed-tickets N] [--seed N] [--state-file path] [--no-seed] [--verbose]
      Start the HubSpot emulator on EMULATOR_PORT (8090).
  npm run emulator -- seed --tickets N [--seed N]
      Add N seeded tickets to a running emulator (EMULATOR_URL or http://127.0.0.1:EMULATOR_PORT).

Environment: EMULATOR_PORT (8090), EMULATOR_HOST (127.0.0.1), HUBSPOT_ACCESS_TOKEN (emulator-token),
HUBSPOT_CLIENT_SECRET (emulator-secret), EMULATOR_WEBHOOK_URL (where webhooks go).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function intFlag(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const raw = args[i + 1];
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n < 0) {
    fail(`${name} needs a non-negative integer, got "${raw ?? ''}".`);
  }
  return n;
}

function strFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const raw = args[i + 1];
  if (!raw || raw.startsWith('--')) fail(`${name} needs a value.`);
  return raw;
}

function port(): number {
  const raw = process.env.EMULATOR_PORT ?? '8090';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`EMULATOR_PORT must be a port number, got "${raw}".`);
  return n;
}

async function seedRunning(args: string[]): Promise<void> {
  const tickets = intFlag(args, '--tickets');
  if (tickets === undefined) fail('seed needs --tickets N.');
  const seed = intFlag(args, '--seed');
  const base = process.env.EMULATOR_URL ?? `http://127.0.0.1:${port()}`;
  const token = process.env.HUBSPOT_ACCESS_TOKEN || DEFAULT_ACCESS_TOKEN;
  let res: Response;
  try {
    res = await fetch(`${base}/_emulator/seed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ tickets, ...(seed !== undefined ? { seed } : {}) }),
    });
  } catch (e) {
    fail(`No emulator answers at ${base} (${(e as Error).message}). Start it with "npm run emulator".`);
  }
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) fail(`The emulator refused: ${String(body.message)}`);
  process.stdout.write(`Seeded ${JSON.stringify(body)}\n`);
}

async function serve(args: string[]): Promise<void> {
  const seedTickets = intFlag(args, '--seed-tickets');
  const seed = intFlag(args, '--seed');
  const stateFile = strFlag(args, '--state-file');
  const verbose = args.includes('--verbose');
  const emulator = await startEmulator({
    port: port(),
    host: process.env.EMULATOR_HOST ?? '127.0.0.1',
    accessToken: process.env.HUBSPOT_ACCESS_TOKEN || DEFAULT_ACCESS_TOKEN,
    clientSecret: process.env.HUBSPOT_CLIENT_SECRET || DEFAULT_CLIENT_SECRET,
    webhookUrl: process.env.EMULATOR_WEBHOOK_URL || undefined,
    seed: args.includes('--no-seed')
      ? false
      : { tickets: seedTickets ?? 200, ...(seed !== undefined ? { seed } : {}) },
    ...(stateFile ? { stateFile } : {}),
    ...(verbose ? { log: (l: string) => process.stdout.write(`${l}\n`) } : {}),
  });
  const s = emulator.store.records;
  process.stdout.write(
    `HubSpot emulator on ${emulator.url} (basePath for @hubspot/api-client)\n` +
      `  support console: ${emulator.consoleUrl}\n` +
      `  data: ${s.tickets.size} tickets, ${s.contacts.size} contacts, ${s.companies.size} companies\n` +
      `  webhooks: ${process.env.EMULATOR_WEBHOOK_URL || 'off (set EMULATOR_WEBHOOK_URL)'}\n`,
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else if (args[0] === 'seed') {
  seedRunning(args.slice(1)).catch((e: unknown) => fail((e as Error).message));
} else {
  serve(args).catch((e: unknown) => fail((e as Error).message));
}
