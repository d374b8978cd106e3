import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { REDIS } from '../common/redis/redis.module';
import { AppConfig, type RequestField } from '../config/app-config';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsTicketPropertyOptions } from '../hubspot/hubspot.types';
import type { OptionDto, RequestFieldDto } from './dto/ticket-detail.dto';
import { RedisKeys } from '../queues/redis-keys';
import { requestFieldsCacheKey, REQUEST_FIELDS_FRESH_MS } from './requests.queue';

interface CachedOptions {
  at: number;
  options: HsTicketPropertyOptions;
}

const LABELS: Record<RequestField, string> = { priority: 'Priority', category: 'Category' };

/**
 * The request form's optional fields and their options, from HubSpot's ticket property definitions.
 * Cached in Redis (the worker refreshes it every 10 minutes; a read of a stale copy refreshes it);
 * the last known copy is kept so a HubSpot outage does not take the form away.
 */
@Injectable()
export class RequestFieldsService {
  private readonly logger = new Logger(RequestFieldsService.name);
  private readonly cacheKey: string;

  constructor(
    private readonly port: HubSpotPort,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
    keys: RedisKeys,
  ) {
    this.cacheKey = requestFieldsCacheKey(keys);
  }

  /** Asks HubSpot and stores the answer. */
  async refresh(): Promise<HsTicketPropertyOptions> {
    const options = await this.port.getTicketProperties();
    const cached: CachedOptions = { at: Date.now(), options };
    await this.redis.set(this.cacheKey, JSON.stringify(cached));
    return options;
  }

  /** The options, fresh when possible; the last known copy while HubSpot is unreachable; null if none. */
  async options(): Promise<HsTicketPropertyOptions | null> {
    const raw = await this.redis.get(this.cacheKey);
    const cached = raw ? (JSON.parse(raw) as CachedOptions) : null;
    if (cached && Date.now() - cached.at < REQUEST_FIELDS_FRESH_MS) return cached.options;
    try {
      return await this.refresh();
    } catch (error) {
      this.logger.warn(
        `Could not read the ticket properties from HubSpot (${error instanceof Error ? error.message : String(error)}); ${cached ? 'using the last known options' : 'no options known yet'}`,
      );
      return cached?.options ?? null;
    }
  }

  async fields(): Promise<RequestFieldDto[]> {
    if (this.config.portalRequestFields.length === 0) return [];
    const options = await this.options();
    if (!options) {
      throw new AppError(
        ErrorCode.DEPENDENCY_UNAVAILABLE,
        'The request form cannot load its options from support right now. Try again in a minute.',
        { retryAfterSeconds: 30 },
      );
    }
    return this.config.portalRequestFields.map((name) => ({
      name,
      label: LABELS[name],
      required: false as const,
      options: visible(options[name]),
    }));
  }

  /**
   * Checks priority/category against the options (400 naming the field and listing the accepted
   * values). A field the portal does not offer must be empty. Options unknown (HubSpot never
   * answered yet): accepted as sent, HubSpot judges them.
   */
  async validate(values: Partial<Record<RequestField, string | null | undefined>>): Promise<void> {
    const given = (Object.keys(LABELS) as RequestField[]).filter((f) => values[f]);
    if (given.length === 0) return;
    const fields: Record<string, string> = {};
    const offered = new Set(this.config.portalRequestFields);
    const options = given.some((f) => offered.has(f)) ? await this.options() : null;
    for (const name of given) {
      if (!offered.has(name)) {
        fields[name] = `This portal does not ask for a ${name}; leave it out.`;
        continue;
      }
      if (!options) continue;
      const accepted = visible(options[name]);
      if (!accepted.some((o) => o.value === values[name])) {
        fields[name] =
          `${LABELS[name]} must be one of ${accepted.map((o) => o.value).join(', ') || '(none configured)'}.`;
      }
    }
    const names = Object.keys(fields);
    if (names.length > 0) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, names.map((n) => `${n}: ${fields[n]}`).join(' '), {
        fields,
      });
    }
  }

  /** The option's label (HubSpot's), else the value made readable. */
  async option(name: RequestField, value: string | null): Promise<OptionDto | null> {
    if (!value) return null;
    const raw = await this.redis.get(this.cacheKey).catch(() => null);
    const cached = raw ? (JSON.parse(raw) as CachedOptions) : null;
    const label = cached?.options[name].find((o) => o.value === value)?.label;
    return { value, label: label ?? humanize(value) };
  }
}

function visible(options: HsTicketPropertyOptions[RequestField]): OptionDto[] {
  return [...options]
    .filter((o) => !o.hidden)
    .sort((a, b) => a.displayOrder - b.displayOrder)
    .map((o) => ({ value: o.value, label: o.label }));
}

function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
