// How long the HubSpot emulator takes to seed 100,000 tickets (with owners, companies, contacts,
// associations and conversations), the data every sync benchmark starts from.
import { join } from 'node:path';

interface EmulatorModule {
  startEmulator(options: { port: number; seed: { tickets: number } | false }): Promise<{
    seed(opts: { tickets: number }): unknown;
    close(): Promise<void>;
  }>;
}

export async function benchEmulatorSeed(root: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const emulatorModule = require(join(root, 'e2e/hubspot-emulator/dist/index.js')) as EmulatorModule;
  const rows: string[] = ['| tickets | seconds | tickets/s |', '|---|---|---|'];
  for (const tickets of [10_000, 100_000]) {
    const emulator = await emulatorModule.startEmulator({ port: 0, seed: false });
    const started = performance.now();
    emulator.seed({ tickets });
    const seconds = (performance.now() - started) / 1000;
    await emulator.close();
    rows.push(
      `| ${tickets.toLocaleString('en')} | ${seconds.toFixed(2)} | ${Math.round(tickets / seconds).toLocaleString('en')} |`,
    );
  }
  return rows.join('\n');
}
