import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { assertReasonableShape, notAnObject, validationErrorToAppError } from '../common/validation';
import { INVALID_CREDENTIALS_MESSAGE } from './auth.service';
import { LoginDto } from './dto/auth.dto';
import { LocalStrategy } from './local.strategy';

// Guards run before pipes, so the body is validated here; passport-local would otherwise answer
// a missing field with a bare 401 instead of saying which field to fill in.
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(private readonly strategy: LocalStrategy) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const raw: unknown = request.body ?? {};
    assertReasonableShape(raw);
    if (typeof raw !== 'object' || Array.isArray(raw)) throw notAnObject();
    const dto = plainToInstance(LoginDto, raw);
    const errors = validateSync(dto as object, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
    });
    if (errors.length > 0) throw validationErrorToAppError(errors);
    request.body = dto;
    // passport keeps strategies in a process-wide registry; when several apps share a process (tests,
    // the e2e launcher) the last one constructed would win. Point 'local' at this app's strategy.
    passport.use('local', this.strategy);
    return super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof Error) throw error;
    if (error) throw new Error('Sign-in failed');
    if (!user) throw new AppError(ErrorCode.INVALID_CREDENTIALS, INVALID_CREDENTIALS_MESSAGE);
    return user;
  }
}
