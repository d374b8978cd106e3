import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  events: Record<string, unknown>[];
  receivedAt: number;
}

/** A local endpoint that records webhook requests and answers with a programmable status. */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Status codes to answer with, in order; 204 once they run out. */
  statuses: number[] = [];
  /** Delay before answering, in ms. */
  delayMs = 0;
  url = '';
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          rawBody,
          events: JSON.parse(rawBody) as Record<string, unknown>[],
          receivedAt: Date.now(),
        });
        const status = this.statuses.shift() ?? 204;
        setTimeout(() => {
          if (!res.destroyed) res.writeHead(status).end();
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hubspot/webhooks?source=emulator`;
    return this;
  }

  events(): Record<string, unknown>[] {
    return this.requests.flatMap((r) => r.events);
  }

  reset(): void {
    this.requests.length = 0;
    this.statuses = [];
    this.delayMs = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}
