import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SchedulerKeeperModule } from '../common/redis/scheduler-keeper';
import { RepositoriesModule } from '../repositories/repositories.module';
import { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { BackfillService } from './backfill.service';
import { ContactLinkService } from './contact-link.service';
import { MirrorWriter } from './mirror-writer.service';
import { ReconcileService } from './reconcile.service';
import { ReferenceResolver } from './reference-resolver.service';
import { SyncJobHandlers } from './sync-job.handlers';
import { SyncBootstrap } from './sync-bootstrap.service';
import { SyncScheduler } from './sync-scheduler.service';
import { SyncState } from './sync-state.entity';
import { SyncStateStore } from './sync-state.store';
import { SyncStatusService } from './sync-status.service';
import { SyncRedis } from './sync-redis';
import { syncOptionsProvider } from './sync.options';
import { ConversationProcessor, ReconcileProcessor, RefreshProcessor } from './sync.processors';
import { SyncProducer } from './sync.producer';
import { SYNC_QUEUES } from './sync.queues';
import { TicketSyncService } from './ticket-sync.service';
import { WebhookController } from './webhook.controller';

// Needs from the importing app: TypeOrmModule.forRoot (SyncState among its entities), BullModule.forRoot (connection, prefix 'tp'), ConfigModule.forRoot (AppConfig, for
// SYNC_OPTIONS) and HubSpotModule.forRoot(Async) (global HubSpotPort).
const shared = {
  imports: [
    TypeOrmModule.forFeature([SyncState]),
    RepositoriesModule,
    ...SYNC_QUEUES.map((name) => BullModule.registerQueue({ name })),
  ],
  providers: [
    syncOptionsProvider,
    SyncRedis,
    SyncProducer,
    SyncStateStore,
    SyncStatusService,
    MirrorWriter,
    // On sync's own Redis connection: the sync modules boot without the app's global REDIS.
    {
      provide: TicketScopeVersionService,
      inject: [SyncRedis],
      useFactory: (redis: SyncRedis) => new TicketScopeVersionService(redis.client),
    },
    ReferenceResolver,
    ContactLinkService,
  ],
};

/**
 * For the HTTP process: the webhook endpoint, the producers, the sync status (health/metrics) and
 * account linking. No processors.
 */
@Module({
  imports: shared.imports,
  controllers: [WebhookController],
  providers: shared.providers,
  exports: [SyncProducer, SyncStatusService, ContactLinkService, MirrorWriter],
})
export class SyncHttpModule {}

/** For the worker process: the processors, the reconcile scheduler, backfill and the handlers. */
@Module({
  imports: [...shared.imports, SchedulerKeeperModule],
  providers: [
    ...shared.providers,
    TicketSyncService,
    ReconcileService,
    BackfillService,
    SyncJobHandlers,
    SyncScheduler,
    SyncBootstrap,
    RefreshProcessor,
    ConversationProcessor,
    ReconcileProcessor,
  ],
  exports: [
    SyncProducer,
    SyncStatusService,
    ContactLinkService,
    BackfillService,
    ReconcileService,
    SyncScheduler,
    SyncBootstrap,
    // requests (issue 6): the outbox worker mirrors HubSpot's answers and links contacts with these
    TicketSyncService,
    MirrorWriter,
  ],
})
export class SyncWorkerModule {}

/** For the backfill command: the backfill and what it writes with, without processors or schedulers. */
@Module({
  imports: shared.imports,
  providers: [...shared.providers, TicketSyncService, BackfillService],
  exports: [BackfillService, SyncStateStore],
})
export class SyncBackfillModule {}
