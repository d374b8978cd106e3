import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { tuples } from './sql.util';

export type TicketState = 'OPEN' | 'CLOSED';

/** A `pipelines` row: a HubSpot ticket pipeline. */
export interface PipelineRow {
  id: string;
  label: string;
  display_order: number;
  archived: number;
  updated_at: Date;
}

/**
 * A `pipeline_stages` row: a ticket status. `ticket_state` (HubSpot's metadata.ticketState) decides
 * open/closed. Stages HubSpot no longer lists stay, archived, so tickets still pointing at them keep
 * their label.
 */
export interface StageRow {
  pipeline_id: string;
  id: string;
  /** HubSpot's label (support's wording). */
  label: string;
  /** What customers read (tickets/ticket-status.ts statusOf); tickets copy it as stage_label. */
  shown_label: string | null;
  /** new | in_progress | awaiting_customer | closed; tickets copy it. */
  status_kind: string | null;
  display_order: number;
  ticket_state: string;
  archived: number;
  updated_at: Date;
}

/** A stage as HubSpot has it (label, order, closed); MirrorWriter adds what customers read. */
export interface StageInfo {
  label: string;
  displayOrder: number;
  closed: boolean;
}

/** A live (not archived) stage with its pipeline, as the portal's request paths read them. */
export interface ActiveStageRow {
  pipeline_id: string;
  pipeline_label: string;
  pipeline_order: number;
  id: string;
  label: string;
  display_order: number;
  ticket_state: string;
}

export type StageKey = { pipelineId: string; stageId: string };

const STAGE_COLUMNS = [
  'pipeline_id',
  'id',
  'label',
  'shown_label',
  'status_kind',
  'display_order',
  'ticket_state',
  'archived',
  'updated_at',
] as const;

/** The one owner of the `pipelines` and `pipeline_stages` tables (one aggregate). */
@Injectable()
export class PipelinesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every stage, FOR UPDATE (a write compares them to tell what changed). */
  async lockStages(m: EntityManager): Promise<Array<Omit<StageRow, 'updated_at'>>> {
    return m.query(
      'SELECT pipeline_id, id, label, shown_label, status_kind, display_order, ticket_state, archived FROM pipeline_stages FOR UPDATE',
    );
  }

  async upsertPipelines(m: EntityManager, rows: readonly PipelineRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO pipelines (id, label, display_order, archived, updated_at) VALUES ${tuples(rows.length, 5)} ` +
        'ON DUPLICATE KEY UPDATE label = VALUES(label), display_order = VALUES(display_order), archived = VALUES(archived), updated_at = VALUES(updated_at)',
      rows.flatMap((p) => [p.id, p.label, p.display_order, p.archived, p.updated_at]),
    );
  }

  /** Upserts stages; a stage HubSpot lists again is no longer archived. */
  async upsertStages(m: EntityManager, rows: readonly StageRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO pipeline_stages (${STAGE_COLUMNS.join(', ')}) VALUES ${tuples(rows.length, STAGE_COLUMNS.length)} ` +
        'ON DUPLICATE KEY UPDATE label = VALUES(label), shown_label = VALUES(shown_label), status_kind = VALUES(status_kind), ' +
        'display_order = VALUES(display_order), ticket_state = VALUES(ticket_state), archived = 0, updated_at = VALUES(updated_at)',
      rows.flatMap((row) => STAGE_COLUMNS.map((c) => row[c])),
    );
  }

  async archiveStage(m: EntityManager, key: StageKey, now: Date): Promise<void> {
    await m.query(
      'UPDATE pipeline_stages SET archived = 1, updated_at = ? WHERE pipeline_id = ? AND id = ?',
      [now, key.pipelineId, key.stageId],
    );
  }

  /** Stages to copy onto tickets, read with shared locks (see ContactsRepository.lockNames). */
  async lockStageInfo(m: EntityManager, keys: readonly StageKey[]): Promise<Map<string, StageInfo>> {
    const out = new Map<string, StageInfo>();
    if (keys.length === 0) return out;
    const rows = await m.query<
      Array<Pick<StageRow, 'pipeline_id' | 'id' | 'label' | 'display_order' | 'ticket_state'>>
    >(
      `SELECT pipeline_id, id, label, display_order, ticket_state FROM pipeline_stages WHERE (pipeline_id, id) IN (${tuples(keys.length, 2)}) LOCK IN SHARE MODE`,
      keys.flatMap((k) => [k.pipelineId, k.stageId]),
    );
    for (const r of rows) {
      out.set(`${r.pipeline_id}/${r.id}`, {
        label: r.label,
        displayOrder: Number(r.display_order),
        closed: r.ticket_state === 'CLOSED',
      });
    }
    return out;
  }

  /** How many of these stages the mirror does not have. */
  async missingStages(keys: readonly StageKey[]): Promise<number> {
    if (keys.length === 0) return 0;
    const rows = await this.dataSource.query<Array<{ n: number | string }>>(
      `SELECT COUNT(*) AS n FROM pipeline_stages WHERE (pipeline_id, id) IN (${tuples(keys.length, 2)})`,
      keys.flatMap((k) => [k.pipelineId, k.stageId]),
    );
    return keys.length - Number(rows[0]?.n ?? 0);
  }

  /** Every stage of every pipeline that is not archived. */
  async activeStages(): Promise<ActiveStageRow[]> {
    return this.dataSource.query<ActiveStageRow[]>(
      `SELECT p.id AS pipeline_id, p.label AS pipeline_label, p.display_order AS pipeline_order,
              s.id, s.label, s.display_order, s.ticket_state
         FROM pipelines p JOIN pipeline_stages s ON s.pipeline_id = p.id
        WHERE p.archived = 0 AND s.archived = 0`,
    );
  }
}
