import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { SITE_TOKEN_MAX_LENGTH } from '../site-token.verifier';
import { CustomerDto } from '../../customers/customer.dto';
import { EmailField, PasswordField, TokenField } from './email-field';

export class RegisterDto {
  @EmailField({ forRegistration: true })
  email!: string;

  @PasswordField('10–128 characters, not a common password')
  password!: string;
}

export class EmailOnlyDto {
  @EmailField()
  email!: string;
}

export class ConfirmDto {
  @TokenField()
  token!: string;
}

export class ResetPasswordDto {
  @TokenField()
  token!: string;

  @PasswordField('The new password: 10–128 characters, not a common password')
  password!: string;
}

export class LoginDto {
  @EmailField()
  email!: string;

  @PasswordField('The account password')
  password!: string;

  @ApiPropertyOptional({ description: 'Keep the session for 30 days instead of 12 hours', default: false })
  @IsOptional()
  @IsBoolean({ message: 'Send remember as true or false.' })
  remember?: boolean;
}

export class SiteTokenDto {
  @ApiProperty({
    description:
      'A JWT the host website signed for its signed-in visitor (HS256 with SITE_TOKEN_SECRET, or RS256/ES256 from SITE_TOKEN_JWKS_URL): iss, aud, exp (at most 10 minutes ahead), jti, email, email_verified: true, optional name. See docs/embedding.md.',
    maxLength: SITE_TOKEN_MAX_LENGTH,
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
  })
  @IsString({ message: 'Send the site token (a JWT) as text.' })
  @IsNotEmpty({ message: 'Send the site token (a JWT) the website made for this visitor.' })
  @MaxLength(SITE_TOKEN_MAX_LENGTH, {
    message: `A site token is at most ${SITE_TOKEN_MAX_LENGTH} characters; this one is longer.`,
  })
  token!: string;
}

export class AcceptedDto {
  @ApiProperty({ example: 'Check your inbox for the next step.' })
  message!: string;
}

export class AccountActionDto {
  @ApiProperty()
  message!: string;

  @ApiProperty({ example: 'alex.morgan@example.com' })
  email!: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Opaque bearer token: send it as "Authorization: Bearer <token>"' })
  accessToken!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ type: CustomerDto })
  customer!: CustomerDto;
}
