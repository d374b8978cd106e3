import { All, Controller } from '@nestjs/common';
import { ApiGoneResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { Public } from './public.decorator';

export const RETIRED_LOGIN_MESSAGE =
  'Signing in with a One-Time Password (OTP)/Magic Link is no longer available. Reset your password using the Forgot password option, then create a new password to access your account.';

// The old portal's OTP and magic-link endpoints: whoever still calls them is sent to Forgot password.
@ApiTags('auth')
@Public()
@Controller('auth')
export class RetiredLoginController {
  @All(['otp', 'otp/*', 'magic-link', 'magic-link/*'])
  @ApiOperation({ summary: 'Retired: one-time passwords and magic links (always 410)' })
  @ApiGoneResponse({ description: RETIRED_LOGIN_MESSAGE })
  gone(): never {
    throw new AppError(ErrorCode.LOGIN_METHOD_RETIRED, RETIRED_LOGIN_MESSAGE);
  }
}
