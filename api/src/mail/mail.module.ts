import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueName } from '../queues/queue.constants';
import { MailQueue } from './mail-queue.service';
import { Mailer } from './mailer.service';

@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Mail })],
  providers: [MailQueue, Mailer],
  exports: [MailQueue, Mailer],
})
export class MailModule {}
