import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from './session.service';

export type AuthenticatedRequest = FastifyRequest & { auth?: AuthContext };

export const CurrentAuth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  // The global guard has run, so a protected route always has it.
  return request.auth!;
});
