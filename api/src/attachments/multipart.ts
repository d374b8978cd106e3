import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { toErrorResponse } from '../common/errors/error-response';

/**
 * Registers multipart/form-data for the one route that takes files (`uploadPath`). The parser is
 * registered on the whole instance (Nest's routes share it), so every other route refuses a
 * multipart body with the same 415 as any other non-JSON body.
 */
export async function registerMultipart(fastify: FastifyInstance, uploadPath: string): Promise<void> {
  // Limits are set per request by the upload service; a size overflow is reported by it (truncated
  // file), not thrown from inside the parser.
  await fastify.register(fastifyMultipart, { throwFileSizeLimit: false });
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.isMultipart() && request.routeOptions.url !== uploadPath) {
      const response = toErrorResponse(
        new AppError(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          'Send the request body as JSON, with the header Content-Type: application/json.',
        ),
        request.method,
        request.url,
      );
      void reply.status(response.status).headers(response.headers).send(response.body);
      return;
    }
    done();
  });
}

/**
 * Keeps @fastify/compress off the route at `path` (file downloads): call it before registering the
 * compressor, whose own onRoute hook reads `compress` as each route is added.
 */
export function skipCompression(fastify: FastifyInstance, path: string): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url === path) route.compress = false;
  });
}
