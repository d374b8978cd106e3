import { ApiProperty } from '@nestjs/swagger';

export class TicketStatusDto {
  @ApiProperty({ description: 'The stage label the customer sees', example: 'Waiting on us' })
  label!: string;

  @ApiProperty({ enum: ['open', 'closed'] })
  state!: 'open' | 'closed';
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
