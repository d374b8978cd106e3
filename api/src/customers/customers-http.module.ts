import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { CustomersModule } from './customers.module';
import { MeController } from './me.controller';

// TicketsModule: GET /me says which list filters the customer's visibility rule offers.
@Module({ imports: [CustomersModule, TicketsModule], controllers: [MeController] })
export class CustomersHttpModule {}
