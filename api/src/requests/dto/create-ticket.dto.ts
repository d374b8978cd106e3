import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const email = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
const emails = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((v) => email({ value: v })) : value;

/** Colleagues in copy on one request at most (and on a ticket, through POST tickets/:id/people). */
export const CC_MAX = 5;

// Files from POST attachments; the per-message limits (ATTACHMENTS_MAX_FILES, total size) are the service's.
const ATTACHMENT_IDS_DOC: ApiPropertyOptions = {
  type: [String],
  format: 'uuid',
  maxItems: 100,
  description:
    'Ids from POST attachments (your own uploads, not yet used on another message), in the order to show them',
};

function AttachmentIds(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional(ATTACHMENT_IDS_DOC),
    IsOptional(),
    IsArray({ message: 'attachmentIds must be a list of ids from POST attachments.' }),
    ArrayMaxSize(100, { message: 'attachmentIds can name at most 100 files.' }),
    IsUUID('4', { each: true, message: 'attachmentIds must hold ids from POST attachments (UUIDs).' }),
  );
}

/** POST /api/v1/tickets. Options of priority/category are checked against HubSpot's by the service. */
export class CreateTicketDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Trimmed', example: 'Royalty statement missing' })
  @Transform(trim)
  @IsString({ message: 'subject must be text.' })
  @IsNotEmpty({ message: 'Enter a subject.' })
  @MaxLength(200, { message: 'subject must be at most 200 characters.' })
  subject!: string;

  @ApiProperty({ minLength: 1, maxLength: 10000, description: 'Plain text, trimmed' })
  @Transform(trim)
  @IsString({ message: 'description must be text.' })
  @IsNotEmpty({ message: 'Describe your request.' })
  @MaxLength(10000, { message: 'description must be at most 10000 characters.' })
  description!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'One of the priority options from GET tickets/fields',
    example: 'HIGH',
  })
  @Transform(trim)
  @IsOptional()
  @IsString({ message: 'priority must be text (one of the options from GET tickets/fields).' })
  @MaxLength(100, { message: 'priority must be at most 100 characters.' })
  priority?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'One of the category options from GET tickets/fields',
    example: 'BILLING_ISSUE',
  })
  @Transform(trim)
  @IsOptional()
  @IsString({ message: 'category must be text (one of the options from GET tickets/fields).' })
  @MaxLength(100, { message: 'category must be at most 100 characters.' })
  category?: string | null;

  @AttachmentIds()
  attachmentIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'email',
    maxItems: CC_MAX,
    description: `Colleagues to put in copy (at most ${CC_MAX}, not your own email): HubSpot gets them as contacts on the ticket, and each sees it in their portal once signed in`,
    example: ['sam@example.com'],
  })
  @Transform(emails)
  @IsOptional()
  @IsArray({ message: 'cc must be a list of email addresses.' })
  @ArrayMaxSize(CC_MAX, { message: `cc can name at most ${CC_MAX} colleagues.` })
  @MaxLength(254, { each: true, message: 'Each cc address must be at most 254 characters.' })
  @IsEmail({}, { each: true, message: 'cc must hold email addresses such as sam@example.com.' })
  cc?: string[];
}

/** POST /api/v1/tickets/:id/people. */
export class AddPersonDto {
  @ApiProperty({ format: 'email', example: 'sam@example.com', description: 'The colleague to put in copy' })
  @Transform(email)
  @IsString({ message: 'email must be text.' })
  @MaxLength(254, { message: 'email must be at most 254 characters.' })
  @IsEmail({}, { message: 'Enter an email address such as sam@example.com.' })
  email!: string;
}

export class CreateReplyDto {
  @ApiProperty({ minLength: 1, maxLength: 10000, description: 'Plain text, trimmed' })
  @Transform(trim)
  @IsString({ message: 'body must be text.' })
  @IsNotEmpty({ message: 'Write a message.' })
  @MaxLength(10000, { message: 'body must be at most 10000 characters.' })
  body!: string;

  @AttachmentIds()
  attachmentIds?: string[];
}
