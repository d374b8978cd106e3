import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { RepositoriesModule } from '../repositories/repositories.module';
import { SyncHttpModule } from '../sync/sync.module';
import { TicketsController } from './tickets.controller';
import { TicketsListService } from './tickets-list.service';
import { TicketScopeVersionService } from './ticket-scope-version.service';
import { TicketSearchService } from './ticket-search.service';
import { TicketVisibility } from './ticket-visibility.service';

@Module({
  imports: [CustomersModule, SyncHttpModule, RepositoriesModule],
  controllers: [TicketsController],
  providers: [TicketsListService, TicketScopeVersionService, TicketSearchService, TicketVisibility],
  exports: [TicketsListService, TicketScopeVersionService, TicketVisibility],
})
export class TicketsModule {}
