import { join } from 'node:path';

// What the fault benches (requests-fault, cluster) use of the built API and emulator, required from
// their dist/ at run time (the benches run what `npm run build` made, as production would).

export interface ApiModule {
  loadConfig(env: NodeJS.ProcessEnv): {
    database: unknown;
    queuePrefix: string;
    argon2MemoryKib: number;
    argon2TimeCost: number;
  };
  runMigrations(config: unknown): Promise<unknown>;
  createHttpApp(
    config: unknown,
    options?: { logger?: false },
  ): Promise<{ url: string; close(): Promise<void> }>;
  createAccount(
    config: unknown,
    input: { email: string; password: string; name?: string },
  ): Promise<{ id: string }>;
}

export interface EmuTicket {
  id: string;
  archived: boolean;
  props: Record<string, string>;
}

/** The emulator's count of the HubSpot API calls it answered (`GET /_emulator/stats`). */
export interface CallStats {
  total: number;
  byStatus: Record<string, number>;
  calls: Record<string, number>;
  statuses: Record<string, Record<string, number>>;
}

/** An email or task as the emulator keeps it (`createdAt`: when HubSpot made it, in ms). */
export interface EmuRecord extends EmuTicket {
  createdAt: number;
}

/** The `n` routes HubSpot was called on most, as `route count` joined by `separator`. */
export function topRoutes(calls: CallStats, n = 8, separator = ', '): string {
  return Object.entries(calls.calls)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([route, count]) => `${route} ${count}`)
    .join(separator);
}

export interface EmulatorLike {
  url: string;
  accessToken: string;
  clientSecret: string;
  store: {
    records: {
      tickets: Map<string, EmuTicket>;
      emails: Map<string, EmuRecord>;
      tasks: Map<string, EmuRecord>;
    };
    owners: Array<{ id: string; archived: boolean }>;
  };
  /** What an agent does in HubSpot's UI (the replies bench sets owners and stages). */
  staff: {
    assignOwner(ticketId: string, ownerId: string): unknown;
    moveStage(ticketId: string, stageId: string): unknown;
  };
  setWebhookUrl(url: string | undefined): void;
  setFaults(patch: Record<string, unknown>): unknown;
  clearFaults(): unknown;
  stats(): CallStats;
  resetStats(): unknown;
  close(): Promise<void>;
}

export interface EmulatorModule {
  startEmulator(options: {
    port: number;
    seed: { tickets: number; seed?: number };
    rateLimit?: Record<string, number>;
  }): Promise<EmulatorLike>;
}

/** The built API (api/dist) and emulator (e2e/hubspot-emulator/dist) under `root`. */
export function loadBuilt(root: string): { api: ApiModule; emu: EmulatorModule } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    api: require(join(root, 'api/dist/index.js')) as ApiModule,
    emu: require(join(root, 'e2e/hubspot-emulator/dist/index.js')) as EmulatorModule,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
