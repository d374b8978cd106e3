import {
  replyMove,
  resolvePortalStages,
  resolveReplyStages,
  type StagePipeline,
  targetStage,
} from './portal-stages';

const PIPELINES: StagePipeline[] = [
  {
    id: '7',
    label: 'Billing',
    displayOrder: 1,
    stages: [
      { id: '71', label: 'Open', displayOrder: 0, closed: false },
      { id: '72', label: 'Done', displayOrder: 1, closed: true },
    ],
  },
  {
    id: '0',
    label: 'Support Pipeline',
    displayOrder: 0,
    stages: [
      { id: '4', label: 'Closed', displayOrder: 3, closed: true },
      { id: '1', label: 'New', displayOrder: 0, closed: false },
      { id: '3', label: 'Waiting on us', displayOrder: 2, closed: false },
      { id: '2', label: 'Waiting on contact', displayOrder: 1, closed: false },
    ],
  },
];
const NONE = {
  portalPipelineId: undefined,
  portalNewStageId: undefined,
  portalClosedStageId: undefined,
  portalReopenStageId: undefined,
};

describe('resolvePortalStages', () => {
  it('should default to the first pipeline, its first open and first closed stage', () => {
    expect(resolvePortalStages(PIPELINES, NONE)).toEqual({
      ok: true,
      stages: { pipelineId: '0', newStageId: '1', closedStageId: '4', reopenStageId: '1' },
    });
  });

  it('should use the configured ids', () => {
    const resolved = resolvePortalStages(PIPELINES, {
      ...NONE,
      portalNewStageId: '3',
      portalReopenStageId: '3',
    });
    expect(resolved).toEqual({
      ok: true,
      stages: { pipelineId: '0', newStageId: '3', closedStageId: '4', reopenStageId: '3' },
    });
  });

  it('should name the variable that does not fit', () => {
    expect(resolvePortalStages(PIPELINES, { ...NONE, portalPipelineId: '9' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('PORTAL_PIPELINE_ID 9 is not a ticket pipeline'),
    });
    expect(resolvePortalStages(PIPELINES, { ...NONE, portalClosedStageId: '3' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('PORTAL_CLOSED_STAGE_ID 3 is an open stage'),
    });
    expect(resolvePortalStages(PIPELINES, { ...NONE, portalNewStageId: '99' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('PORTAL_NEW_STAGE_ID 99 is not a stage of pipeline 0'),
    });
    expect(resolvePortalStages([], NONE)).toEqual({ ok: false, problem: 'HubSpot has no ticket pipeline.' });
  });
});

describe('targetStage', () => {
  const portal = { pipelineId: '0', newStageId: '1', closedStageId: '4', reopenStageId: '3' };

  it("should use the configured stages in the portal's pipeline and the first fitting stage elsewhere", () => {
    expect(targetStage('0', 'close', portal, PIPELINES)).toEqual({ pipelineId: '0', stageId: '4' });
    expect(targetStage('0', 'reopen', portal, PIPELINES)).toEqual({ pipelineId: '0', stageId: '3' });
    expect(targetStage('7', 'close', portal, PIPELINES)).toEqual({ pipelineId: '7', stageId: '72' });
    expect(targetStage('7', 'reopen', portal, PIPELINES)).toEqual({ pipelineId: '7', stageId: '71' });
    expect(targetStage('8', 'close', portal, PIPELINES)).toBeNull();
  });
});

describe('resolveReplyStages', () => {
  const portal = { pipelineId: '0', newStageId: '1', closedStageId: '4', reopenStageId: '1' };
  const UNSET = { portalReplyStageId: undefined, portalAwaitingStageIds: null };

  it('should default to the first open stage and the stages labelled "waiting on contact/customer"', () => {
    const billing = {
      ...PIPELINES[0]!,
      stages: [
        ...PIPELINES[0]!.stages,
        { id: '73', label: 'Waiting on Customer', displayOrder: 2, closed: false },
      ],
    };
    expect(resolveReplyStages([billing, PIPELINES[1]!], portal, UNSET)).toEqual({
      ok: true,
      stages: { replyStageId: '1', awaitingStageIds: ['73', '2'] },
    });
  });

  it('should use the configured ids, none, and name the one that does not fit', () => {
    expect(
      resolveReplyStages(PIPELINES, portal, { portalReplyStageId: '3', portalAwaitingStageIds: ['71'] }),
    ).toEqual({
      ok: true,
      stages: { replyStageId: '3', awaitingStageIds: ['71'] },
    });
    expect(resolveReplyStages(PIPELINES, portal, { ...UNSET, portalAwaitingStageIds: [] })).toMatchObject({
      stages: { awaitingStageIds: [] },
    });
    expect(resolveReplyStages(PIPELINES, portal, { ...UNSET, portalReplyStageId: '4' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('PORTAL_REPLY_STAGE_ID 4 is a closed stage'),
    });
    expect(resolveReplyStages(PIPELINES, portal, { ...UNSET, portalReplyStageId: '71' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('PORTAL_REPLY_STAGE_ID 71 is not a stage of pipeline 0'),
    });
    expect(
      resolveReplyStages(PIPELINES, portal, { ...UNSET, portalAwaitingStageIds: ['2', '99'] }),
    ).toMatchObject({
      ok: false,
      problem: expect.stringContaining('PORTAL_AWAITING_STAGE_IDS 99 is not a stage of any ticket pipeline'),
    });
  });
});

describe('replyMove', () => {
  const portal = { pipelineId: '0', newStageId: '1', closedStageId: '4', reopenStageId: '1' };
  const reply = { replyStageId: '1', awaitingStageIds: ['2'] };

  it('should move a ticket waiting on the customer or closed, and leave the others', () => {
    expect(replyMove({ pipelineId: '0', stageId: '2' }, portal, reply, PIPELINES)).toEqual({
      from: { id: '2', label: 'Waiting on contact', closed: false },
      to: { id: '1', label: 'New' },
    });
    expect(replyMove({ pipelineId: '0', stageId: '4' }, portal, reply, PIPELINES).to).toEqual({
      id: '1',
      label: 'New',
    });
    expect(replyMove({ pipelineId: '0', stageId: '3' }, portal, reply, PIPELINES)).toEqual({
      from: { id: '3', label: 'Waiting on us', closed: false },
      to: null,
    });
    // Already in the reply stage, or a stage HubSpot does not list: nothing to do.
    expect(
      replyMove({ pipelineId: '0', stageId: '1' }, portal, { ...reply, awaitingStageIds: ['1'] }, PIPELINES)
        .to,
    ).toBeNull();
    expect(replyMove({ pipelineId: '0', stageId: '99' }, portal, reply, PIPELINES)).toEqual({
      from: null,
      to: null,
    });
  });

  it("should send a ticket of another pipeline to that pipeline's first open stage", () => {
    expect(replyMove({ pipelineId: '7', stageId: '72' }, portal, reply, PIPELINES).to).toEqual({
      id: '71',
      label: 'Open',
    });
  });
});
