import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { AuthenticatedRequest } from './current-auth.decorator';
import { IS_PUBLIC } from './public.decorator';
import { SessionService } from './session.service';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="ticket-portal"' };

@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
    if (!match) {
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        'Sign in to continue: send "Authorization: Bearer <access token>".',
        {
          headers: CHALLENGE,
        },
      );
    }
    const auth = await this.sessions.validate(match[1]!);
    if (!auth) {
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        'Your session has ended or is not valid. Sign in again.',
        {
          headers: { 'www-authenticate': 'Bearer realm="ticket-portal", error="invalid_token"' },
        },
      );
    }
    request.auth = auth;
    return true;
  }
}
