import path from 'node:path';

// The emulator is consumed from source: its dist is not built during the api tests, and importing
// its .ts files statically would pull them into the api's TypeScript project (outside rootDir).
// This is the slice of its interface (e2e/hubspot-emulator/src/emulator.ts) the sync tests use.

export interface EmuRecord {
  id: string;
  type: string;
  props: Record<string, string>;
  archived: boolean;
  assoc: Partial<Record<string, Map<string, number[]>>>;
}

export interface EmuOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  archived: boolean;
}

export interface EmuStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  archived: boolean;
}

export interface EmuPipeline {
  id: string;
  label: string;
  stages: EmuStage[];
}

export interface EmuStore {
  records: Record<string, Map<string, EmuRecord>>;
  pipelines: EmuPipeline[];
  owners: EmuOwner[];
  get(type: string, id: string, includeArchived?: boolean): EmuRecord | undefined;
  owner(id: string, includeArchived?: boolean): EmuOwner | undefined;
  stage(pipelineId: string, stageId: string): EmuStage | undefined;
  associatedIds(rec: EmuRecord, toType: string): string[];
  associate(from: EmuRecord, to: EmuRecord, def: unknown, opts?: { source?: string }): boolean;
  update(rec: EmuRecord, changes: Record<string, string>, opts?: { source?: string }): string[];
  dissociateTypes(from: EmuRecord, to: EmuRecord, typeIds?: number[], opts?: { source?: string }): number;
}

export interface EmuStaff {
  assignOwner(ticketId: string, ownerId: string): EmuRecord;
  moveStage(ticketId: string, stageId: string): EmuRecord;
  updateTicket(ticketId: string, properties: Record<string, string>): EmuRecord;
  replyToCustomer(ticketId: string, text: string, options?: { ownerId?: string; html?: string }): EmuRecord;
  addNote(ticketId: string, body: string, ownerId?: string): EmuRecord;
  deleteTicket(ticketId: string): void;
  createTicket(input: {
    subject: string;
    content?: string;
    priority?: string;
    category?: string;
    ownerId?: string;
    stageId?: string;
    contactId?: string;
    withCompany?: boolean;
  }): EmuRecord;
  primaryCompanyId(ticketId: string): string | undefined;
  moveContactToCompany(contactId: string, companyId: string | null): EmuRecord;
  contactCompanyId(contactId: string): string | undefined;
}

export interface WebhookSwitches {
  dropRate: number;
  duplicateRate: number;
  delayMs: number;
  reorder: boolean;
}

export interface Emulator {
  readonly url: string;
  readonly accessToken: string;
  readonly clientSecret: string;
  readonly store: EmuStore;
  readonly staff: EmuStaff;
  setWebhookUrl(url: string | undefined): void;
  setWebhookSwitches(patch: Partial<WebhookSwitches>): WebhookSwitches;
  setFaults(patch: Record<string, unknown>): unknown;
  setRateLimits(patch: Record<string, number | boolean>): unknown;
  resetRateLimits(): void;
  clearFaults(): unknown;
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  port?: number;
  seed?: { tickets: number; seed?: number; now?: number } | false;
  webhookUrl?: string;
  rateLimit?: Record<string, number | boolean>;
  webhooks?: Record<string, unknown>;
  random?: () => number;
}

interface EmulatorModule {
  startEmulator(options: EmulatorOptions): Promise<Emulator>;
  associationDefinitionFor?: unknown;
}

const EMULATOR_SRC = path.resolve(__dirname, '../../../../e2e/hubspot-emulator/src');

export function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('@ticket-portal/hubspot-emulator') as EmulatorModule;
  return mod.startEmulator(options);
}

/** HUBSPOT_DEFINED association definition by type id, from the emulator's schema. */
export function associationDefinition(typeId: number): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const schema = require(path.join(EMULATOR_SRC, 'associations-schema')) as {
    associationDefinition(typeId: number): unknown;
  };
  return schema.associationDefinition(typeId);
}
