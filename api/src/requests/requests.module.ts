import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AttachmentsHttpModule, AttachmentsWorkerModule } from '../attachments/attachments.module';
import { SchedulerKeeperModule } from '../common/redis/scheduler-keeper';
import { CustomersModule } from '../customers/customers.module';
import { RepositoriesModule } from '../repositories/repositories.module';
import { SyncHttpModule, SyncWorkerModule } from '../sync/sync.module';
import { TicketsModule } from '../tickets/tickets.module';
import { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { PortalController } from './portal.controller';
import { BatchSettlement } from './batch-settlement.service';
import { DeliveryGatherer } from './delivery-gatherer';
import { HubSpotStagesService, MirrorStagesService } from './portal-stages.service';
import { DeliveryRecordSteps } from './delivery-record-steps.service';
import { PeopleBatchDeliveryService } from './people-batch-delivery.service';
import { ReplyBatchDeliveryService } from './reply-batch-delivery.service';
import { RequestBatchDeliveryService } from './request-batch-delivery.service';
import { RequestDeliveryService } from './request-delivery.service';
import { ReplyFollowUpService } from './reply-follow-up.service';
import { RequestFieldsService } from './request-fields.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import { RequestsController } from './requests.controller';
import { RequestRelayService } from './request-relay.service';
import { RequestsProcessor } from './requests.processor';
import { RequestsScheduler } from './requests.scheduler';
import { StageBatchDeliveryService } from './stage-batch-delivery.service';
import { TicketPeopleService } from './ticket-people.service';
import { RequestsService } from './requests.service';
import { TicketViewService } from './ticket-view.service';
import { TicketRateLimitGuard } from './ticket-rate-limit.guard';
import { ThrottleService } from '../auth/throttle.service';
import { QueueName } from '../queues/queue.constants';

// Needs from the importing app what sync needs (TypeORM, BullMQ root, config, HubSpot, Redis).
const queue = BullModule.registerQueue({ name: QueueName.Requests });

/** For the HTTP process: the routes; writes rows + outbox and tells the queue. No processor. */
@Module({
  // TicketsModule: TicketVisibility, the one rule of who may see a ticket.
  imports: [queue, CustomersModule, SyncHttpModule, TicketsModule, RepositoriesModule, AttachmentsHttpModule],
  controllers: [RequestsController, PortalController],
  providers: [
    RequestsService,
    TicketPeopleService,
    ThrottleService,
    TicketRateLimitGuard,
    TicketViewService,
    RequestFieldsService,
    MirrorStagesService,
    RequestOutboxQueue,
    TicketScopeVersionService,
  ],
})
export class RequestsHttpModule {}

/** For the worker: delivery of outbox rows to HubSpot, the relay and the form options refresh. */
@Module({
  imports: [queue, SyncWorkerModule, SchedulerKeeperModule, RepositoriesModule, AttachmentsWorkerModule],
  providers: [
    RequestsProcessor,
    RequestsScheduler,
    RequestRelayService,
    RequestDeliveryService,
    RequestBatchDeliveryService,
    ReplyBatchDeliveryService,
    StageBatchDeliveryService,
    PeopleBatchDeliveryService,
    BatchSettlement,
    DeliveryRecordSteps,
    DeliveryGatherer,
    ReplyFollowUpService,
    RequestFieldsService,
    HubSpotStagesService,
    RequestOutboxQueue,
    TicketScopeVersionService,
  ],
  exports: [RequestDeliveryService],
})
export class RequestsWorkerModule {}
