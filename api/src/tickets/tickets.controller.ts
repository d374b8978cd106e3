import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAuth } from '../auth/current-auth.decorator';
import type { AuthContext } from '../auth/session.service';
import { ListTicketsQueryDto } from './dto/list-tickets.query.dto';
import { TicketListDto } from './dto/ticket-list.dto';
import { normaliseQuery } from './ticket-list-query';
import { TicketsListService } from './tickets-list.service';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(private readonly list: TicketsListService) {}

  @Get()
  @ApiOperation({ summary: "The signed-in customer's tickets: search, filter, sort, page" })
  @ApiOkResponse({ type: TicketListDto })
  @ApiBadRequestResponse({
    description: 'A parameter is invalid; the message names it and its accepted values',
  })
  async tickets(
    @CurrentAuth() auth: AuthContext,
    @Query() query: ListTicketsQueryDto,
  ): Promise<TicketListDto> {
    return this.list.list(auth.customerId, normaliseQuery(query));
  }
}
