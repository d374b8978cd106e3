import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorText, isAbortError } from '../api/api-error.js';
import type { TicketQuery } from '../api/api-types.js';
import { listMessages as t } from '../tickets/ticket-messages.js';
import type { TicketsApi } from '../tickets/tickets-api.js';

/**
 * The ticket list's Export CSV: reads every ticket matching the list's search, filters and sort page
 * by page, then hands the browser a .csv download. The reading and writing code arrives with the
 * lazy chunk on the first export (ADR 0008). An export still running when the host leaves the page
 * is abandoned.
 */
export class CsvExportController implements ReactiveController {
  /** Tickets read so far and how many there are, while an export runs; else null. */
  progress: { loaded: number; total: number } | null = null;
  /** Why the last export failed, in a sentence; '' when it did not. */
  problem = '';
  private abort: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Called with the number of tickets in the file once it is saved. */
    private readonly onSaved: (count: number) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.abort?.abort();
  }

  /** Exports every ticket matching `query` (its page and limit are ignored); `total` is the list's count. */
  async run(api: TicketsApi, query: TicketQuery, total: number): Promise<void> {
    if (this.progress) return;
    this.abort = new AbortController();
    this.problem = '';
    this.show({ loaded: 0, total });
    try {
      const { fetchAllTickets, saveCsv } = await import('../internal/lazy-chunk.js');
      const tickets = await fetchAllTickets(api, query, this.abort.signal, (loaded, all) =>
        this.show({ loaded, total: all }),
      );
      saveCsv(tickets);
      this.onSaved(tickets.length);
    } catch (error) {
      if (!isAbortError(error)) this.problem = `${t.exportFailed} ${errorText(error)}`;
    } finally {
      this.show(null);
    }
  }

  private show(progress: { loaded: number; total: number } | null): void {
    this.progress = progress;
    this.host.requestUpdate();
  }
}
