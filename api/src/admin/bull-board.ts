import { timingSafeEqual, createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientAddressKey, describeWait, type ThrottleService } from '../auth/throttle.service';
import { logRedisErrors } from '../common/redis/redis-errors';
import type { AppConfig } from '../config/app-config';
import { QUEUE_NAMES, QueueName, SYNC_QUEUES } from '../queues/queue.constants';
import { queueOptions } from '../queues/queues.module';

export const BULL_BOARD_PATH = '/admin/queues';

/** Every BullMQ queue the product uses (under QUEUE_PREFIX), the sync queues first. */
export const BOARD_QUEUES: readonly QueueName[] = [
  ...SYNC_QUEUES,
  ...QUEUE_NAMES.filter((name) => !(SYNC_QUEUES as readonly QueueName[]).includes(name)),
];

const BOARD_SCOPE = 'bull-board';
// Ten wrong credentials in a row from one address (an IPv6 /64) lock it out for 15 minutes.
export const BOARD_LOCK = { lockAfter: 10, lockSeconds: 15 * 60, memorySeconds: 60 * 60 } as const;

// Hashing first gives equal-length buffers, so the comparison takes the same time whatever the input.
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function basicAuthMatches(header: string | undefined, user: string, password: string): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both halves are always compared so a wrong user takes as long as a wrong password.
  const userOk = sameSecret(decoded.slice(0, colon), user);
  const passwordOk = sameSecret(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}

/**
 * Mounts Bull Board at /admin/queues behind HTTP Basic auth, only when BULL_BOARD_USER and
 * BULL_BOARD_PASSWORD are both set (AppConfig refuses one without the other). Otherwise nothing is
 * registered and the path is the ordinary 404. Returns whether the board is mounted.
 */
export async function registerBullBoard(
  fastify: FastifyInstance,
  config: AppConfig,
  throttle: ThrottleService,
): Promise<boolean> {
  const user = config.bullBoardUser;
  const password = config.bullBoardPassword;
  if (user === undefined || password === undefined) return false;

  const options = queueOptions(config);
  const queues = BOARD_QUEUES.map((name) => {
    const queue = new Queue(name, options);
    logRedisErrors(queue, `bull-board queue ${name}`);
    return queue;
  });
  fastify.addHook('onClose', async () => {
    await Promise.all(queues.map((queue) => queue.close()));
  });

  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Ticket Portal queues' } },
  });

  await fastify.register(
    async (scope) => {
      // Guessing is limited per client address in Redis, so the limit holds across API processes.
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const client = clientAddressKey(request.ip);
        const lockedFor = await throttle.lockedFor(BOARD_SCOPE, client);
        if (lockedFor > 0) {
          return reply
            .status(429)
            .header('retry-after', String(lockedFor))
            .header('cache-control', 'no-store')
            .send({
              code: 'RATE_LIMITED',
              message: `Too many wrong Bull Board credentials from this address. Try again in ${describeWait(lockedFor)}.`,
            });
        }
        const header = request.headers.authorization;
        if (basicAuthMatches(header, user, password)) {
          await throttle.clearFailures(BOARD_SCOPE, client);
          return;
        }
        // A browser's first request carries no credentials; only wrong ones count as a guess.
        if (header !== undefined) await throttle.recordFailure(BOARD_SCOPE, client, BOARD_LOCK);
        return reply
          .status(401)
          .header('www-authenticate', 'Basic realm="Ticket Portal queues", charset="UTF-8"')
          .header('cache-control', 'no-store')
          .send({
            code: 'UNAUTHENTICATED',
            message: 'Bull Board needs HTTP Basic credentials: BULL_BOARD_USER and BULL_BOARD_PASSWORD.',
          });
      });
      // Queue contents (job data) must not sit in shared caches.
      scope.addHook('onSend', async (_request, reply) => {
        void reply.header('cache-control', 'no-store');
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: BULL_BOARD_PATH },
  );
  return true;
}
