// Everything loaded on first use, in one chunk (ADR 0008).
import '../components/accounts-views.js';
import '../requests/requests-views.js';
// CSV export runs on a click; most visits never export.
export { fetchAllTickets, saveCsv } from '../tickets/csv.js';
// Live updates start after the first render (ADR 0009): the list works without them meanwhile.
export { watchLive } from '../live/live-stream.js';
export { attachList } from '../live/live-list.js';
