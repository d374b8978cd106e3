import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../password-policy';
import { TOKEN_PATTERN } from '../../common/crypto.util';

const VALID_EMAIL = 'Enter a valid email address, like name@example.com.';

// validator.js's isEmail throws a URIError on a lone UTF-16 surrogate (a 500); it must never see one.
// class-validator stops at the first failing rule (stopAtFirstError), so this one goes before IsEmail.
function IsWellFormedText(message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isWellFormedText',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !/\p{Cs}/u.test(value),
      defaultMessage: () => message,
    },
  });
}

// Emails are trimmed and lower-cased before validation; the account table stores them that way.
// `forRegistration` also refuses a quoted local part ("a b"@example.org): valid on paper, but mail
// servers and our mailer will not deliver to it, so such an account could never be confirmed.
export function EmailField(options: { forRegistration?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ example: 'alex.morgan@example.com', maxLength: 254 }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    IsString({ message: 'Enter your email address as text.' }),
    IsNotEmpty({ message: 'Enter your email address.' }),
    MaxLength(254, { message: 'Enter an email address of at most 254 characters.' }),
    IsWellFormedText(VALID_EMAIL),
    ...(options.forRegistration
      ? [
          Matches(/^[^"\s]*$/u, {
            message:
              'Enter an email address without quotation marks or spaces, like name@example.com. Addresses with a quoted part cannot receive our mail.',
          }),
        ]
      : []),
    IsEmail({}, { message: VALID_EMAIL }),
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
