import { createHash, createHmac } from 'node:crypto';
import { webhookAssociationName } from './associations-schema';
import { EMULATOR_APP_ID, EMULATOR_PORTAL_ID } from './constants';
import { type ChangeEvent } from './store';

export interface WebhookSwitches {
  /** Share of events (0..1) never delivered. */
  dropRate: number;
  /** Share of events (0..1) delivered twice (the copy goes out in a later request). */
  duplicateRate: number;
  /** Delay before each request is sent, in ms (with reorder: a random delay up to this). */
  delayMs: number;
  /** Shuffle events within a request and let requests overtake each other. */
  reorder: boolean;
}

export interface WebhookOptions {
  url: string | undefined;
  clientSecret: string;
  /** Events per request (HubSpot: up to 100). */
  batchSize: number;
  /** How long events are collected before a request goes out, in ms. */
  batchWindowMs: number;
  /** A response slower than this counts as failed and is retried (HubSpot: 5 s). */
  timeoutMs: number;
  /** Retries after the first attempt (HubSpot: up to 10). */
  maxRetries: number;
  /** First retry delay; doubles per attempt up to retryMaxMs (HubSpot spreads retries over 24 h). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Requests in flight at once (HubSpot: 10 per account). */
  maxConcurrent: number;
  /** ticket.propertyChange subscriptions: property names, or '*' for every property. */
  properties: string[] | '*';
  /**
   * The app's subscriptions (HubSpot `eventType`s, e.g. `ticket.creation`, `contact.associationChange`).
   * Default: the four ticket ones the portal needs plus `contact.associationChange`,
   * `contact.deletion` and `contact.propertyChange` (a contact's company and existence decide what
   * its portal accounts may see).
   */
  subscriptions: string[];
  /** contact.propertyChange subscriptions: property names, or '*' for every property. */
  contactProperties: string[] | '*';
  switches: WebhookSwitches;
}

export const DEFAULT_SWITCHES: WebhookSwitches = {
  dropRate: 0,
  duplicateRate: 0,
  delayMs: 0,
  reorder: false,
};

export const DEFAULT_WEBHOOK_OPTIONS: Omit<WebhookOptions, 'clientSecret'> = {
  url: undefined,
  batchSize: 100,
  batchWindowMs: 100,
  timeoutMs: 5_000,
  maxRetries: 10,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  maxConcurrent: 10,
  properties: '*',
  subscriptions: [
    'ticket.creation',
    'ticket.deletion',
    'ticket.propertyChange',
    'ticket.associationChange',
    'contact.associationChange',
    'contact.deletion',
    'contact.propertyChange',
  ],
  contactProperties: ['firstname', 'lastname', 'email', 'associatedcompanyid'],
  switches: { ...DEFAULT_SWITCHES },
};

/** The object types whose events an app can subscribe to here, as HubSpot names them in `eventType`. */
const SUBSCRIBABLE: Partial<Record<string, string>> = { tickets: 'ticket', contacts: 'contact' };

/** Association changes HubSpot reports to object subscriptions: between CRM records, not engagements. */
const CRM_ASSOCIATION_TYPES = new Set(['contacts', 'companies', 'tickets']);

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  changeSource: string;
  objectId?: number;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  associationType?: string;
  fromObjectId?: number;
  toObjectId?: number;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

export interface DeliveryRecord {
  at: string;
  url: string;
  events: number;
  attempt: number;
  status: number | null;
  ok: boolean;
  error?: string;
  durationMs: number;
}

interface Batch {
  events: WebhookEvent[];
  attempt: number;
}

const SUBSCRIPTION_IDS: Record<string, number> = {
  'ticket.creation': 1001,
  'ticket.deletion': 1002,
  'ticket.propertyChange': 1003,
  'ticket.associationChange': 1004,
  'contact.creation': 1011,
  'contact.deletion': 1012,
  'contact.propertyChange': 1013,
  'contact.associationChange': 1014,
};

/** Signs like HubSpot's v3: base64 HMAC-SHA256 of method + url + body + timestamp. */
export function signV3(
  clientSecret: string,
  method: string,
  url: string,
  body: string,
  timestamp: number,
): string {
  return createHmac('sha256', clientSecret).update(`${method}${url}${body}${timestamp}`).digest('base64');
}

/** Turns store changes into HubSpot webhook v3 requests, with retries and chaos switches. */
export class WebhookDispatcher {
  private pending: WebhookEvent[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private readonly scheduled = new Map<NodeJS.Timeout, Batch>();
  private readonly ready: Batch[] = [];
  private readonly active = new Set<Promise<void>>();
  private nextEventId = 1;
  private closed = false;
  readonly log: DeliveryRecord[] = [];
  stats = { delivered: 0, failedAttempts: 0, dropped: 0, gaveUp: 0, discardedNoUrl: 0 };

  constructor(
    public options: WebhookOptions,
    private readonly random: () => number = Math.random,
  ) {}

  setUrl(url: string | undefined): void {
    if (url !== undefined && url !== '') {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new Error('The webhook URL must be http(s).');
      }
    }
    this.options.url = url === '' ? undefined : url;
  }

  setSwitches(patch: Partial<WebhookSwitches>): WebhookSwitches {
    const next = { ...this.options.switches };
    const rate = (k: string, v: unknown): number => {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${k} must be a number from 0 to 1`);
      return v;
    };
    if (patch.dropRate !== undefined) next.dropRate = rate('dropRate', patch.dropRate);
    if (patch.duplicateRate !== undefined) next.duplicateRate = rate('duplicateRate', patch.duplicateRate);
    if (patch.delayMs !== undefined) {
      if (typeof patch.delayMs !== 'number' || !(patch.delayMs >= 0 && patch.delayMs <= 3_600_000)) {
        throw new Error('delayMs must be a number from 0 to 3600000');
      }
      next.delayMs = patch.delayMs;
    }
    if (patch.reorder !== undefined) {
      if (typeof patch.reorder !== 'boolean') throw new Error('reorder must be true or false');
      next.reorder = patch.reorder;
    }
    this.options.switches = next;
    return next;
  }

  /** Store listener: keeps the events HubSpot would send to an app with these subscriptions. */
  handle(e: ChangeEvent): void {
    if (this.closed) return;
    const object = SUBSCRIBABLE[e.objectType];
    if (object === undefined) return;
    const subscriptionType = `${object}.${e.kind}`;
    if (!this.options.subscriptions.includes(subscriptionType)) return;
    const base = {
      portalId: EMULATOR_PORTAL_ID,
      appId: EMULATOR_APP_ID,
      occurredAt: e.occurredAt,
      subscriptionType,
      attemptNumber: 0,
      changeSource: e.changeSource,
    };
    let ev: Omit<WebhookEvent, 'eventId' | 'subscriptionId'>;
    switch (e.kind) {
      case 'creation':
        ev = { ...base, objectId: Number(e.objectId), changeFlag: 'NEW' };
        break;
      case 'deletion':
        ev = { ...base, objectId: Number(e.objectId), changeFlag: 'DELETED' };
        break;
      case 'propertyChange': {
        const subs = e.objectType === 'contacts' ? this.options.contactProperties : this.options.properties;
        if (subs !== '*' && !subs.includes(e.propertyName)) return;
        ev = {
          ...base,
          objectId: Number(e.objectId),
          propertyName: e.propertyName,
          propertyValue: e.propertyValue,
        };
        break;
      }
      case 'associationChange':
        if (!CRM_ASSOCIATION_TYPES.has(e.toObjectType)) return;
        ev = {
          ...base,
          associationType: webhookAssociationName(e.objectType, e.toObjectType),
          fromObjectId: Number(e.objectId),
          toObjectId: Number(e.toObjectId),
          associationRemoved: e.removed,
          isPrimaryAssociation: e.primary,
        };
        break;
    }
    if (!this.options.url) {
      this.stats.discardedNoUrl += 1;
      return;
    }
    this.pending.push({
      eventId: this.nextEventId++,
      subscriptionId: SUBSCRIPTION_IDS[ev.subscriptionType] ?? 1000,
      ...ev,
    });
    if (this.pending.length >= this.options.batchSize) this.cutBatches();
    else this.batchTimer ??= setTimeout(() => this.cutBatches(), this.options.batchWindowMs);
  }

  get pendingCount(): number {
    return this.pending.length + this.scheduled.size + this.ready.length + this.active.size;
  }

  /** Groups pending events into requests and applies drop / duplicate / reorder / delay. */
  private cutBatches(immediate = false): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    const sw = this.options.switches;
    const events: WebhookEvent[] = [];
    const duplicates: WebhookEvent[] = [];
    for (const ev of this.pending.splice(0)) {
      if (sw.dropRate > 0 && this.random() < sw.dropRate) {
        this.stats.dropped += 1;
        continue;
      }
      events.push(ev);
      if (sw.duplicateRate > 0 && this.random() < sw.duplicateRate) duplicates.push({ ...ev });
    }
    const all = events.concat(duplicates);
    for (let i = 0; i < all.length; i += this.options.batchSize) {
      const chunk = all.slice(i, i + this.options.batchSize);
      if (sw.reorder) this.shuffle(chunk);
      const batch: Batch = { events: chunk, attempt: 0 };
      const delay = immediate ? 0 : sw.reorder ? Math.floor(this.random() * sw.delayMs) : sw.delayMs;
      if (delay > 0) this.schedule(batch, delay);
      else this.ready.push(batch);
    }
    if (sw.reorder) this.shuffle(this.ready);
    this.pump();
  }

  private shuffle<T>(a: T[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [a[i], a[j]] = [a[j] as T, a[i] as T];
    }
  }

  private schedule(batch: Batch, delayMs: number): void {
    const t = setTimeout(() => {
      this.scheduled.delete(t);
      this.ready.push(batch);
      this.pump();
    }, delayMs);
    this.scheduled.set(t, batch);
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.options.maxConcurrent && this.ready.length > 0) {
      const batch = this.ready.shift() as Batch;
      const p: Promise<void> = this.send(batch).finally(() => {
        this.active.delete(p);
        this.pump();
      });
      this.active.add(p);
    }
  }

  private async send(batch: Batch): Promise<void> {
    const url = this.options.url;
    if (!url) {
      this.stats.discardedNoUrl += batch.events.length;
      return;
    }
    const body = JSON.stringify(batch.events.map((e) => ({ ...e, attemptNumber: batch.attempt })));
    const timestamp = Date.now();
    const started = Date.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (emulator)',
          'X-HubSpot-Signature-v3': signV3(this.options.clientSecret, 'POST', url, body, timestamp),
          'X-HubSpot-Request-Timestamp': String(timestamp),
          'X-HubSpot-Signature-Version': 'v1',
          'X-HubSpot-Signature': createHmacV1(this.options.clientSecret, body),
        },
        body,
        signal: controller.signal,
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = controller.signal.aborted
        ? `no response within ${this.options.timeoutMs} ms`
        : (e as Error).message;
    } finally {
      clearTimeout(timer);
    }
    const ok = error === undefined;
    this.log.push({
      at: new Date(started).toISOString(),
      url,
      events: batch.events.length,
      attempt: batch.attempt,
      status,
      ok,
      ...(error ? { error } : {}),
      durationMs: Date.now() - started,
    });
    if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
    if (ok) {
      this.stats.delivered += batch.events.length;
      return;
    }
    this.stats.failedAttempts += 1;
    if (batch.attempt >= this.options.maxRetries || this.closed) {
      this.stats.gaveUp += batch.events.length;
      return;
    }
    const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** batch.attempt);
    this.schedule(
      { events: batch.events, attempt: batch.attempt + 1 },
      Math.floor(delay * (0.5 + this.random() / 2)),
    );
  }

  /**
   * Sends everything now: pending events, delayed requests and waiting retries, and waits for the
   * requests to finish. A request that fails is retried at once, up to three rounds, so a flush
   * against a receiver that keeps failing still ends; later retries follow the normal schedule.
   */
  async flush(): Promise<void> {
    this.cutBatches(true);
    for (let round = 0; round < 3; round++) {
      for (const [t, batch] of this.scheduled) {
        clearTimeout(t);
        this.scheduled.delete(t);
        this.ready.push(batch);
      }
      this.pump();
      while (this.active.size > 0 || this.ready.length > 0) {
        await Promise.allSettled([...this.active]);
        this.pump();
      }
      if (this.scheduled.size === 0) return;
    }
  }

  close(): void {
    this.closed = true;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    for (const t of this.scheduled.keys()) clearTimeout(t);
    this.scheduled.clear();
  }
}

// The legacy v1 header HubSpot still sends alongside v3: sha256 hex of secret + body.
function createHmacV1(secret: string, body: string): string {
  return createHash('sha256')
    .update(secret + body)
    .digest('hex');
}
