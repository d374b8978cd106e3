import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentAuth } from '../auth/current-auth.decorator';
import type { AuthContext } from '../auth/session.service';
import { AddPersonDto, CreateReplyDto, CreateTicketDto } from './dto/create-ticket.dto';
import { RequestFieldsDto, TicketDetailDto, TicketMessageDto } from './dto/ticket-detail.dto';
import { parseIdempotencyKey } from './idempotency';
import { RequestFieldsService } from './request-fields.service';
import { RequestsService } from './requests.service';
import { emailParam, TicketPeopleService } from './ticket-people.service';
import { TicketRateLimit } from './ticket-rate-limit.guard';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    '1–100 of A-Z a-z 0-9 _ - : . — the same key and body again answer the first result (200); the same key with another body is 422 IDEMPOTENCY_KEY_REUSED',
};
const NOT_FOUND = { description: 'TICKET_NOT_FOUND: no such ticket in this account' };

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class RequestsController {
  constructor(
    private readonly requests: RequestsService,
    private readonly fields: RequestFieldsService,
    private readonly people: TicketPeopleService,
  ) {}

  @Get('fields')
  @ApiOperation({ summary: "The request form's optional fields and their options (from HubSpot)" })
  @ApiOkResponse({ type: RequestFieldsDto })
  async requestFields(): Promise<RequestFieldsDto> {
    return { fields: await this.fields.fields() };
  }

  @Post()
  @TicketRateLimit('submit')
  @ApiOperation({
    summary: 'Submit a request: stored at once (syncState pending), sent to HubSpot by the worker',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({
    type: TicketDetailDto,
    description: 'New request (200 with the same body on a replay)',
  })
  @ApiBadRequestResponse({ description: 'A field is invalid; the message names it' })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  async submit(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: CreateTicketDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketDetailDto> {
    const answer = await this.requests.submit(auth.customerId, dto, parseIdempotencyKey(key));
    void reply.status(answer.created ? 201 : 200);
    return answer.body;
  }

  @Get(':id')
  @ApiOperation({ summary: "A ticket's page: list fields, description, options and the conversation" })
  @ApiOkResponse({ type: TicketDetailDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async detail(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<TicketDetailDto> {
    return this.requests.detail(auth.customerId, id);
  }

  @Post(':id/replies')
  @TicketRateLimit('reply')
  @ApiOperation({ summary: 'Reply on a ticket: shown at once, sent to HubSpot by the worker' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({
    type: TicketMessageDto,
    description: 'New reply (200 with the same body on a replay)',
  })
  @ApiBadRequestResponse({ description: 'body is missing, empty or too long' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  async reply(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() dto: CreateReplyDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketMessageDto> {
    const answer = await this.requests.reply(auth.customerId, id, dto, parseIdempotencyKey(key));
    void reply.status(answer.created ? 201 : 200);
    return answer.body;
  }

  @Post(':id/close')
  @TicketRateLimit('change')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the ticket (shown at once; closing a closed ticket changes nothing)' })
  @ApiOkResponse({ type: TicketDetailDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async close(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<TicketDetailDto> {
    return this.requests.setState(auth.customerId, id, 'close');
  }

  @Post(':id/reopen')
  @TicketRateLimit('change')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen the ticket (shown at once; reopening an open ticket changes nothing)' })
  @ApiOkResponse({ type: TicketDetailDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async reopen(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<TicketDetailDto> {
    return this.requests.setState(auth.customerId, id, 'reopen');
  }

  @Post(':id/people')
  @TicketRateLimit('change')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Put a colleague in copy: shown at once (syncState pending); the worker finds or creates the contact in HubSpot and associates it with the ticket',
  })
  @ApiOkResponse({ type: TicketDetailDto })
  @ApiBadRequestResponse({
    description: 'Not an email, your own email, or the ticket has 5 colleagues in copy',
  })
  @ApiNotFoundResponse(NOT_FOUND)
  async addPerson(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() dto: AddPersonDto,
  ): Promise<TicketDetailDto> {
    return this.people.add(auth.customerId, id, dto.email);
  }

  @Delete(':id/people/:email')
  @TicketRateLimit('change')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Take a colleague off the ticket (gone from the page at once; HubSpot follows through the outbox). Idempotent',
  })
  @ApiOkResponse({ type: TicketDetailDto })
  @ApiBadRequestResponse({ description: 'Not an email, or the ticket’s requester' })
  @ApiNotFoundResponse(NOT_FOUND)
  async removePerson(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Param('email') email: string,
  ): Promise<TicketDetailDto> {
    return this.people.remove(auth.customerId, id, emailParam(email));
  }

  @Post(':id/retry')
  @TicketRateLimit('change')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a request or replies HubSpot refused again' })
  @ApiOkResponse({ type: TicketDetailDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async retry(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<TicketDetailDto> {
    return this.requests.retry(auth.customerId, id);
  }
}
