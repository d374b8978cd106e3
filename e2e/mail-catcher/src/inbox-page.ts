// The web inbox: one static page that polls the JSON API. Mail HTML is shown in a sandboxed iframe
// (no scripts, served with a restrictive CSP), so a hostile mail cannot run in the inbox.
export function renderInbox(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mail catcher — Ticket Portal</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1f2933; background: #f5f7fa; }
  header { background: #243b53; color: #fff; padding: .75rem 1.25rem; display: flex; gap: 1rem; align-items: center; }
  header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
  button { font: inherit; padding: .35rem .8rem; border-radius: 6px; border: 1px solid #9fb3c8; background: #fff; cursor: pointer; }
  main { display: grid; grid-template-columns: minmax(16rem, 26rem) 1fr; height: calc(100vh - 3rem); }
  ul { list-style: none; margin: 0; padding: 0; overflow: auto; border-right: 1px solid #d9e2ec; background: #fff; }
  li button { all: unset; display: block; width: 100%; box-sizing: border-box; padding: .6rem 1rem; border-bottom: 1px solid #eef2f7; cursor: pointer; }
  li button:focus-visible, li button:hover { background: #e6f0ff; }
  li[aria-current="true"] button { background: #d6e4ff; }
  .meta { color: #52606d; font-size: .85rem; }
  section { padding: 1rem 1.25rem; overflow: auto; }
  iframe { width: 100%; min-height: 60vh; border: 1px solid #d9e2ec; background: #fff; border-radius: 6px; }
  pre { white-space: pre-wrap; background: #fff; padding: 1rem; border: 1px solid #d9e2ec; border-radius: 6px; }
  .empty { padding: 2rem; color: #52606d; }
</style>
</head>
<body>
<header><h1>Mail catcher</h1><span id="count" class="meta" aria-live="polite"></span><button id="clear" type="button">Delete all</button></header>
<main>
  <ul id="list" aria-label="Messages"></ul>
  <section id="view" aria-live="polite"><p class="empty">Mail sent by Ticket Portal appears here. Nothing leaves this machine.</p></section>
</main>
<script>
  const list = document.getElementById('list');
  const view = document.getElementById('view');
  let current = null, seen = '';
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  async function refresh() {
    const res = await fetch('/api/messages');
    const mails = await res.json();
    const key = mails.map((m) => m.id).join();
    document.getElementById('count').textContent = mails.length + (mails.length === 1 ? ' message' : ' messages');
    if (key === seen) return;
    seen = key;
    list.innerHTML = mails.map((m) => '<li data-id="' + m.id + '"' + (m.id === current ? ' aria-current="true"' : '') + '><button type="button">' +
      '<strong>' + esc(m.subject || '(no subject)') + '</strong><div class="meta">To ' + esc(m.to.join(', ')) + ' · ' + new Date(m.receivedAt).toLocaleTimeString() + '</div></button></li>').join('');
  }
  list.addEventListener('click', async (e) => {
    const li = e.target.closest('li'); if (!li) return;
    current = li.dataset.id; seen = '';
    const m = await (await fetch('/api/messages/' + current)).json();
    view.innerHTML = '<h2>' + esc(m.subject) + '</h2><p class="meta">From ' + esc(m.from) + ' to ' + esc(m.to.join(', ')) + '</p>' +
      (m.html ? '<iframe title="Message" sandbox="allow-popups allow-popups-to-escape-sandbox" src="/api/messages/' + m.id + '.html"></iframe>' : '') +
      '<h3>Text</h3><pre>' + esc(m.text) + '</pre>';
    refresh();
  });
  document.getElementById('clear').addEventListener('click', async () => { await fetch('/api/messages', { method: 'DELETE' }); current = null; seen = ''; view.innerHTML = '<p class="empty">Inbox cleared.</p>'; refresh(); });
  refresh(); setInterval(refresh, 1500);
</script>
</body>
</html>`;
}
