import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CustomerDto } from '../customers/customer.dto';
import type { Customer } from '../customers/customer.entity';
import { AuthService } from './auth.service';
import { CurrentAuth } from './current-auth.decorator';
import {
  AcceptedDto,
  AccountActionDto,
  ConfirmDto,
  EmailOnlyDto,
  LoginDto,
  LoginResponseDto,
  RegisterDto,
  ResetPasswordDto,
  SiteTokenDto,
} from './dto/auth.dto';
import { LocalAuthGuard } from './local-auth.guard';
import { PasswordLoginGuard } from './password-login.guard';
import { Public } from './public.decorator';
import type { AuthContext } from './session.service';

export const REGISTER_ACCEPTED =
  'Thanks. We have sent an email to this address. Open the link in it to continue. If nothing arrives within a few minutes, check your spam folder.';
export const RESEND_ACCEPTED =
  'If this address has an account waiting for confirmation, we have sent a new confirmation email. Check your inbox.';
export const FORGOT_ACCEPTED =
  'If an account uses this email address, we have sent instructions to reset the password. Check your inbox.';

export const CONFIRMED = 'Your email address is confirmed. You can sign in now.';
export const CONFIRMED_CHOOSE_PASSWORD =
  'Your email address is confirmed. This address was registered more than once, so we cannot tell which password is yours: use Forgot password to choose your password, then sign in.';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(PasswordLoginGuard)
  @Post('register')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Register; the answer is the same whether or not the email already has an account',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  async register(@Body() body: RegisterDto, @Req() request: FastifyRequest): Promise<AcceptedDto> {
    await this.auth.register(body.email, body.password, request.ip);
    return { message: REGISTER_ACCEPTED };
  }

  @Public()
  @UseGuards(PasswordLoginGuard)
  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm an email address with the token from the confirmation link' })
  @ApiOkResponse({ type: AccountActionDto })
  async confirm(@Body() body: ConfirmDto, @Req() request: FastifyRequest): Promise<AccountActionDto> {
    const { customer, choosePassword } = await this.auth.confirmEmail(body.token, request.ip);
    return {
      message: choosePassword ? CONFIRMED_CHOOSE_PASSWORD : CONFIRMED,
      email: customer.email,
    };
  }

  @Public()
  @UseGuards(PasswordLoginGuard)
  @Post('confirm/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the confirmation email again' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  async resend(@Body() body: EmailOnlyDto, @Req() request: FastifyRequest): Promise<AcceptedDto> {
    await this.auth.resendConfirmation(body.email, request.ip);
    return { message: RESEND_ACCEPTED };
  }

  @Public()
  @UseGuards(PasswordLoginGuard, LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password (passport-local)' })
  @ApiOkResponse({ type: LoginResponseDto })
  login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest & { user: Customer },
  ): Promise<LoginResponseDto> {
    return this.auth.login(request.user, body.remember === true);
  }

  @Public()
  @Post('site-token')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sign in with a token the host website signed for its visitor (no password); answers like auth/login',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  siteToken(@Body() body: SiteTokenDto, @Req() request: FastifyRequest): Promise<LoginResponseDto> {
    return this.auth.signInWithSiteToken(body.token, request.ip);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: revokes the presented access token' })
  @ApiNoContentResponse()
  async logout(@CurrentAuth() auth: AuthContext): Promise<void> {
    await this.auth.logout(auth.tokenHash);
  }

  @Public()
  @UseGuards(PasswordLoginGuard)
  @Post('password/forgot')
  @HttpCode(202)
  @ApiOperation({ summary: 'Ask for a password reset email; always answers 202' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  async forgot(@Body() body: EmailOnlyDto, @Req() request: FastifyRequest): Promise<AcceptedDto> {
    await this.auth.forgotPassword(body.email, request.ip);
    return { message: FORGOT_ACCEPTED };
  }

  @Public()
  @UseGuards(PasswordLoginGuard)
  @Post('password/reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password with the token from the reset link; signs out every session' })
  @ApiOkResponse({ type: AccountActionDto })
  async reset(@Body() body: ResetPasswordDto, @Req() request: FastifyRequest): Promise<AccountActionDto> {
    const customer = await this.auth.resetPassword(body.token, body.password, request.ip);
    return {
      message:
        'Your password has been changed and every session was signed out. Sign in with your new password.',
      email: customer.email,
    };
  }
}

// Kept for the OpenAPI document's reference to the customer shape.
export { CustomerDto };
