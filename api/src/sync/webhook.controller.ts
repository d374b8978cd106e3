import { Controller, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { AppError, ErrorCode } from '../common/errors';
import { eventKey, parseWebhookBody, planWebhookWork, type WebhookEvent } from './webhook-event';
import { signedUriFor, verifyHubSpotV3 } from './webhook-signature';
import { SYNC_OPTIONS, type SyncOptions } from './sync.options';
import { SyncProducer } from './sync.producer';
import { DIRTY_KINDS } from '../queues/queue.constants';

export interface WebhookAnswer {
  received: number;
  queued: number;
  duplicates: number;
}

/**
 * POST /api/v1/webhooks/hubspot. Verifies the v3 signature against the URL HubSpot called, then
 * only enqueues: the batch reads happen in the worker, so the answer takes milliseconds.
 */
// Public to the bearer guard: the HubSpot v3 signature is its authentication.
@Public()
@Controller('webhooks/hubspot')
export class WebhookController {
  private readonly logger = new Logger(WebhookController.name);

  constructor(
    private readonly producer: SyncProducer,
    @Inject(SYNC_OPTIONS) private readonly options: SyncOptions,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(@Req() request: RawBodyRequest<FastifyRequest>): Promise<WebhookAnswer> {
    // HubSpot posts JSON; other bodies reach here parsed as text (no raw bytes to check a signature on).
    const type = header(request, 'content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new AppError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `Webhook bodies must be JSON sent with Content-Type: application/json (got ${type === '' ? 'none' : `"${type.slice(0, 100)}"`}).`,
      );
    }
    const rawBody = request.rawBody;
    if (rawBody === undefined) {
      // The app was created without { rawBody: true }: a deployment bug, not the caller's.
      throw new AppError(
        ErrorCode.INTERNAL,
        'Webhook signatures cannot be checked: the raw request body is not available',
      );
    }
    const check = verifyHubSpotV3(
      this.options.clientSecret,
      {
        method: request.method,
        uri: signedUriFor(this.options.webhookPublicUrl, {
          protocol: request.protocol,
          host: request.host,
          url: request.url,
        }),
        rawBody,
        signature: header(request, 'x-hubspot-signature-v3'),
        timestamp: header(request, 'x-hubspot-request-timestamp'),
      },
      this.options.signatureMaxAgeMs,
    );
    if (!check.ok) {
      this.logger.warn(`webhook refused (${check.reason ?? 'unknown'})`);
      throw new AppError(ErrorCode.UNAUTHENTICATED, check.message ?? 'Invalid webhook signature');
    }

    const { events, problems } = parseWebhookBody(request.body);
    if (problems.length > 0) {
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        `Webhook body rejected: ${problems.slice(0, 5).join('; ')}`,
      );
    }
    // An event repeated within the batch counts once, like one HubSpot delivers again later.
    const unique = new Map<string, WebhookEvent>();
    for (const event of events) {
      const key = eventKey(event);
      if (!unique.has(key)) unique.set(key, event);
    }
    const fresh = await this.producer.claimEvents([...unique.keys()]);
    const freshEvents = [...unique].filter(([key]) => fresh.has(key)).map(([, event]) => event);
    const work = planWebhookWork(freshEvents);
    try {
      // A ticket the outbox just created is mirrored from the create's answer: the events the create
      // itself caused read nothing again (ADR 0015).
      for (const id of await this.producer.coveredByDelivery(work.ticketEvents)) {
        work.dirty.tickets.delete(id);
      }
      for (const kind of DIRTY_KINDS) await this.producer.markDirty(kind, work.dirty[kind]);
      for (const ticketId of work.conversations) await this.producer.refreshConversation(ticketId);
    } catch (error) {
      // Not queued: forget the events so HubSpot's retry of this delivery is not dropped as a duplicate.
      await this.producer.forgetEvents(fresh).catch(() => undefined);
      throw new AppError(
        ErrorCode.DEPENDENCY_UNAVAILABLE,
        'The sync queue is unavailable; HubSpot will retry this delivery',
        {
          cause: error,
        },
      );
    }
    return {
      received: events.length,
      queued: freshEvents.length - work.ignored,
      duplicates: events.length - freshEvents.length,
    };
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
