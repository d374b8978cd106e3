// Parts of the widget loaded on first use (ADR 0008): esbuild turns these dynamic imports into
// dist/chunks/*.js, outside the first-render budget. The entry keeps what the first paint needs.

/** `accounts`: register, check inbox, confirm, forgot and reset password; `ticket` / `new`: the requests chunk. */
export type LazyView = 'accounts' | 'ticket' | 'new';

// The lazy chunk's built URL relative to the entry (build.mjs); undefined when run from source.
declare const __TP_LAZY_CHUNK__: string | undefined;

// The three views share one chunk, so they share its download: one import() in flight or done, and a
// count of failed downloads only. (One attempt counter for every call asked for `?retry=1` on the
// second view's first load — a second copy of the chunk, fetched and run again, on every sign-in.)
let chunk: Promise<unknown> | undefined;
let failures = 0;

/**
 * The chunk itself. A browser remembers a module that failed to download and fails every later
 * import() of that URL at once, so a retry after a failure asks for it with `?retry=n`; its own
 * imports resolve to the same shared chunk as the entry's, so nothing is loaded twice.
 */
const importChunk = (): Promise<unknown> => {
  if (chunk) return chunk;
  const url = typeof __TP_LAZY_CHUNK__ === 'string' ? __TP_LAZY_CHUNK__ : '';
  const load =
    failures === 0 || !url
      ? import('./lazy-chunk.js')
      : import(/* @vite-ignore */ new URL(`${url}?retry=${failures}`, import.meta.url).href);
  chunk = load;
  load.catch(() => {
    failures += 1;
    if (chunk === load) chunk = undefined;
  });
  return load;
};

/** How each part is fetched. Exported so tests can make a load fail. */
export const viewLoaders: Record<LazyView, () => Promise<unknown>> = {
  accounts: importChunk,
  ticket: importChunk,
  new: importChunk,
};

const loads = new Map<LazyView, Promise<unknown>>();
const loaded = new Set<LazyView>();

/** Loads a part once; a failed load is forgotten so that Retry fetches it again. */
export function loadView(view: LazyView): Promise<unknown> {
  let load = loads.get(view);
  if (!load) {
    load = viewLoaders[view]().then((module) => {
      loaded.add(view);
      return module;
    });
    loads.set(view, load);
    load.catch(() => loads.delete(view));
  }
  return load;
}

/** Starts loading ahead of need (idle after the first paint, the pointer on "Submit a Request"). */
export function prefetchView(view: LazyView): void {
  loadView(view).catch(() => undefined);
}

/** Whether a part's code is there already (no loading state needed). */
export const viewReady = (view: LazyView): boolean => loaded.has(view);

/** @internal Tests: forget what was loaded, to watch a load (or its failure) again. */
export function forgetViews(): void {
  chunk = undefined;
  loads.clear();
  loaded.clear();
}
