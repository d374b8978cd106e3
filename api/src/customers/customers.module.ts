import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueName } from '../queues/queue.constants';
import { ContactLinkQueue } from './contact-link.queue';
import { CustomerScopeService } from './customer-scope.service';
import { Customer } from './customer.entity';
import { CustomersService } from './customers.service';

@Module({
  imports: [TypeOrmModule.forFeature([Customer]), BullModule.registerQueue({ name: QueueName.ContactLink })],
  providers: [CustomersService, ContactLinkQueue, CustomerScopeService],
  exports: [TypeOrmModule, CustomersService, ContactLinkQueue, CustomerScopeService],
})
export class CustomersModule {}
