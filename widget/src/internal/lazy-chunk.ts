// Everything loaded on first use, in one chunk (ADR 0008).
import '../components/accounts-views.js';
import '../requests/requests-views.js';
// Card View: the table is the default, and the first render's budget had no room for both (ADR 0012).
import '../components/ticket-cards/ticket-cards.js';
// Card View's Sort by and Order, shown with the cards (ADR 0017).
import '../components/card-sort/card-sort.js';
// The list's Show filter (Mine / In copy / My company), only for customers whose rule offers several
// (ADR 0017).
import '../components/involvement-filter/involvement-filter.js';
// CSV export runs on a click; most visits never export.
export { fetchAllTickets, saveCsv } from '../tickets/csv.js';
// Live updates start after the first render (ADR 0009): the list works without them meanwhile.
export { watchLive } from '../live/live-stream.js';
export { attachList } from '../live/live-list.js';
// Sign-in through the host site (ADR 0010): only pages that hand the portal a site token need it.
export { siteSignIn } from '../session/site-sign-in.js';
