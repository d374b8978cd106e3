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
