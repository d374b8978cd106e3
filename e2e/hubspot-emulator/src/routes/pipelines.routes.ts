import { notFound } from '../errors';
import { json, type Ctx, type Router } from '../http';
import { iso, type Pipeline, type PipelineStage, type Store } from '../store';

const stageOut = (s: PipelineStage) => ({
  id: s.id,
  label: s.label,
  displayOrder: s.displayOrder,
  metadata: s.metadata,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
  archived: s.archived,
  writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
});

const pipelineOut = (p: Pipeline) => ({
  id: p.id,
  label: p.label,
  displayOrder: p.displayOrder,
  stages: p.stages.filter((s) => !s.archived).map(stageOut),
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
  archived: p.archived,
});

function pipelinesFor(store: Store, ctx: Ctx): Pipeline[] {
  const t = (ctx.params.objectType ?? '').toLowerCase();
  if (t === 'tickets' || t === 'ticket' || t === '0-5') return store.pipelines;
  // The emulator only models ticket pipelines; other object types have none.
  if (['deals', 'deal', '0-3'].includes(t)) return [];
  throw notFound(`Unable to infer object type from: ${ctx.params.objectType}`);
}

export function registerPipelineRoutes(router: Router, store: Store): void {
  router.add('GET', '/crm/v3/pipelines/:objectType', (ctx) =>
    json(200, {
      results: pipelinesFor(store, ctx)
        .filter((p) => !p.archived)
        .map(pipelineOut),
    }),
  );
  router.add('GET', '/crm/v3/pipelines/:objectType/:pipelineId', (ctx) => {
    const p = pipelinesFor(store, ctx).find((x) => x.id === ctx.params.pipelineId && !x.archived);
    if (!p) throw notFound(`Unable to find pipeline ${ctx.params.pipelineId}`);
    return json(200, pipelineOut(p));
  });
  router.add('GET', '/crm/v3/pipelines/:objectType/:pipelineId/stages', (ctx) => {
    const p = pipelinesFor(store, ctx).find((x) => x.id === ctx.params.pipelineId && !x.archived);
    if (!p) throw notFound(`Unable to find pipeline ${ctx.params.pipelineId}`);
    return json(200, { results: p.stages.filter((s) => !s.archived).map(stageOut) });
  });
  router.add('GET', '/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId', (ctx) => {
    const p = pipelinesFor(store, ctx).find((x) => x.id === ctx.params.pipelineId && !x.archived);
    const s = p?.stages.find((x) => x.id === ctx.params.stageId && !x.archived);
    if (!s) throw notFound(`Unable to find stage ${ctx.params.stageId} in pipeline ${ctx.params.pipelineId}`);
    return json(200, stageOut(s));
  });
}
