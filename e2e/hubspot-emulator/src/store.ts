import { associationDefinition, type AssociationDefinition } from './associations-schema';
import {
  DEFAULT_PIPELINE_ID,
  OBJECT_TYPES,
  STAGE_CLOSED,
  STAGE_NEW,
  STAGE_WAITING_ON_CONTACT,
  STAGE_WAITING_ON_US,
  type ObjectType,
} from './constants';
import {
  deriveTaskChanges,
  engagementActivity,
  fillEmailHeaderProps,
  fillTaskDefaults,
} from './derived-properties';
import { FileStore } from './files';
import {
  CREATE_DATE_PROPERTY,
  MODIFIED_DATE_PROPERTY,
  propertyDefinition,
  propertyDefinitions,
  type PropertyDefinition,
} from './property-definitions';

export type ChangeSource = 'API' | 'CRM_UI' | 'IMPORT';

export interface CrmRecord {
  id: string;
  type: ObjectType;
  /** Only non-empty values are stored; a defined property without a value reads as null. */
  props: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
  /** toObjectType → toObjectId → association type ids, in the order they were made. */
  assoc: Partial<Record<ObjectType, Map<string, number[]>>>;
  /** Search-index lag: what search sees until `visibleAt` (null snapshot = not indexed yet). */
  indexed?: { snapshot: SearchView | null; visibleAt: number };
}

export interface SearchView {
  props: Record<string, string>;
  archived: boolean;
}

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  type: 'PERSON' | 'QUEUE';
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
}

export type ChangeEvent =
  | {
      kind: 'creation';
      objectType: ObjectType;
      objectId: string;
      occurredAt: number;
      changeSource: ChangeSource;
    }
  | {
      kind: 'deletion';
      objectType: ObjectType;
      objectId: string;
      occurredAt: number;
      changeSource: ChangeSource;
    }
  | {
      kind: 'propertyChange';
      objectType: ObjectType;
      objectId: string;
      propertyName: string;
      propertyValue: string;
      occurredAt: number;
      changeSource: ChangeSource;
    }
  | {
      kind: 'associationChange';
      objectType: ObjectType;
      objectId: string;
      toObjectType: ObjectType;
      toObjectId: string;
      associationTypeId: number;
      primary: boolean;
      removed: boolean;
      occurredAt: number;
      changeSource: ChangeSource;
    };

export interface WriteOptions {
  source?: ChangeSource;
  /** When the change happened (epoch ms); defaults to now. */
  at?: number;
  /** Suppress change events (seeding). */
  silent?: boolean;
}

/** First id per object type, so ids look like HubSpot's and never collide across types. */
const ID_BASE: Record<ObjectType, number> = {
  contacts: 100_000,
  companies: 4_300_000_000,
  tickets: 1_100_000_000,
  emails: 50_000_000_000,
  notes: 60_000_000_000,
  tasks: 70_000_000_000,
};

export function defaultTicketPipeline(): Pipeline {
  const stage = (
    id: string,
    label: string,
    displayOrder: number,
    state: 'OPEN' | 'CLOSED',
  ): PipelineStage => ({
    id,
    label,
    displayOrder,
    metadata: { ticketState: state, isClosed: state === 'CLOSED' ? 'true' : 'false' },
    createdAt: 0,
    updatedAt: 0,
    archived: false,
  });
  return {
    id: DEFAULT_PIPELINE_ID,
    label: 'Support Pipeline',
    displayOrder: 0,
    createdAt: 0,
    updatedAt: 0,
    archived: false,
    stages: [
      stage(STAGE_NEW, 'New', 0, 'OPEN'),
      stage(STAGE_WAITING_ON_CONTACT, 'Waiting on contact', 1, 'OPEN'),
      stage(STAGE_WAITING_ON_US, 'Waiting on us', 2, 'OPEN'),
      stage(STAGE_CLOSED, 'Closed', 3, 'CLOSED'),
    ],
  };
}

const DAY_MS = 86_400_000;
const dayPrefix = new Map<number, string>();
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * ISO-8601 UTC with milliseconds, as HubSpot writes timestamps. Formats by hand with a per-day
 * cache: seeding 100 k tickets makes about a million of these.
 */
export function iso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefix.size < 50_000) dayPrefix.set(day, prefix);
  }
  let r = ms - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  // join() yields a flat string; a template literal would keep a rope (more memory per value)
  return [prefix, pad(h, 2), ':', pad(m, 2), ':', pad(s, 2), '.', pad(r - s * 1000, 3), 'Z'].join('');
}

/** All emulator state: CRM records, associations, pipelines and owners. */
export class Store {
  readonly records: Record<ObjectType, Map<string, CrmRecord>>;
  /** Records per type in id order (ids only grow), for id-cursor paging. */
  readonly ordered: Record<ObjectType, CrmRecord[]>;
  pipelines: Pipeline[] = [defaultTicketPipeline()];
  owners: Owner[] = [];
  readonly threadByTicket = new Map<string, string>();
  nextThreadId = 8_000_000_000;
  private counters: Record<ObjectType, number>;
  private readonly emailIndex = new Map<string, string>();
  private readonly uniqueIndex = new Map<string, { version: number; byValue: Map<string, CrmRecord> }>();
  private readonly listeners: ((e: ChangeEvent) => void)[] = [];
  searchLagMs = 0;
  /** Properties created through POST /crm/v3/properties/{objectType}. */
  readonly customProperties = new Map<ObjectType, Map<string, PropertyDefinition>>();
  /** Bumped on every write; the state file saver watches it. */
  version = 0;
  /** The file manager (Files API v3). */
  readonly files: FileStore;

  constructor(readonly now: () => number = Date.now) {
    this.files = new FileStore(now, () => {
      this.version += 1;
    });
    this.records = Object.fromEntries(OBJECT_TYPES.map((t) => [t, new Map()])) as Store['records'];
    this.ordered = Object.fromEntries(OBJECT_TYPES.map((t) => [t, []])) as unknown as Store['ordered'];
    this.counters = { ...ID_BASE };
  }

  /** HubSpot-defined or custom property definition. */
  propertyDef(type: ObjectType, name: string): PropertyDefinition | undefined {
    return propertyDefinition(type, name) ?? this.customProperties.get(type)?.get(name);
  }

  propertyDefs(type: ObjectType): PropertyDefinition[] {
    return [...propertyDefinitions(type), ...(this.customProperties.get(type)?.values() ?? [])];
  }

  addCustomProperty(type: ObjectType, def: PropertyDefinition): void {
    let m = this.customProperties.get(type);
    if (!m) {
      m = new Map();
      this.customProperties.set(type, m);
    }
    m.set(def.name, def);
    this.version += 1;
  }

  /**
   * The live record holding `value` in a unique-value property, if any. The value → record map is
   * built once per store version, so the lookups of one batch request scan the records once.
   */
  findByUniqueValue(type: ObjectType, name: string, value: string): CrmRecord | undefined {
    const key = `${type}.${name}`;
    let index = this.uniqueIndex.get(key);
    if (!index || index.version !== this.version) {
      const byValue = new Map<string, CrmRecord>();
      for (const rec of this.ordered[type]) {
        const v = rec.props[name];
        if (!rec.archived && v !== undefined && !byValue.has(v)) byValue.set(v, rec);
      }
      index = { version: this.version, byValue };
      this.uniqueIndex.set(key, index);
    }
    return index.byValue.get(value);
  }

  onChange(listener: (e: ChangeEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(e: ChangeEvent, opts: WriteOptions): void {
    if (opts.silent) return;
    for (const l of this.listeners) l(e);
  }

  nextId(type: ObjectType): string {
    this.counters[type] += 1;
    return String(this.counters[type]);
  }

  get(type: ObjectType, id: string, includeArchived = false): CrmRecord | undefined {
    const rec = this.records[type].get(id);
    if (!rec || (rec.archived && !includeArchived)) return undefined;
    return rec;
  }

  contactByEmail(email: string): CrmRecord | undefined {
    const id = this.emailIndex.get(email.toLowerCase());
    return id === undefined ? undefined : this.get('contacts', id);
  }

  // ---- pipelines and owners ----

  pipeline(id: string): Pipeline | undefined {
    return this.pipelines.find((p) => p.id === id && !p.archived);
  }

  stage(pipelineId: string, stageId: string): PipelineStage | undefined {
    return this.pipeline(pipelineId)?.stages.find((s) => s.id === stageId && !s.archived);
  }

  owner(id: string, includeArchived = false): Owner | undefined {
    return this.owners.find((o) => o.id === id && (includeArchived || !o.archived));
  }

  // ---- writes ----

  /** Creates a record with already-validated properties and fills HubSpot's system properties. */
  create(type: ObjectType, input: Record<string, string>, opts: WriteOptions = {}): CrmRecord {
    const at = opts.at ?? this.now();
    const id = this.nextId(type);
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries(input)) if (v !== '') props[k] = v;
    const createdIso = props[CREATE_DATE_PROPERTY[type]] ?? iso(at);
    const createdAt = Date.parse(createdIso);
    props[CREATE_DATE_PROPERTY[type]] = createdIso;
    props[MODIFIED_DATE_PROPERTY[type]] = iso(at);
    props.hs_object_id = id;
    if (type === 'tickets') this.fillTicketDefaults(props, id, createdAt, at, opts.source ?? 'API');
    if (type === 'emails') fillEmailHeaderProps(props);
    if (type === 'tasks') fillTaskDefaults(props, at);
    const rec: CrmRecord = {
      id,
      type,
      props,
      createdAt,
      updatedAt: at,
      archived: false,
      archivedAt: null,
      assoc: {},
    };
    this.insert(rec);
    this.markIndexed(rec, null, at);
    this.emit(
      {
        kind: 'creation',
        objectType: type,
        objectId: id,
        occurredAt: at,
        changeSource: opts.source ?? 'API',
      },
      opts,
    );
    for (const [name, value] of Object.entries(props)) {
      if (type === 'tickets' && WEBHOOK_IGNORED_PROPERTIES.has(name)) continue;
      this.emit(
        {
          kind: 'propertyChange',
          objectType: type,
          objectId: id,
          propertyName: name,
          propertyValue: value,
          occurredAt: at,
          changeSource: opts.source ?? 'API',
        },
        opts,
      );
    }
    return rec;
  }

  /** Inserts a fully built record (seed and state-file loading). */
  insert(rec: CrmRecord): void {
    this.records[rec.type].set(rec.id, rec);
    this.ordered[rec.type].push(rec);
    const n = Number(rec.id);
    if (n > this.counters[rec.type]) this.counters[rec.type] = n;
    if (rec.type === 'contacts' && rec.props.email) {
      this.emailIndex.set(rec.props.email.toLowerCase(), rec.id);
    }
    this.version += 1;
  }

  private fillTicketDefaults(
    props: Record<string, string>,
    id: string,
    createdAt: number,
    at: number,
    source: ChangeSource,
  ): void {
    props.hs_ticket_id = id;
    props.hs_pipeline ??= DEFAULT_PIPELINE_ID;
    props.hs_pipeline_stage ??= this.pipeline(props.hs_pipeline)?.stages[0]?.id ?? STAGE_NEW;
    props.hs_helpdesk_sort_timestamp ??= iso(createdAt);
    props.hs_last_message_from_visitor ??= 'false';
    props.hs_object_source ??= source === 'CRM_UI' ? 'CRM_UI' : 'API';
    props.hs_object_source_label ??= source === 'CRM_UI' ? 'CRM_UI' : 'INTERNAL_PROCESSING';
    props.num_notes ??= '0';
    props.hs_is_closed = 'false';
    if (props.hubspot_owner_id) props.hubspot_owner_assigneddate = iso(at);
    if (this.stage(props.hs_pipeline, props.hs_pipeline_stage)?.metadata.ticketState === 'CLOSED') {
      props.hs_is_closed = 'true';
      props.closed_date ??= iso(at);
      props.hs_last_closed_date = props.closed_date;
      props.time_to_close = String(Math.max(0, Date.parse(props.closed_date) - createdAt));
    }
  }

  /**
   * Applies validated changes (empty string clears) and HubSpot's derived properties; returns the
   * names whose value changed.
   */
  update(rec: CrmRecord, changes: Record<string, string>, opts: WriteOptions = {}): string[] {
    const at = opts.at ?? this.now();
    const before = this.snapshot(rec);
    const next: Record<string, string> = { ...changes };
    if (rec.type === 'tickets') this.deriveTicketChanges(rec, next, at);
    if (rec.type === 'emails' && next.hs_email_headers !== undefined) fillEmailHeaderProps(next);
    if (rec.type === 'tasks') deriveTaskChanges(rec, next, at);
    const changed: string[] = [];
    for (const [name, value] of Object.entries(next)) {
      const old = rec.props[name] ?? '';
      if (old === value) continue;
      if (value === '') delete rec.props[name];
      else rec.props[name] = value;
      if (name === 'email' && rec.type === 'contacts') {
        if (old) this.emailIndex.delete(old.toLowerCase());
        if (value) this.emailIndex.set(value.toLowerCase(), rec.id);
      }
      changed.push(name);
    }
    // HubSpot bumps the modification date on every accepted write, even one that changes nothing.
    rec.props[MODIFIED_DATE_PROPERTY[rec.type]] = iso(at);
    rec.updatedAt = at;
    this.version += 1;
    this.markIndexed(rec, before, at);
    for (const name of changed) {
      if (rec.type === 'tickets' && WEBHOOK_IGNORED_PROPERTIES.has(name)) continue;
      this.emit(
        {
          kind: 'propertyChange',
          objectType: rec.type,
          objectId: rec.id,
          propertyName: name,
          propertyValue: rec.props[name] ?? '',
          occurredAt: at,
          changeSource: opts.source ?? 'API',
        },
        opts,
      );
    }
    return changed;
  }

  private deriveTicketChanges(rec: CrmRecord, next: Record<string, string>, at: number): void {
    const pipelineId = next.hs_pipeline ?? rec.props.hs_pipeline ?? DEFAULT_PIPELINE_ID;
    const stageId = next.hs_pipeline_stage ?? rec.props.hs_pipeline_stage ?? STAGE_NEW;
    const stageChanged = stageId !== rec.props.hs_pipeline_stage || pipelineId !== rec.props.hs_pipeline;
    if (stageChanged) {
      const wasClosed = rec.props.hs_is_closed === 'true';
      const nowClosed = this.stage(pipelineId, stageId)?.metadata.ticketState === 'CLOSED';
      next.hs_lastactivitydate = iso(at);
      if (nowClosed && !wasClosed) {
        next.closed_date ??= iso(at);
        next.hs_is_closed = 'true';
        next.hs_last_closed_date = next.closed_date;
        next.time_to_close = String(Math.max(0, Date.parse(next.closed_date) - rec.createdAt));
      } else if (!nowClosed && wasClosed) {
        next.hs_is_closed = 'false';
        next.hs_ticket_reopened_at = iso(at);
        next.closed_date ??= '';
        next.time_to_close ??= '';
      }
    }
    if (next.hubspot_owner_id !== undefined && next.hubspot_owner_id !== (rec.props.hubspot_owner_id ?? '')) {
      next.hubspot_owner_assigneddate = next.hubspot_owner_id === '' ? '' : iso(at);
    }
  }

  archive(rec: CrmRecord, opts: WriteOptions = {}): void {
    if (rec.archived) return;
    const at = opts.at ?? this.now();
    const before = this.snapshot(rec);
    rec.archived = true;
    rec.archivedAt = at;
    rec.updatedAt = at;
    this.version += 1;
    this.markIndexed(rec, before, at);
    if (rec.type === 'contacts' && rec.props.email) this.emailIndex.delete(rec.props.email.toLowerCase());
    this.emit(
      {
        kind: 'deletion',
        objectType: rec.type,
        objectId: rec.id,
        occurredAt: at,
        changeSource: opts.source ?? 'API',
      },
      opts,
    );
  }

  // ---- associations ----

  /**
   * Associates two records with a HubSpot-defined type (and its inverse). A primary label also adds
   * the unlabeled association and takes the primary flag from any other record, as HubSpot does.
   * Returns false when it already existed.
   */
  associate(from: CrmRecord, to: CrmRecord, def: AssociationDefinition, opts: WriteOptions = {}): boolean {
    const at = opts.at ?? this.now();
    let added = false;
    if (def.primary) {
      const unlabeled = ASSOCIATION_UNLABELED[def.typeId];
      const unlabeledDef = unlabeled === undefined ? undefined : associationDefinition(unlabeled);
      if (unlabeledDef) added = this.associate(from, to, unlabeledDef, opts) || added;
      // only one primary per record: drop the flag from the previous primary
      const current = from.assoc[def.to];
      if (current) {
        for (const [otherId, types] of current) {
          if (otherId !== to.id && types.includes(def.typeId)) {
            const other = this.get(def.to, otherId, true);
            if (other) this.dissociateTypes(from, other, [def.typeId], opts);
          }
        }
      }
    }
    if (this.link(from, to, def.typeId)) {
      this.link(to, from, def.inverseTypeId);
      added = true;
      this.version += 1;
      this.emitAssociation(from, to, def, false, at, opts);
      this.afterAssociated(from, to, opts);
    }
    return added;
  }

  /** Removes the given type ids (and inverses) between two records; all types when omitted. */
  dissociateTypes(from: CrmRecord, to: CrmRecord, typeIds?: number[], opts: WriteOptions = {}): number {
    const at = opts.at ?? this.now();
    const existing = from.assoc[to.type]?.get(to.id) ?? [];
    const removing = typeIds ? existing.filter((t) => typeIds.includes(t)) : [...existing];
    for (const typeId of removing) {
      const def = associationDefinition(typeId);
      if (!def) continue;
      this.unlink(from, to, typeId);
      this.unlink(to, from, def.inverseTypeId);
      this.version += 1;
      this.emitAssociation(from, to, def, true, at, opts);
    }
    return removing.length;
  }

  /** Links two records both ways without events or side effects (seeding, state loading). */
  linkQuietly(from: CrmRecord, to: CrmRecord, typeId: number, inverseTypeId: number): void {
    this.link(from, to, typeId);
    this.link(to, from, inverseTypeId);
  }

  associatedIds(rec: CrmRecord, toType: ObjectType): string[] {
    const m = rec.assoc[toType];
    if (!m) return [];
    const out: string[] = [];
    for (const id of m.keys()) if (this.get(toType, id)) out.push(id);
    return out;
  }

  private link(from: CrmRecord, to: CrmRecord, typeId: number): boolean {
    let m = from.assoc[to.type];
    if (!m) {
      m = new Map();
      from.assoc[to.type] = m;
    }
    const types = m.get(to.id);
    if (!types) {
      m.set(to.id, singleType(typeId));
      return true;
    }
    if (types.includes(typeId)) return false;
    // arrays may be shared (see singleType), so never mutate them in place
    m.set(to.id, [...types, typeId]);
    return true;
  }

  private unlink(from: CrmRecord, to: CrmRecord, typeId: number): void {
    const m = from.assoc[to.type];
    const types = m?.get(to.id);
    if (!m || !types) return;
    const left = types.filter((t) => t !== typeId);
    if (left.length === 0) m.delete(to.id);
    else m.set(to.id, left);
  }

  private emitAssociation(
    from: CrmRecord,
    to: CrmRecord,
    def: AssociationDefinition,
    removed: boolean,
    at: number,
    opts: WriteOptions,
  ): void {
    const source = opts.source ?? 'API';
    // HubSpot reports the change from both sides.
    for (const [a, b, typeId] of [
      [from, to, def.typeId],
      [to, from, def.inverseTypeId],
    ] as const) {
      this.emit(
        {
          kind: 'associationChange',
          objectType: a.type,
          objectId: a.id,
          toObjectType: b.type,
          toObjectId: b.id,
          associationTypeId: typeId,
          primary: def.primary,
          removed,
          occurredAt: at,
          changeSource: source,
        },
        opts,
      );
    }
  }

  /** Logging an email or note on a ticket moves the ticket's activity properties, as HubSpot does. */
  private afterAssociated(a: CrmRecord, b: CrmRecord, opts: WriteOptions): void {
    const [ticket, engagement] =
      a.type === 'tickets' ? [a, b] : b.type === 'tickets' ? [b, a] : [undefined, undefined];
    if (!ticket || !engagement || (engagement.type !== 'emails' && engagement.type !== 'notes')) return;
    const at = opts.at ?? this.now();
    this.update(ticket, engagementActivity(ticket, engagement, at), opts);
  }

  // ---- search index lag ----

  private snapshot(rec: CrmRecord): SearchView | null {
    return this.searchLagMs > 0 ? { props: { ...rec.props }, archived: rec.archived } : null;
  }

  private markIndexed(rec: CrmRecord, before: SearchView | null, at: number): void {
    if (this.searchLagMs <= 0) {
      delete rec.indexed;
      return;
    }
    if (rec.indexed && rec.indexed.visibleAt > at) rec.indexed.visibleAt = at + this.searchLagMs;
    else rec.indexed = { snapshot: before, visibleAt: at + this.searchLagMs };
  }

  /** What the search index currently holds for a record (null: not indexed yet). */
  searchView(rec: CrmRecord, now: number): SearchView | null {
    if (rec.indexed) {
      if (now < rec.indexed.visibleAt) return rec.indexed.snapshot;
      delete rec.indexed;
    }
    return rec;
  }
}

const SINGLE_TYPES = new Map<number, number[]>();

/** One shared, frozen array per type id: most pairs have one type, and there are millions of pairs. */
function singleType(typeId: number): number[] {
  let a = SINGLE_TYPES.get(typeId);
  if (!a) {
    a = Object.freeze([typeId]) as number[];
    SINGLE_TYPES.set(typeId, a);
  }
  return a;
}

/** Primary association type → the unlabeled type it implies. */
const ASSOCIATION_UNLABELED: Record<number, number> = { 26: 339, 25: 340, 1: 279, 2: 280 };

/** Properties HubSpot does not send propertyChange webhooks for. */
export const WEBHOOK_IGNORED_PROPERTIES = new Set([
  'hs_lastmodifieddate',
  'hs_object_id',
  'hs_ticket_id',
  'hs_helpdesk_sort_timestamp',
]);
