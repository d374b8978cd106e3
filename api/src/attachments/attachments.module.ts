import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { TicketAccessService } from '../requests/ticket-access.service';
import { AttachmentCleanupService } from './attachment-cleanup.service';
import { AttachmentDeliveryService } from './attachment-delivery.service';
import { AttachmentRepository } from './attachment.repository';
import { AttachmentStore } from './attachment-store';
import { AttachmentUploadService } from './attachment-upload.service';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

// Needs from the importing app: TypeORM (DataSource), config, and the (global) HubSpot port.

/** For the HTTP process: uploads, downloads, and attaching files to requests and replies. */
@Module({
  imports: [CustomersModule],
  controllers: [AttachmentsController],
  providers: [
    AttachmentRepository,
    AttachmentStore,
    AttachmentUploadService,
    AttachmentsService,
    TicketAccessService,
  ],
  exports: [AttachmentsService],
})
export class AttachmentsHttpModule {}

/** For the worker: the files' way to HubSpot, and the cleanup of unused uploads. */
@Module({
  providers: [AttachmentRepository, AttachmentStore, AttachmentDeliveryService, AttachmentCleanupService],
  exports: [AttachmentDeliveryService, AttachmentCleanupService],
})
export class AttachmentsWorkerModule {}
