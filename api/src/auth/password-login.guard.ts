import { type CanActivate, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';

export const PASSWORD_LOGIN_OFF_MESSAGE =
  'Signing in with a password is turned off for this portal (PASSWORD_LOGIN=off). Sign in on the website that shows the portal, and it signs you in here too.';

// PASSWORD_LOGIN=off: every route that registers, confirms, signs in or resets with a password
// answers 403, before its body is read (a guard runs before pipes and the passport strategy).
@Injectable()
export class PasswordLoginGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.passwordLogin) {
      throw new AppError(ErrorCode.LOGIN_METHOD_DISABLED, PASSWORD_LOGIN_OFF_MESSAGE);
    }
    return true;
  }
}
