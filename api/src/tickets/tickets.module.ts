import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { SyncHttpModule } from '../sync/sync.module';
import { TicketsController } from './tickets.controller';
import { TicketsListService } from './tickets-list.service';

@Module({
  imports: [CustomersModule, SyncHttpModule],
  controllers: [TicketsController],
  providers: [TicketsListService],
  exports: [TicketsListService],
})
export class TicketsModule {}
