// Serves the demo marketing page on its own origin. The page holds nothing of ours but the snippet.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

export interface DemoSite {
  url: string;
  close(): Promise<void>;
}

export function startDemoSite(opts: {
  port: number;
  host?: string;
  apiUrl: string;
  root: string;
}): Promise<DemoSite> {
  const host = opts.host ?? '127.0.0.1';
  const template = readFileSync(join(opts.root, 'e2e/demo-site/index.html'), 'utf8');
  const api = new URL(opts.apiUrl).origin;
  const page = template.replaceAll('{{API_URL}}', api);
  // A realistic CSP for a marketing page that embeds the portal: scripts and calls only to the API's origin.
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${api}`,
    `connect-src 'self' ${api}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
  ].join('; ');
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/' || path === '/tickets-portal/' || path === '/index.html') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': csp,
        'cache-control': 'no-store',
      });
      res.end(page);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      resolve({
        url: `http://localhost:${opts.port}/`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
