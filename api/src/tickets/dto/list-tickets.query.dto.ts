import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `awaiting`: open tickets waiting on the customer ("Awaiting your reply", kind awaiting_customer). */
export const TICKET_STATUS_FILTERS = ['all', 'open', 'closed', 'awaiting'] as const;
export type TicketStatusFilter = (typeof TICKET_STATUS_FILTERS)[number];

export const TICKET_SORT_FIELDS = [
  'id',
  'status',
  'subject',
  'created',
  'owner',
  'lastActivity',
  'requestedBy',
] as const;
export type TicketSortField = (typeof TICKET_SORT_FIELDS)[number];

/**
 * The list's "Mine / In copy / My company" filter (issue 15, ADR 0014): tickets the customer requested,
 * tickets they are in copy on, their company's tickets. Which ones a customer has: GET /me `involvements`.
 */
export const INVOLVEMENTS = ['mine', 'cc', 'company'] as const;
export type Involvement = (typeof INVOLVEMENTS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const MAX_PAGE_SIZE = 200;
export const MAX_PAGE = 10_000;

const INSTANT = 'must be an ISO 8601 instant such as 2026-01-31T00:00:00Z';

/** GET /api/v1/tickets query string. Unknown parameters are refused by the global pipe. */
export class ListTicketsQueryDto {
  @ApiPropertyOptional({
    description:
      'Search: a ticket ID (exact, with or without "#"), or words that must all appear in the subject, description, owner, requester, status, priority or category (case- and accent-insensitive)',
    maxLength: 200,
  })
  @IsOptional()
  @IsString({ message: 'q must be text.' })
  @MaxLength(200, { message: 'q must be at most 200 characters.' })
  q?: string;

  @ApiPropertyOptional({
    enum: TICKET_STATUS_FILTERS,
    default: 'all',
    description:
      "`awaiting`: tickets waiting on the customer's reply (status kind `awaiting_customer`), a part of `open`",
  })
  @IsOptional()
  @IsIn(TICKET_STATUS_FILTERS, { message: `status must be one of ${TICKET_STATUS_FILTERS.join(', ')}.` })
  status?: TicketStatusFilter;

  @ApiPropertyOptional({
    enum: INVOLVEMENTS,
    description:
      "Only tickets the customer requested (`mine`), is in copy on (`cc`), or of their company (`company`), within what they may see; none = everything they may see. GET /me `involvements` lists the values the customer's visibility rule offers; another value answers an empty list",
  })
  @IsOptional()
  @IsIn(INVOLVEMENTS, { message: `involvement must be one of ${INVOLVEMENTS.join(', ')}.` })
  involvement?: Involvement;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: `createdFrom ${INSTANT}.` })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: `createdTo ${INSTANT}.` })
  createdTo?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Last activity at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: `activityFrom ${INSTANT}.` })
  activityFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Last activity at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: `activityTo ${INSTANT}.` })
  activityTo?: string;

  @ApiPropertyOptional({ enum: TICKET_SORT_FIELDS, default: 'lastActivity' })
  @IsOptional()
  @IsIn(TICKET_SORT_FIELDS, { message: `sort must be one of ${TICKET_SORT_FIELDS.join(', ')}.` })
  sort?: TicketSortField;

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'desc' })
  @IsOptional()
  @IsIn(SORT_ORDERS, { message: `order must be one of ${SORT_ORDERS.join(', ')}.` })
  order?: SortOrder;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.` })
  @Min(1, { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.` })
  @Max(MAX_PAGE_SIZE, { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.` })
  limit?: number;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `page must be a whole number from 1 to ${MAX_PAGE}.` })
  @Min(1, { message: `page must be a whole number from 1 to ${MAX_PAGE}.` })
  @Max(MAX_PAGE, { message: `page must be a whole number from 1 to ${MAX_PAGE}.` })
  page?: number;
}
