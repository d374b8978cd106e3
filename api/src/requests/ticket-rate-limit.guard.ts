import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../auth/current-auth.decorator';
import { clientAddressKey, describeWait, ThrottleService } from '../auth/throttle.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig, type RateWindow } from '../config/app-config';

export type TicketAction = 'submit' | 'reply' | 'change';

const ACTION_KEY = 'tp:ticket-action';

// "10 minutes", "hour", "2 hours": the window a person is told about.
export function describeWindow(seconds: number): string {
  for (const [unit, size] of [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ] as const) {
    if (seconds % size === 0) {
      const count = seconds / size;
      return count === 1 ? unit : `${count} ${unit}s`;
    }
  }
  return seconds === 1 ? 'second' : `${seconds} seconds`;
}

const MESSAGES: Record<TicketAction | 'perIp', (limit: number, window: string, wait: string) => string> = {
  submit: (limit, window, wait) =>
    `You have submitted ${limit} requests in the last ${window}, the most we accept in that time. You can submit another in ${wait}; if something is urgent, contact support directly.`,
  reply: (limit, window, wait) =>
    `You have sent ${limit} replies in the last ${window}, the most we accept in that time. You can reply again in ${wait}; if something is urgent, contact support directly.`,
  change: (limit, window, wait) =>
    `You have closed, reopened or retried tickets ${limit} times in the last ${window}, the most we accept in that time. Try again in ${wait}.`,
  perIp: (limit, window, wait) =>
    `Your network has sent ${limit} ticket changes in the last ${window}, the most we accept from one network in that time. Try again in ${wait}.`,
};

/**
 * Limits ticket writes per customer (each kind on its own) and per client address (all kinds
 * together, for several accounts driven from one place). Counters live in Redis, so the limits hold
 * across API processes. Runs after the global bearer guard, so the customer is known.
 */
@Injectable()
export class TicketRateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly throttle: ThrottleService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<TicketAction | undefined>(ACTION_KEY, context.getHandler());
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const customerId = request.auth?.customerId;
    if (!action || !customerId) return true;
    const limits = this.config.ticketLimits;
    await this.enforce(`ticket-${action}`, limits[action], customerId, MESSAGES[action]);
    await this.enforce('ticket-ip', limits.perIp, clientAddressKey(request.ip), MESSAGES.perIp);
    return true;
  }

  private async enforce(
    name: string,
    windows: RateWindow[],
    subject: string,
    message: (limit: number, window: string, wait: string) => string,
  ): Promise<void> {
    for (const { limit, windowSeconds } of windows) {
      const result = await this.throttle.hit(
        { name: `${name}-${windowSeconds}`, limit, windowSeconds },
        subject,
      );
      if (!result.allowed) {
        throw new AppError(
          ErrorCode.RATE_LIMITED,
          message(limit, describeWindow(windowSeconds), describeWait(result.retryAfterSeconds)),
          { retryAfterSeconds: result.retryAfterSeconds },
        );
      }
    }
  }
}

/** Counts the route against the customer's `action` limits and the client address's limits. */
export function TicketRateLimit(action: TicketAction): MethodDecorator {
  return applyDecorators(
    SetMetadata(ACTION_KEY, action),
    UseGuards(TicketRateLimitGuard),
    ApiTooManyRequestsResponse({
      description: 'RATE_LIMITED: too many in a short time; Retry-After says when to try again',
    }),
  );
}
