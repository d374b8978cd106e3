import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A pass-through proxy between the SDK and the emulator that keeps each raw response, so tests can
 * check the JSON HubSpot's schemas describe (the SDK turns bodies into model objects).
 */
export class Recorder {
  readonly exchanges: Exchange[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && k !== 'host') headers[k] = v;
        }
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        fetch(this.target + (req.url ?? '/'), { method: req.method, headers, body })
          .then(async (r) => {
            const text = await r.text();
            const h: Record<string, string> = {};
            r.headers.forEach((v, k) => {
              if (
                k !== 'content-length' &&
                k !== 'transfer-encoding' &&
                k !== 'connection' &&
                k !== 'keep-alive'
              ) {
                h[k] = v;
              }
            });
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = text;
            }
            this.exchanges.push({
              method: req.method ?? 'GET',
              path: req.url ?? '/',
              status: r.status,
              headers: h,
              body: parsed,
            });
            res.writeHead(r.status, h).end(text);
          })
          .catch((e: unknown) => res.writeHead(502).end(String(e)));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  last(): Exchange {
    const e = this.exchanges[this.exchanges.length - 1];
    if (!e) throw new Error('no request was recorded');
    return e;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}
