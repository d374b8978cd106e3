import { Client } from '@hubspot/api-client';
import { startEmulator, type Emulator, type SeedOptions } from '../../src';
import { Recorder } from './recorder';
import { WebhookReceiver } from './webhook-receiver';

// The specs' common set-up: the real SDK against the emulator through a Recorder (the raw answers,
// for the OpenAPI checks), optionally with a receiver for the emulator's webhooks.

export interface RecordedEmulator {
  em: Emulator;
  rec: Recorder;
  hs: Client;
  /** Stops the recorder, the emulator and the receiver. */
  stop(): Promise<void>;
}

/** Starts an emulator (rate limit off) seeded with `seed`; with `webhooks`, they go to a receiver every 10 ms. */
export async function startRecordedEmulator(
  seed: SeedOptions,
  options: { webhooks: true },
): Promise<RecordedEmulator & { receiver: WebhookReceiver }>;
export async function startRecordedEmulator(seed: SeedOptions): Promise<RecordedEmulator>;
export async function startRecordedEmulator(
  seed: SeedOptions,
  options: { webhooks?: boolean } = {},
): Promise<RecordedEmulator & { receiver?: WebhookReceiver }> {
  const receiver = options.webhooks ? await new WebhookReceiver().start() : undefined;
  const em = await startEmulator({
    seed,
    rateLimit: { disabled: true },
    ...(receiver ? { webhookUrl: receiver.url, webhooks: { batchWindowMs: 10 } } : {}),
  });
  const rec = await new Recorder(em.url).start();
  const hs = new Client({ accessToken: em.accessToken, basePath: rec.url });
  const stop = async () => {
    await rec.stop();
    await em.close();
    await receiver?.stop();
  };
  return { em, rec, hs, receiver, stop };
}

/** Creates a string property with unique values, as the portal does for its idempotency keys. */
export async function createUniqueProperty(
  hs: Client,
  objectType: 'tickets' | 'tasks' | 'emails',
  property: { name: string; label: string; groupName: string },
): Promise<void> {
  await hs.crm.properties.coreApi.create(objectType, {
    ...property,
    type: 'string' as never,
    fieldType: 'text' as never,
    hasUniqueValue: true,
  });
}

/** Waits until `cond` holds (polling every 10 ms), failing after `ms`. */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
