import { Controller, Get, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentAuth } from '../auth/current-auth.decorator';
import type { AuthContext } from '../auth/session.service';
import { TicketEventsHub } from './ticket-events.hub';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketEventsController {
  constructor(private readonly hub: TicketEventsHub) {}

  @Get('events')
  // Helmet's page headers (CSP, frame options…) mean nothing on an event stream, and helmet sets them on
  // the raw response, where Node keeps them for as long as the stream stays open: ~1 KB on each of
  // thousands of streams. The hub writes the few headers a stream needs (docs/benchmarks.md, live).
  @RouteConfig({ helmet: { skipRoute: true } })
  @ApiOperation({
    summary: "Live changes to the signed-in customer's tickets (Server-Sent Events)",
    description:
      'Read it with fetch and the Authorization header (the token never goes in the URL). Events: ready, ' +
      'ticket, ticket-removed, message, conversation, counts, sync, resync, session-ended; see docs/api.md.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last event received: the stream resumes after it (or sends one resync)',
  })
  @ApiOkResponse({ description: 'An event stream that stays open', content: { 'text/event-stream': {} } })
  @ApiBadRequestResponse({ description: 'Last-Event-ID is not an id this stream sent' })
  @ApiServiceUnavailableResponse({ description: 'Live updates are briefly unavailable; connect again' })
  async events(
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.hub.open(auth, request, reply);
  }
}
