import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MAIL_QUEUE } from './mail-queue.constants';
import { MailQueue } from './mail-queue.service';
import { Mailer } from './mailer.service';

@Module({
  imports: [BullModule.registerQueue({ name: MAIL_QUEUE })],
  providers: [MailQueue, Mailer],
  exports: [MailQueue, Mailer],
})
export class MailModule {}
