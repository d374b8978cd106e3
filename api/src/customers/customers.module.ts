import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONTACT_LINK_QUEUE, ContactLinkQueue } from './contact-link.queue';
import { CustomerScopeService } from './customer-scope.service';
import { Customer } from './customer.entity';
import { CustomersService } from './customers.service';

@Module({
  imports: [TypeOrmModule.forFeature([Customer]), BullModule.registerQueue({ name: CONTACT_LINK_QUEUE })],
  providers: [CustomersService, ContactLinkQueue, CustomerScopeService],
  exports: [TypeOrmModule, CustomersService, ContactLinkQueue, CustomerScopeService],
})
export class CustomersModule {}
