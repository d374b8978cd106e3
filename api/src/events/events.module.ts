import { Module } from '@nestjs/common';
import { AuthCoreModule } from '../auth/auth-core.module';
import { CustomersModule } from '../customers/customers.module';
import { RepositoriesModule } from '../repositories/repositories.module';
import { SyncHttpModule } from '../sync/sync.module';
import { TicketsModule } from '../tickets/tickets.module';
import { TicketEventsController } from './ticket-events.controller';
import { TicketEventsHub } from './ticket-events.hub';

/**
 * GET tickets/events for the HTTP process (ADR 0009). Writers append to the change stream through
 * TicketScopeVersionService.bump; this module only reads it. Shutting the app down ends every stream
 * with a retry hint (TicketEventsHub.beforeApplicationShutdown).
 */
@Module({
  imports: [AuthCoreModule, CustomersModule, SyncHttpModule, TicketsModule, RepositoriesModule],
  controllers: [TicketEventsController],
  providers: [TicketEventsHub],
  exports: [TicketEventsHub],
})
export class EventsModule {}
