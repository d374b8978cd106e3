import type { AppConfig } from '../config/app-config';

/** A pipeline as both processes see it (the worker from HubSpot, the API from the mirror). */
export interface StagePipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: Array<{ id: string; label: string; displayOrder: number; closed: boolean }>;
}

export interface PortalStages {
  pipelineId: string;
  newStageId: string;
  closedStageId: string;
  reopenStageId: string;
}

export type PortalStageConfig = Pick<
  AppConfig,
  'portalPipelineId' | 'portalNewStageId' | 'portalClosedStageId' | 'portalReopenStageId'
>;

/**
 * Where portal requests go: PORTAL_PIPELINE_ID (default: the first ticket pipeline), PORTAL_NEW_STAGE_ID
 * (default: its first open stage), PORTAL_CLOSED_STAGE_ID (default: its first closed stage),
 * PORTAL_REOPEN_STAGE_ID (default: the new stage). Answers a sentence naming the variable when the
 * configuration does not fit the pipelines HubSpot has.
 */
export function resolvePortalStages(
  pipelines: readonly StagePipeline[],
  config: PortalStageConfig,
): { ok: true; stages: PortalStages } | { ok: false; problem: string } {
  const sorted = [...pipelines].sort((a, b) => a.displayOrder - b.displayOrder);
  if (sorted.length === 0) return { ok: false, problem: 'HubSpot has no ticket pipeline.' };
  const pipeline = config.portalPipelineId
    ? sorted.find((p) => p.id === config.portalPipelineId)
    : sorted[0]!;
  if (!pipeline) {
    return {
      ok: false,
      problem: `PORTAL_PIPELINE_ID ${config.portalPipelineId} is not a ticket pipeline in HubSpot (pipelines: ${sorted.map((p) => `${p.id} "${p.label}"`).join(', ')}).`,
    };
  }
  const stages = [...pipeline.stages].sort((a, b) => a.displayOrder - b.displayOrder);
  const list = stages.map((s) => `${s.id} "${s.label}"${s.closed ? ' (closed)' : ''}`).join(', ');
  const pick = (
    name: string,
    configured: string | undefined,
    fallback: () => { id: string; closed: boolean } | undefined,
    wantClosed: boolean,
  ): string | { problem: string } => {
    const stage = configured ? stages.find((s) => s.id === configured) : fallback();
    if (!stage) {
      return configured
        ? { problem: `${name} ${configured} is not a stage of pipeline ${pipeline.id} (stages: ${list}).` }
        : { problem: `Pipeline ${pipeline.id} has no ${wantClosed ? 'closed' : 'open'} stage; set ${name}.` };
    }
    if (stage.closed !== wantClosed) {
      return {
        problem: `${name} ${stage.id} is ${stage.closed ? 'a closed' : 'an open'} stage; choose ${wantClosed ? 'a closed' : 'an open'} one (stages: ${list}).`,
      };
    }
    return stage.id;
  };
  const newStage = pick(
    'PORTAL_NEW_STAGE_ID',
    config.portalNewStageId,
    () => stages.find((s) => !s.closed),
    false,
  );
  if (typeof newStage !== 'string') return { ok: false, problem: newStage.problem };
  const closed = pick(
    'PORTAL_CLOSED_STAGE_ID',
    config.portalClosedStageId,
    () => stages.find((s) => s.closed),
    true,
  );
  if (typeof closed !== 'string') return { ok: false, problem: closed.problem };
  const reopen = pick(
    'PORTAL_REOPEN_STAGE_ID',
    config.portalReopenStageId,
    () => stages.find((s) => s.id === newStage),
    false,
  );
  if (typeof reopen !== 'string') return { ok: false, problem: reopen.problem };
  return {
    ok: true,
    stages: { pipelineId: pipeline.id, newStageId: newStage, closedStageId: closed, reopenStageId: reopen },
  };
}

/**
 * The stage a close or reopen moves a ticket to. Tickets of the portal's pipeline use the configured
 * stages; a ticket support moved to another pipeline uses that pipeline's first closed / open stage.
 */
export function targetStage(
  ticketPipelineId: string | null,
  action: 'close' | 'reopen',
  portal: PortalStages | null,
  pipelines: readonly StagePipeline[],
): { pipelineId: string; stageId: string } | null {
  const pipelineId = ticketPipelineId ?? portal?.pipelineId ?? null;
  if (pipelineId === null) return null;
  if (portal && pipelineId === portal.pipelineId) {
    return { pipelineId, stageId: action === 'close' ? portal.closedStageId : portal.reopenStageId };
  }
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  const stage = [...(pipeline?.stages ?? [])]
    .sort((a, b) => a.displayOrder - b.displayOrder)
    .find((s) => s.closed === (action === 'close'));
  return stage ? { pipelineId, stageId: stage.id } : null;
}

/** What a customer's reply does to the ticket's stage (issue 13). */
export interface ReplyStages {
  /** Where a reply moves a ticket of the portal's pipeline that waited on the customer or was closed. */
  replyStageId: string;
  /** Open stages that wait on the customer, in any pipeline (closed stages always count as well). */
  awaitingStageIds: string[];
}

export type ReplyStageConfig = Pick<AppConfig, 'portalReplyStageId' | 'portalAwaitingStageIds'>;

/** HubSpot's default pipeline calls it "Waiting on contact"; portals often rename it "… customer". */
export const AWAITING_LABEL = /waiting on (contact|customer)/i;

/**
 * PORTAL_REPLY_STAGE_ID (default: the portal pipeline's first open stage) and PORTAL_AWAITING_STAGE_IDS
 * (default: every stage whose label matches AWAITING_LABEL; `none`: no open stage) against HubSpot's
 * pipelines. Kept apart from resolvePortalStages so that a wrong reply setting never stops requests.
 */
export function resolveReplyStages(
  pipelines: readonly StagePipeline[],
  portal: PortalStages,
  config: ReplyStageConfig,
): { ok: true; stages: ReplyStages } | { ok: false; problem: string } {
  const pipeline = pipelines.find((p) => p.id === portal.pipelineId);
  const stages = [...(pipeline?.stages ?? [])].sort((a, b) => a.displayOrder - b.displayOrder);
  const list = stages.map((s) => `${s.id} "${s.label}"${s.closed ? ' (closed)' : ''}`).join(', ');
  let replyStageId: string;
  if (config.portalReplyStageId) {
    const stage = stages.find((s) => s.id === config.portalReplyStageId);
    if (!stage) {
      return {
        ok: false,
        problem: `PORTAL_REPLY_STAGE_ID ${config.portalReplyStageId} is not a stage of pipeline ${portal.pipelineId} (stages: ${list}).`,
      };
    }
    if (stage.closed) {
      return {
        ok: false,
        problem: `PORTAL_REPLY_STAGE_ID ${stage.id} is a closed stage; choose an open one (stages: ${list}).`,
      };
    }
    replyStageId = stage.id;
  } else {
    const first = stages.find((s) => !s.closed);
    if (!first) {
      return {
        ok: false,
        problem: `Pipeline ${portal.pipelineId} has no open stage; set PORTAL_REPLY_STAGE_ID.`,
      };
    }
    replyStageId = first.id;
  }
  const all = pipelines.flatMap((p) => p.stages);
  let awaitingStageIds: string[];
  if (config.portalAwaitingStageIds === null) {
    awaitingStageIds = all.filter((s) => !s.closed && AWAITING_LABEL.test(s.label)).map((s) => s.id);
  } else {
    const unknown = config.portalAwaitingStageIds.filter((id) => !all.some((s) => s.id === id));
    if (unknown.length > 0) {
      return {
        ok: false,
        problem: `PORTAL_AWAITING_STAGE_IDS ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a stage' : 'are not stages'} of any ticket pipeline (stages of pipeline ${portal.pipelineId}: ${list}).`,
      };
    }
    awaitingStageIds = [...config.portalAwaitingStageIds];
  }
  return { ok: true, stages: { replyStageId, awaitingStageIds } };
}

/**
 * Whether a customer's reply should move the ticket: it is in a closed stage, or in one that waits on
 * the customer. Answers what the ticket was in, for the task's wording, and where it goes.
 */
export function replyMove(
  ticket: { pipelineId: string | null; stageId: string | null },
  portal: PortalStages,
  reply: ReplyStages,
  pipelines: readonly StagePipeline[],
): {
  from: { id: string; label: string; closed: boolean } | null;
  to: { id: string; label: string } | null;
} {
  const pipeline = pipelines.find((p) => p.id === ticket.pipelineId);
  const stage = pipeline?.stages.find((s) => s.id === ticket.stageId);
  if (!pipeline || !stage) return { from: null, to: null };
  const from = { id: stage.id, label: stage.label, closed: stage.closed };
  if (!stage.closed && !reply.awaitingStageIds.includes(stage.id)) return { from, to: null };
  // A ticket support moved to another pipeline goes to that pipeline's first open stage.
  const target =
    pipeline.id === portal.pipelineId
      ? pipeline.stages.find((s) => s.id === reply.replyStageId)
      : [...pipeline.stages].sort((a, b) => a.displayOrder - b.displayOrder).find((s) => !s.closed);
  if (!target || target.id === stage.id) return { from, to: null };
  return { from, to: { id: target.id, label: target.label } };
}
