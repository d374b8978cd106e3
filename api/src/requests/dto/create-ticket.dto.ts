import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

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
}

export class CreateReplyDto {
  @ApiProperty({ minLength: 1, maxLength: 10000, description: 'Plain text, trimmed' })
  @Transform(trim)
  @IsString({ message: 'body must be text.' })
  @IsNotEmpty({ message: 'Write a message.' })
  @MaxLength(10000, { message: 'body must be at most 10000 characters.' })
  body!: string;
}
