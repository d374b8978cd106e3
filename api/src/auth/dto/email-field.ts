import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../password-policy';
import { TOKEN_PATTERN } from '../../common/crypto.util';

// Emails are trimmed and lower-cased before validation; the account table stores them that way.
export function EmailField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ example: 'alex.morgan@example.com', maxLength: 254 }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    IsString({ message: 'Enter your email address as text.' }),
    IsNotEmpty({ message: 'Enter your email address.' }),
    MaxLength(254, { message: 'Enter an email address of at most 254 characters.' }),
    IsEmail({}, { message: 'Enter a valid email address, like name@example.com.' }),
  );
}

// Length rules live in the password policy; here only what a sign-in form must send.
export function PasswordField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description, minLength: 1, maxLength: PASSWORD_MAX_LENGTH, format: 'password' }),
    IsString({ message: 'Enter your password as text.' }),
    IsNotEmpty({ message: 'Enter your password.' }),
    MaxLength(PASSWORD_MAX_LENGTH, { message: `Use at most ${PASSWORD_MAX_LENGTH} characters.` }),
  );
}

export function TokenField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description: 'The tp-token value from the emailed link', example: 'Qm9vdHN0cmFw…' }),
    IsString({ message: 'The link is incomplete. Open the link from the email again.' }),
    IsNotEmpty({ message: 'The link is incomplete. Open the link from the email again.' }),
    Matches(TOKEN_PATTERN, {
      message:
        'The link is incomplete or damaged. Open the link from the email again, or copy the whole address.',
    }),
  );
}
