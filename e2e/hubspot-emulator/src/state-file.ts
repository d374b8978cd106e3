import { readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { OBJECT_TYPES, type ObjectType } from './constants';
import { type Folder, type StoredFile } from './files';
import { type PropertyDefinition } from './property-definitions';
import { type CrmRecord, type Owner, type Pipeline, type Store } from './store';

type SavedRecord = [
  id: string,
  props: Record<string, string>,
  createdAt: number,
  updatedAt: number,
  archivedAt: number | null,
  assoc: [ObjectType, string, number[]][],
];

/** A file with its bytes as base64 (the state file keeps uploads, so attachments survive a restart). */
type SavedFile = Omit<StoredFile, 'data'> & { data: string };

interface SavedState {
  format: 'hubspot-emulator-state';
  version: 1;
  savedAt: string;
  pipelines: Pipeline[];
  owners: Owner[];
  threads: [string, string][];
  nextThreadId: number;
  customProperties?: [ObjectType, PropertyDefinition][];
  records: Record<ObjectType, SavedRecord[]>;
  folders?: Folder[];
  files?: SavedFile[];
}

export function saveState(store: Store, file: string): void {
  const records = {} as Record<ObjectType, SavedRecord[]>;
  for (const type of OBJECT_TYPES) {
    records[type] = store.ordered[type].map((r) => [
      r.id,
      r.props,
      r.createdAt,
      r.updatedAt,
      r.archived ? r.archivedAt : null,
      Object.entries(r.assoc).flatMap(([toType, m]) =>
        [...m].map(([toId, types]) => [toType as ObjectType, toId, types] as [ObjectType, string, number[]]),
      ),
    ]);
  }
  const state: SavedState = {
    format: 'hubspot-emulator-state',
    version: 1,
    savedAt: new Date().toISOString(),
    pipelines: store.pipelines,
    owners: store.owners,
    threads: [...store.threadByTicket],
    nextThreadId: store.nextThreadId,
    customProperties: [...store.customProperties].flatMap(([t, m]) =>
      [...m.values()].map((d) => [t, d] as [ObjectType, PropertyDefinition]),
    ),
    records,
    folders: [...store.files.folders.values()],
    files: [...store.files.files.values()].map((f) => ({ ...f, data: f.data.toString('base64') })),
  };
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** Loads a saved state into an empty store; returns false when the file does not exist. */
export function loadState(store: Store, file: string): boolean {
  if (!existsSync(file)) return false;
  const state = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
  if (state.format !== 'hubspot-emulator-state' || state.version !== 1) {
    throw new Error(
      `${file} is not an emulator state file (version 1); delete it or pass another --state-file.`,
    );
  }
  store.pipelines = state.pipelines;
  store.owners = state.owners;
  for (const [t, th] of state.threads) store.threadByTicket.set(t, th);
  store.nextThreadId = state.nextThreadId;
  for (const [t, def] of state.customProperties ?? []) store.addCustomProperty(t, def);
  for (const folder of state.folders ?? []) store.files.insertFolder(folder);
  for (const f of state.files ?? []) store.files.insert({ ...f, data: Buffer.from(f.data, 'base64') });
  for (const type of OBJECT_TYPES) {
    for (const [id, props, createdAt, updatedAt, archivedAt, assoc] of state.records[type] ?? []) {
      const rec: CrmRecord = {
        id,
        type,
        props,
        createdAt,
        updatedAt,
        archived: archivedAt !== null,
        archivedAt,
        assoc: {},
      };
      for (const [toType, toId, types] of assoc) {
        let m = rec.assoc[toType];
        if (!m) {
          m = new Map();
          rec.assoc[toType] = m;
        }
        m.set(toId, types);
      }
      store.insert(rec);
    }
  }
  return true;
}
