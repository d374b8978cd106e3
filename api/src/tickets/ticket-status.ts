// What customers read as a ticket's status (issue 13): HubSpot's stage names are written for support
// staff ("Waiting on contact" means the customer has to act), so the portal shows its own label and a
// `kind` per stage. A site operator maps stages with PORTAL_STATUS_LABELS; stages it leaves out read
// from HubSpot's default stage names. Pure: the config parses with it, and both processes resolve
// stages with the same rules.

export const STATUS_KINDS = ['new', 'in_progress', 'awaiting_customer', 'closed'] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

/** The kinds PORTAL_STATUS_LABELS may set: `closed` always follows HubSpot's ticket state. */
const SETTABLE_KINDS = ['new', 'in_progress', 'awaiting_customer'] as const;

/** One PORTAL_STATUS_LABELS entry: a stage (`stageId` or `pipelineId/stageId`), its label, its kind. */
export interface StatusLabelRule {
  label: string;
  /** Unset: the kind the stage's HubSpot name gives (statusOf). */
  kind?: Exclude<StatusKind, 'closed'>;
}

/** Rules by key: `pipelineId/stageId` (one pipeline's stage) or `stageId` (that id in any pipeline). */
export type StatusLabelRules = ReadonlyMap<string, StatusLabelRule>;

export interface ShownStatus {
  label: string;
  kind: StatusKind;
}

/** A stage as HubSpot describes it. */
export interface StageDescription {
  pipelineId: string;
  stageId: string;
  /** HubSpot's label. */
  label: string;
  /** HubSpot's metadata.ticketState is CLOSED. */
  closed: boolean;
}

export const STATUS_LABEL_MAX = 100;
const MAX_RULES = 500;
const KEY = /^[A-Za-z0-9_-]{1,32}(?:\/[A-Za-z0-9_-]{1,32})?$/;

// HubSpot's default ticket pipeline, read from the customer's side (lower-cased, spaces collapsed).
const DEFAULT_OPEN: Record<string, ShownStatus> = {
  new: { label: 'New', kind: 'new' },
  'waiting on contact': { label: 'Awaiting your reply', kind: 'awaiting_customer' },
  'waiting on us': { label: 'In progress', kind: 'in_progress' },
};

const fold = (label: string): string => label.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The customer's status of a stage: the operator's rule for it (by `pipelineId/stageId`, else by
 * `stageId`), else HubSpot's default names read from the customer's side — "New" → New (new),
 * "Waiting on contact" → Awaiting your reply (awaiting_customer), "Waiting on us" → In progress
 * (in_progress), any closed stage → Closed (closed), any other open stage → its HubSpot label
 * (in_progress). A closed stage is always of kind `closed`, whatever the rule, so the Closed filter,
 * the counts and the badges agree.
 */
export function statusOf(stage: StageDescription, rules: StatusLabelRules): ShownStatus {
  const rule = rules.get(`${stage.pipelineId}/${stage.stageId}`) ?? rules.get(stage.stageId);
  const fallback: ShownStatus = stage.closed
    ? { label: 'Closed', kind: 'closed' }
    : (DEFAULT_OPEN[fold(stage.label)] ?? {
        label: stage.label.trim() || 'Open',
        kind: 'in_progress',
      });
  if (!rule) return fallback;
  return {
    label: rule.label,
    kind: stage.closed
      ? 'closed'
      : (rule.kind ?? (fallback.kind === 'closed' ? 'in_progress' : fallback.kind)),
  };
}

/** A row's stored kind, or the one its open/closed state implies when it has none (rows before issue 13). */
export function kindOf(value: string | null | undefined, closed: boolean): StatusKind {
  if (closed) return 'closed';
  return value === 'new' || value === 'in_progress' || value === 'awaiting_customer' ? value : 'in_progress';
}

/**
 * Parses PORTAL_STATUS_LABELS. Either a list `stage=Label[:kind]` separated by commas (`2=Awaiting your
 * reply:awaiting_customer,3=In progress`), or a JSON object `{"stage": "Label"}` /
 * `{"stage": {"label": "Label", "kind": "new"}}` for labels with commas or colons. A stage is a
 * HubSpot stage id, or `pipelineId/stageId` for one pipeline's stage. Answers the rules, or one
 * sentence per problem, each saying what to fix.
 */
export function parseStatusLabels(
  value: string | undefined,
): { ok: true; rules: Map<string, StatusLabelRule> } | { ok: false; problems: string[] } {
  const rules = new Map<string, StatusLabelRule>();
  if (value === undefined || value.trim() === '') return { ok: true, rules };
  const problems: string[] = [];
  const entries: Array<{ key: string; label: unknown; kind: unknown; where: string }> = [];
  const text = value.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return {
        ok: false,
        problems: [`is not valid JSON (${error instanceof Error ? error.message : String(error)})`],
      };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return {
        ok: false,
        problems: ['must be a JSON object of stage ids, such as {"2": "Awaiting your reply"}'],
      };
    }
    for (const [key, entry] of Object.entries(parsed as Record<string, unknown>)) {
      const where = `"${key}"`;
      if (typeof entry === 'string') entries.push({ key, label: entry, kind: undefined, where });
      else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
        const { label, kind, ...rest } = entry as Record<string, unknown>;
        const extra = Object.keys(rest);
        if (extra.length > 0) {
          problems.push(
            `${where}: unknown field ${extra.map((k) => `"${k}"`).join(', ')}; use "label" and "kind"`,
          );
        }
        entries.push({ key, label, kind, where });
      } else {
        problems.push(`${where}: must be a label or {"label": "…", "kind": "…"}`);
      }
    }
  } else {
    for (const part of text.split(',')) {
      const item = part.trim();
      if (item === '') continue;
      const eq = item.indexOf('=');
      if (eq < 0) {
        problems.push(`"${item}": write stage=Label or stage=Label:kind`);
        continue;
      }
      const key = item.slice(0, eq).trim();
      const rest = item.slice(eq + 1);
      const colon = rest.lastIndexOf(':');
      const label = colon < 0 ? rest : rest.slice(0, colon);
      const kind = colon < 0 ? undefined : rest.slice(colon + 1).trim();
      entries.push({ key, label, kind, where: `"${item}"` });
    }
  }
  if (entries.length > MAX_RULES) {
    problems.push(`has ${entries.length} stages; at most ${MAX_RULES} are allowed`);
  }
  for (const { key, label, kind, where } of entries) {
    if (!KEY.test(key)) {
      problems.push(`${where}: "${key}" is not a stage id or pipelineId/stageId (letters, digits, _ or -)`);
      continue;
    }
    if (rules.has(key)) {
      problems.push(`${where}: stage ${key} is mapped twice`);
      continue;
    }
    const shown = typeof label === 'string' ? label.trim().replace(/\s+/g, ' ') : '';
    if (shown === '') {
      problems.push(`${where}: the label of stage ${key} is empty`);
      continue;
    }
    if (Array.from(shown).length > STATUS_LABEL_MAX) {
      problems.push(`${where}: the label of stage ${key} is longer than ${STATUS_LABEL_MAX} characters`);
      continue;
    }
    if (kind === undefined || kind === '') {
      rules.set(key, { label: shown });
      continue;
    }
    if (kind === 'closed') {
      problems.push(
        `${where}: kind closed comes from HubSpot (a stage HubSpot marks closed is always closed); use ${SETTABLE_KINDS.join(', ')} or leave the kind out`,
      );
      continue;
    }
    if (typeof kind !== 'string' || !(SETTABLE_KINDS as readonly string[]).includes(kind)) {
      problems.push(
        `${where}: kind ${JSON.stringify(kind)} of stage ${key} must be one of ${SETTABLE_KINDS.join(', ')} (a label with "," or ":" needs the JSON form)`,
      );
      continue;
    }
    rules.set(key, { label: shown, kind: kind as StatusLabelRule['kind'] });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}
