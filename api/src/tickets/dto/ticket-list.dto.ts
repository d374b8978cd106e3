import { ApiProperty } from '@nestjs/swagger';
import { STATUS_KINDS, type StatusKind } from '../ticket-status';

export class TicketStatusDto {
  @ApiProperty({
    description:
      "What the customer reads: the operator's label for the HubSpot stage (PORTAL_STATUS_LABELS), else HubSpot's default stages read from the customer's side",
    example: 'Awaiting your reply',
  })
  label!: string;

  @ApiProperty({ enum: ['open', 'closed'] })
  state!: 'open' | 'closed';

  @ApiProperty({
    enum: STATUS_KINDS,
    description:
      'What the status means for the customer (its colour): `awaiting_customer` is open and waits on their reply; `closed` exactly when state is closed',
    example: 'awaiting_customer',
  })
  kind!: StatusKind;
}

export class TicketOwnerDto {
  @ApiProperty({ example: 'Sam Rivera' })
  name!: string;
}

export class TicketRequesterDto {
  @ApiProperty({ type: String, nullable: true, example: 'Alex Morgan' })
  name!: string | null;

  @ApiProperty({ example: 'alex.morgan@example.com' })
  email!: string;
}

export class TicketListItemDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'HubSpot ticket ID; null while the request is still being sent to support',
    example: '1234',
  })
  id!: string | null;

  @ApiProperty({ description: "The portal's own id of the ticket", example: '42' })
  localId!: string;

  @ApiProperty({ type: TicketStatusDto })
  status!: TicketStatusDto;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: TicketOwnerDto, nullable: true, description: 'null when unassigned' })
  owner!: TicketOwnerDto | null;

  @ApiProperty({ format: 'date-time' })
  lastActivityAt!: string;

  @ApiProperty({ type: TicketRequesterDto })
  requestedBy!: TicketRequesterDto;

  @ApiProperty({ enum: ['synced', 'pending', 'failed'] })
  syncState!: 'synced' | 'pending' | 'failed';
}

export class TicketCountsDto {
  @ApiProperty({ description: 'Open tickets matching the search and date filters (status ignored)' })
  open!: number;

  @ApiProperty({ description: 'Closed tickets matching the search and date filters (status ignored)' })
  closed!: number;

  @ApiProperty({
    description:
      "Of the open ones, those awaiting the customer's reply (status kind awaiting_customer; the filter status=awaiting)",
  })
  awaiting!: number;
}

export class TicketListDto {
  @ApiProperty({ type: [TicketListItemDto] })
  items!: TicketListItemDto[];

  @ApiProperty({ description: 'Tickets matching every filter, status included' })
  total!: number;

  @ApiProperty({ type: TicketCountsDto })
  counts!: TicketCountsDto;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the mirror last heard from HubSpot; null before the first sync',
  })
  syncedAt!: string | null;
}
