import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerKeeper } from '../common/redis/scheduler-keeper';
import { RequestJobName } from '../queues/queue.constants';
import { HubSpotStagesService } from './portal-stages.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import { RequestRelayService } from './request-relay.service';
import { FIELDS_SCHEDULER_ID, RELAY_SCHEDULER_ID } from './requests.queue';

/** How often the relay looks for outbox rows without a job (a crash between commit and enqueue). */
export const RELAY_EVERY_MS = 10_000;
const FIELDS_EVERY_MS = 10 * 60_000;

/** The worker's start for the requests queue: its schedulers, the stage check and a first relay. */
@Injectable()
export class RequestsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(RequestsScheduler.name);

  constructor(
    private readonly outbox: RequestOutboxQueue,
    private readonly relay: RequestRelayService,
    private readonly stages: HubSpotStagesService,
    private readonly keeper: SchedulerKeeper,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.keeper.register(
      this.outbox.queue,
      RELAY_SCHEDULER_ID,
      { every: RELAY_EVERY_MS },
      { name: RequestJobName.Relay, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
    );
    await this.keeper.register(
      this.outbox.queue,
      FIELDS_SCHEDULER_ID,
      { every: FIELDS_EVERY_MS },
      { name: RequestJobName.RefreshFields, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
    );
    // A Redis that came back empty lost every delivery job: the outbox in MySQL still has the rows.
    this.keeper.onRestore(() => this.relay.relay());
    // In the background: a HubSpot outage at start must not hold the worker up.
    void this.stages.check();
    void this.relay
      .relay()
      .catch((error: unknown) =>
        this.logger.warn(`First relay failed (${error instanceof Error ? error.message : String(error)})`),
      );
  }
}
