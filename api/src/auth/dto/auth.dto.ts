import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
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
