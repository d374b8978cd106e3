import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { PipelinesRepository } from '../repositories/pipelines.repository';
import { type StatusKind, statusOf } from '../tickets/ticket-status';
import {
  type PortalStages,
  type ReplyStages,
  resolvePortalStages,
  resolveReplyStages,
  type StagePipeline,
} from './portal-stages';

const MIRROR_TTL_MS = 30_000;
const HUBSPOT_TTL_MS = 60_000;

/** Pipelines and stages as the mirror has them (the API never asks HubSpot on a request path). */
@Injectable()
export class MirrorStagesService {
  private cached: { at: number; pipelines: StagePipeline[] } | null = null;

  constructor(
    private readonly pipelinesTable: PipelinesRepository,
    private readonly config: AppConfig,
  ) {}

  async pipelines(): Promise<StagePipeline[]> {
    if (this.cached && Date.now() - this.cached.at < MIRROR_TTL_MS) return this.cached.pipelines;
    const rows = await this.pipelinesTable.activeStages();
    const byId = new Map<string, StagePipeline>();
    for (const r of rows) {
      let p = byId.get(r.pipeline_id);
      if (!p) {
        p = {
          id: r.pipeline_id,
          label: r.pipeline_label,
          displayOrder: Number(r.pipeline_order),
          stages: [],
        };
        byId.set(p.id, p);
      }
      p.stages.push({
        id: r.id,
        label: r.label,
        displayOrder: Number(r.display_order),
        closed: r.ticket_state === 'CLOSED',
      });
    }
    const pipelines = [...byId.values()];
    this.cached = { at: Date.now(), pipelines };
    return pipelines;
  }

  /** The portal's stages per the mirror; null while the mirror has no pipelines or they do not fit. */
  async portalStages(): Promise<PortalStages | null> {
    const resolved = resolvePortalStages(await this.pipelines(), this.config);
    return resolved.ok ? resolved.stages : null;
  }

  /** A stage as a ticket row copies it: `label` and `kind` are what customers read (statusOf). */
  async stage(
    pipelineId: string,
    stageId: string,
  ): Promise<{ label: string; kind: StatusKind; displayOrder: number; closed: boolean } | null> {
    const pipeline = (await this.pipelines()).find((p) => p.id === pipelineId);
    const stage = pipeline?.stages.find((s) => s.id === stageId);
    if (!stage) return null;
    const shown = statusOf(
      { pipelineId, stageId, label: stage.label, closed: stage.closed },
      this.config.portalStatusLabels,
    );
    return { label: shown.label, kind: shown.kind, displayOrder: stage.displayOrder, closed: stage.closed };
  }
}

/** The worker's view: HubSpot's pipelines (cached a minute), checked against the configuration. */
@Injectable()
export class HubSpotStagesService {
  private readonly logger = new Logger(HubSpotStagesService.name);
  private cached: { at: number; pipelines: StagePipeline[] } | null = null;

  constructor(
    private readonly port: HubSpotPort,
    private readonly config: AppConfig,
  ) {}

  async pipelines(): Promise<StagePipeline[]> {
    if (this.cached && Date.now() - this.cached.at < HUBSPOT_TTL_MS) return this.cached.pipelines;
    const pipelines = (await this.port.getPipelines())
      .filter((p) => !p.archived)
      .map((p) => ({
        id: p.id,
        label: p.label,
        displayOrder: p.displayOrder,
        stages: p.stages.map((s) => ({
          id: s.id,
          label: s.label,
          displayOrder: s.displayOrder,
          closed: s.ticketState === 'CLOSED',
        })),
      }));
    this.cached = { at: Date.now(), pipelines };
    return pipelines;
  }

  /** Resolved stages, or a sentence naming the variable that does not fit HubSpot's pipelines. */
  async resolve(): Promise<{ ok: true; stages: PortalStages } | { ok: false; problem: string }> {
    return resolvePortalStages(await this.pipelines(), this.config);
  }

  /** The portal's stages and what a customer's reply does to a ticket's stage, or the setting that does not fit. */
  async resolveReply(
    fresh = false,
  ): Promise<
    | { ok: true; stages: PortalStages; reply: ReplyStages; pipelines: StagePipeline[] }
    | { ok: false; problem: string }
  > {
    if (fresh) this.cached = null;
    const pipelines = await this.pipelines();
    const portal = resolvePortalStages(pipelines, this.config);
    if (!portal.ok) return portal;
    const reply = resolveReplyStages(pipelines, portal.stages, this.config);
    if (!reply.ok) return reply;
    return { ok: true, stages: portal.stages, reply: reply.stages, pipelines };
  }

  /** Worker start: says clearly in the log whether the configured pipeline and stages exist. */
  async check(): Promise<void> {
    try {
      const resolved = await this.resolve();
      if (resolved.ok) {
        const s = resolved.stages;
        this.logger.log(
          `Portal requests go to pipeline ${s.pipelineId}, stage ${s.newStageId} (close: ${s.closedStageId}, reopen: ${s.reopenStageId})`,
        );
        const reply = await this.resolveReply();
        if (reply.ok) {
          const awaiting = reply.reply.awaitingStageIds;
          this.logger.log(
            `A customer reply moves tickets waiting on the customer (${awaiting.length > 0 ? `stages ${awaiting.join(', ')}` : 'no open stage'}) or closed to stage ${reply.reply.replyStageId}; owner tasks ${this.config.portalReplyTasks ? 'on' : 'off'}`,
          );
        } else {
          this.logger.error(`Portal reply settings do not fit HubSpot: ${reply.problem}`);
        }
      } else {
        this.logger.error(`Portal request settings do not fit HubSpot: ${resolved.problem}`);
      }
    } catch (error) {
      this.logger.warn(
        `Could not check the portal's pipeline settings against HubSpot yet (${error instanceof Error ? error.message : String(error)}); requests wait until HubSpot answers`,
      );
    }
  }
}
