// Parts of the widget loaded on first use (ADR 0008): esbuild turns these dynamic imports into
// dist/chunks/*.js, outside the first-render budget. The entry keeps what the first paint needs.

/** `accounts`: register, check inbox, confirm, forgot and reset password; `ticket` / `new`: the requests chunk. */
export type LazyView = 'accounts' | 'ticket' | 'new';

/** How each part is fetched. Exported so tests can make a load fail. */
export const viewLoaders: Record<LazyView, () => Promise<unknown>> = {
  accounts: () => import('./lazy-chunk.js'),
  ticket: () => import('./lazy-chunk.js'),
  new: () => import('./lazy-chunk.js'),
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
  loads.clear();
  loaded.clear();
}
