// Serves only the demo marketing page (docker-compose's `demo` service). `npm start` serves it itself.
import { startDemoSite } from './lib/demo-site';
import { ROOT } from './lib/stack';

const port = Number(process.env.DEMO_PORT ?? 8080);
const apiUrl = process.env.DEMO_API_URL ?? 'http://localhost:3000';
startDemoSite({ port, apiUrl, root: ROOT, host: '0.0.0.0' })
  .then((site) => console.log(`Demo page on ${site.url} (API ${apiUrl})`))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
