import { loadConfig } from '../config/app-config';
import { kindOf, parseStatusLabels, statusOf } from './ticket-status';

const stage = (label: string, closed = false, stageId = '9', pipelineId = '0') => ({
  pipelineId,
  stageId,
  label,
  closed,
});

describe(parseStatusLabels.name, () => {
  it('should read nothing when the setting is unset or blank', () => {
    expect(parseStatusLabels(undefined)).toEqual({ ok: true, rules: new Map() });
    expect(parseStatusLabels('  ')).toEqual({ ok: true, rules: new Map() });
  });

  it('should read stage=Label:kind entries, the kind optional and spaces tidied', () => {
    const parsed = parseStatusLabels(
      ' 2=Awaiting  your reply:awaiting_customer , 0/3=Being worked on ,5=Fresh:new',
    );
    expect(parsed).toEqual({
      ok: true,
      rules: new Map([
        ['2', { label: 'Awaiting your reply', kind: 'awaiting_customer' }],
        ['0/3', { label: 'Being worked on' }],
        ['5', { label: 'Fresh', kind: 'new' }],
      ]),
    });
  });

  it('should read the JSON form, where labels may hold commas and colons', () => {
    const parsed = parseStatusLabels(
      '{"2": "Your turn: reply, please", "3": {"label": "With us", "kind": "in_progress"}}',
    );
    expect(parsed).toEqual({
      ok: true,
      rules: new Map([
        ['2', { label: 'Your turn: reply, please' }],
        ['3', { label: 'With us', kind: 'in_progress' }],
      ]),
    });
  });

  it.each([
    ['2', /"2": write stage=Label or stage=Label:kind/],
    ['2=', /the label of stage 2 is empty/],
    ['2=Waiting:soon', /kind "soon" of stage 2 must be one of new, in_progress, awaiting_customer/],
    ['4=Done:closed', /kind closed comes from HubSpot/],
    ['2=A,2=B', /stage 2 is mapped twice/],
    ['a b=Label', /"a b" is not a stage id or pipelineId\/stageId/],
    [`2=${'x'.repeat(101)}`, /longer than 100 characters/],
    ['{"2": ', /is not valid JSON/],
    ['{"2": 5}', /"2": must be a label or \{"label"/],
    ['{"2": {"label": "A", "colour": "red"}}', /unknown field "colour"/],
  ])('should refuse %j with a message that says what to fix', (value, message) => {
    const parsed = parseStatusLabels(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join('\n')).toMatch(message);
  });

  it('should make the configuration fail at boot, naming the variable', () => {
    expect(() =>
      loadConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-test', PORTAL_STATUS_LABELS: '2=Waiting:soon' }),
    ).toThrow(/PORTAL_STATUS_LABELS: "2=Waiting:soon": kind "soon" of stage 2 must be one of/);
    const config = loadConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-test', PORTAL_STATUS_LABELS: '2=Your turn' });
    expect(config.portalStatusLabels.get('2')).toEqual({ label: 'Your turn' });
  });
});

describe(statusOf.name, () => {
  const none = new Map();

  it("should read HubSpot's default stages from the customer's side", () => {
    expect(statusOf(stage('New'), none)).toEqual({ label: 'New', kind: 'new' });
    expect(statusOf(stage('Waiting on contact'), none)).toEqual({
      label: 'Awaiting your reply',
      kind: 'awaiting_customer',
    });
    expect(statusOf(stage('waiting  on US'), none)).toEqual({ label: 'In progress', kind: 'in_progress' });
    expect(statusOf(stage('Closed', true), none)).toEqual({ label: 'Closed', kind: 'closed' });
    expect(statusOf(stage('Resolved', true), none)).toEqual({ label: 'Closed', kind: 'closed' });
    expect(statusOf(stage('Escalated to engineering'), none)).toEqual({
      label: 'Escalated to engineering',
      kind: 'in_progress',
    });
  });

  it("should take the operator's rule, pipeline-specific first, and keep the default kind when the rule has none", () => {
    const rules = new Map([
      ['9', { label: 'Any pipeline' }],
      ['1/9', { label: 'Pipeline one', kind: 'awaiting_customer' as const }],
    ]);
    expect(statusOf(stage('New', false, '9', '0'), rules)).toEqual({ label: 'Any pipeline', kind: 'new' });
    expect(statusOf(stage('New', false, '9', '1'), rules)).toEqual({
      label: 'Pipeline one',
      kind: 'awaiting_customer',
    });
  });

  it('should keep a closed stage closed whatever the rule says', () => {
    const rules = new Map([['9', { label: 'Solved', kind: 'in_progress' as const }]]);
    expect(statusOf(stage('Closed', true), rules)).toEqual({ label: 'Solved', kind: 'closed' });
  });
});

describe(kindOf.name, () => {
  it("should read a row's kind, and one from its state for rows without", () => {
    expect(kindOf('awaiting_customer', false)).toBe('awaiting_customer');
    expect(kindOf(null, false)).toBe('in_progress');
    expect(kindOf('awaiting_customer', true)).toBe('closed');
    expect(kindOf('bogus', false)).toBe('in_progress');
  });
});
