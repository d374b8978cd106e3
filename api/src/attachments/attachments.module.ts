import { Module } from '@nestjs/common';
import { RepositoriesModule } from '../repositories/repositories.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AttachmentCleanupService } from './attachment-cleanup.service';
import { AttachmentDeliveryService } from './attachment-delivery.service';
import { AttachmentStore } from './attachment-store';
import { AttachmentUploadService } from './attachment-upload.service';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

// Needs from the importing app: TypeORM (DataSource), config, and the (global) HubSpot port.

/** For the HTTP process: uploads, downloads, and attaching files to requests and replies. */
@Module({
  // TicketsModule: TicketVisibility, the one rule of who may see a ticket (downloads ask it).
  imports: [RepositoriesModule, TicketsModule],
  controllers: [AttachmentsController],
  providers: [AttachmentStore, AttachmentUploadService, AttachmentsService],
  exports: [AttachmentsService],
})
export class AttachmentsHttpModule {}

/** For the worker: the files' way to HubSpot, and the cleanup of unused uploads. */
@Module({
  imports: [RepositoriesModule],
  providers: [AttachmentStore, AttachmentDeliveryService, AttachmentCleanupService],
  exports: [AttachmentDeliveryService, AttachmentCleanupService],
})
export class AttachmentsWorkerModule {}
