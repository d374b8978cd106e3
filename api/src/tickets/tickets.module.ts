import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { SyncHttpModule } from '../sync/sync.module';
import { TicketsController } from './tickets.controller';
import { TicketsListService } from './tickets-list.service';
import { TicketScopeVersionService } from './ticket-scope-version.service';
import { TicketSearchService } from './ticket-search.service';

@Module({
  imports: [CustomersModule, SyncHttpModule],
  controllers: [TicketsController],
  providers: [TicketsListService, TicketScopeVersionService, TicketSearchService],
  exports: [TicketsListService, TicketScopeVersionService],
})
export class TicketsModule {}
