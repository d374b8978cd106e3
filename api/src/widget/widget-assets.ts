import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// api/src or api/dist → the repository root.
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const WIDGET_DIST = join(REPO_ROOT, 'widget', 'dist');

// Serves widget/dist at /widget/* when it has been built: the entry ticket-portal.js, the chunks it
// imports (chunks/*.js, ADR 0008), the one-file ticket-portal.bundle.js and integrity.json. Any page
// may load them: that is how a site editor's snippet pulls the widget in (module scripts are fetched
// with CORS). The build writes each file brotli- and gzip-compressed next to it (.br, .gz); the one the
// request's Accept-Encoding prefers is sent, with `Vary: Accept-Encoding` for caches in between.
export async function registerWidgetAssets(
  fastify: FastifyInstance,
  distDir = WIDGET_DIST,
): Promise<boolean> {
  if (!existsSync(join(distDir, 'ticket-portal.js'))) return false;
  await fastify.register(async (scope) => {
    // text/javascript (the type the HTML standard names), also when a .br or .gz file is sent: the
    // static plugin sets the content type after setHeaders for those, hence a hook.
    scope.addHook('onSend', (request, reply, payload, done) => {
      if (/\.m?js$/.test(request.url.split('?')[0] ?? '') && reply.statusCode < 300) {
        void reply.header('content-type', 'text/javascript; charset=utf-8');
      }
      done(null, payload);
    });
    await scope.register(fastifyStatic, {
      root: distDir,
      prefix: '/widget/',
      decorateReply: false,
      index: false,
      dotfiles: 'deny',
      cacheControl: false,
      preCompressed: true,
      // filePath is the file sent: `chunks/x-HASH.js.br` when brotli goes out.
      setHeaders: (reply, filePath) => {
        void reply.header('access-control-allow-origin', '*');
        void reply.header('cross-origin-resource-policy', 'cross-origin');
        // dist/chunks/* are content-hashed (a new build writes new names): cache them for good. The
        // entry and the one-file bundle keep their names, and site editors expect updates to show.
        const hashed = /[\\/]chunks[\\/][^\\/]+-[A-Z0-9]{8}\.js(\.map)?(\.br|\.gz)?$/.test(filePath);
        void reply.header(
          'cache-control',
          hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300, stale-while-revalidate=60',
        );
      },
    });
  });
  return true;
}
