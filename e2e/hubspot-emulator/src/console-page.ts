/**
 * The support-staff console: one self-contained page (no build step). It talks to the
 * /_emulator/staff endpoints with a per-process key embedded here, so every action goes through
 * the same state and webhooks as the HubSpot API.
 */
export function consolePage(consoleKey: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HubSpot emulator · Help desk</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #213343; background: #f5f8fa; }
  body { margin: 0; }
  header { background: #213343; color: #fff; padding: .6rem 1rem; display: flex; gap: 1rem; align-items: center; }
  header h1 { font-size: 1.1rem; margin: 0; }
  main { display: grid; grid-template-columns: minmax(320px, 2fr) 3fr; gap: 1rem; padding: 1rem; }
  section { background: #fff; border: 1px solid #cbd6e2; border-radius: 6px; padding: .8rem; }
  table { width: 100%; border-collapse: collapse; font-size: .9rem; }
  th, td { text-align: left; padding: .35rem; border-bottom: 1px solid #eaf0f6; vertical-align: top; }
  tr.row { cursor: pointer; }
  tr.row:hover, tr.row.selected { background: #e5f5f8; }
  form.inline { display: flex; gap: .4rem; flex-wrap: wrap; margin-bottom: .6rem; }
  input, select, textarea, button { font: inherit; padding: .3rem .5rem; }
  textarea { width: 100%; box-sizing: border-box; min-height: 5rem; }
  button { background: #ff7a59; color: #fff; border: 0; border-radius: 3px; cursor: pointer; }
  button.secondary { background: #516f90; }
  button.danger { background: #d94c53; }
  .msg { border-left: 4px solid #cbd6e2; padding: .4rem .6rem; margin: .5rem 0; white-space: pre-wrap; }
  .msg.customer { border-color: #00a4bd; }
  .msg.agent { border-color: #ff7a59; }
  .msg.note { border-color: #f5c26b; background: #fef8f0; }
  .meta { color: #516f90; font-size: .8rem; }
  #status { margin-left: auto; font-size: .85rem; }
  .error { color: #d94c53; }
  .badge { display: inline-block; padding: .1rem .5rem; border-radius: 10px; font-size: .8rem; font-weight: 600; }
  .badge.open { background: #e5f5f8; color: #00788a; border: 1px solid #00a4bd; }
  .badge.closed { background: #eaf0f6; color: #516f90; border: 1px solid #cbd6e2; }
  .badge.tasks { background: #fef8f0; color: #b36b00; border: 1px solid #f5c26b; }
  .stage-line { font-size: 1rem; margin: .2rem 0 .6rem; }
  .task { border: 1px solid #f5c26b; background: #fffcf7; border-radius: 4px; padding: .4rem .6rem; margin: .4rem 0; display: flex; gap: .6rem; align-items: flex-start; }
  .task > div { flex: 1; }
  .task-body { white-space: pre-line; margin-top: .3rem; }
  .task.done { border-color: #cbd6e2; background: #f5f8fa; color: #516f90; }
  .files { list-style: none; padding: 0; margin: .3rem 0 0; }
</style>
</head>
<body>
<header><h1>Help desk (HubSpot emulator)</h1><span id="status" role="status"></span></header>
<main>
  <section aria-labelledby="list-h">
    <h2 id="list-h">Tickets</h2>
    <form class="inline" id="filters">
      <label>Search <input id="q" type="search" placeholder="subject, id, text"></label>
      <label>Status <select id="stage"><option value="">All</option></select></label>
      <label>Owner <select id="owner"><option value="">Anyone</option><option value="none">Unassigned</option></select></label>
      <button type="submit" class="secondary">Find</button>
    </form>
    <p class="meta" id="count"></p>
    <table><thead><tr><th>ID</th><th>Subject</th><th>Status</th><th>Owner</th><th>Last activity</th></tr></thead><tbody id="rows"></tbody></table>
    <details><summary>Create a ticket</summary>
      <form id="create">
        <p><label>Subject <input id="c-subject" required></label></p>
        <p><label>Contact <select id="c-contact"></select></label></p>
        <p><label>Description<textarea id="c-content"></textarea></label></p>
        <button type="submit">Create</button>
      </form>
    </details>
    <details><summary>Move a contact to another company</summary>
      <form id="move-contact">
        <p><label>Contact <select id="m-contact"></select></label></p>
        <p><label>New company <select id="m-company"></select></label></p>
        <button type="submit">Move contact</button>
      </form>
    </details>
  </section>
  <section aria-labelledby="detail-h">
    <h2 id="detail-h">Ticket</h2>
    <div id="detail"><p class="meta">Choose a ticket.</p></div>
  </section>
</main>
<script>
const KEY = ${JSON.stringify(consoleKey)};
let boot = { owners: [], stages: [], contacts: [], companies: [] };
let current = null;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const when = (s) => s ? new Date(s).toLocaleString() : '';
async function api(method, path, body) {
  const res = await fetch('/_emulator/staff' + path, {
    method, headers: { 'X-Emulator-Console-Key': KEY, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 204) return null;
  const data = await res.json();
  if (!res.ok) throw new Error(data.message || ('HTTP ' + res.status));
  return data;
}
function status(text, isError) { const s = $('status'); s.textContent = text; s.className = isError ? 'error' : ''; }
const size = (n) => n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
async function uploadFile(file) {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch('/_emulator/staff/files', { method: 'POST', headers: { 'X-Emulator-Console-Key': KEY }, body: form });
  const data = await res.json();
  if (!res.ok) throw new Error(data.message || ('HTTP ' + res.status));
  return data;
}
const filesHtml = (list) => list && list.length ? '<ul class="files">' + list.map((f) =>
  '<li><span class="meta">Attachment:</span> <a href="' + esc(f.url) + '" target="_blank" rel="noopener">' + esc(f.name) + '</a> <span class="meta">' + esc(size(f.size)) + '</span></li>').join('') + '</ul>' : '';
function taskHtml(k) {
  const done = k.status === 'COMPLETED';
  return '<div class="task' + (done ? ' done' : '') + '"><div><strong>' + esc(k.subject || '(no title)') + '</strong>' +
    '<div class="meta">' + esc(k.ownerName || 'Unassigned') + ' · due ' + esc(when(k.dueAt)) + (k.priority ? ' · ' + esc(k.priority) : '') +
    (done ? ' · completed ' + esc(when(k.completedAt)) : '') + '</div>' + (k.body ? '<div class="task-body">' + esc(k.body) + '</div>' : '') + '</div>' +
    (done ? '' : '<button type="button" class="secondary" data-complete="' + esc(k.id) + '">Complete</button>') + '</div>';
}
const stageLabel = (id) => (boot.stages.find((s) => s.id === id) || {}).label || id;
const ownerName = (id) => (boot.owners.find((o) => o.id === id) || {}).name || (id ? 'Owner ' + id : 'Unassigned');
async function loadList() {
  const p = new URLSearchParams({ q: $('q').value, stage: $('stage').value, owner: $('owner').value });
  const data = await api('GET', '/tickets?' + p);
  $('count').textContent = data.total + ' tickets' + (data.total > 50 ? ' (newest 50 shown)' : '');
  $('rows').innerHTML = data.results.map((t) =>
    '<tr class="row' + (current === t.id ? ' selected' : '') + '" data-id="' + esc(t.id) + '" tabindex="0"><td>' + esc(t.id) + '</td><td>' + esc(t.subject) +
    '<div class="meta">' + esc(t.contact ? t.contact.name + ' · ' + (t.company || '') : '') + '</div></td><td>' + esc(stageLabel(t.stageId)) +
    '</td><td>' + esc(ownerName(t.ownerId)) + '</td><td>' + esc(when(t.lastActivityAt || t.lastModifiedAt)) + '</td></tr>').join('');
}
async function openTicket(id) {
  current = id;
  const t = await api('GET', '/tickets/' + encodeURIComponent(id));
  const stageOpts = boot.stages.map((s) => '<option value="' + esc(s.id) + '"' + (s.id === t.stageId ? ' selected' : '') + '>' + esc(s.label) + '</option>').join('');
  const ownerOpts = '<option value="">Unassigned</option>' + boot.owners.map((o) => '<option value="' + esc(o.id) + '"' + (o.id === t.ownerId ? ' selected' : '') + '>' + esc(o.name) + '</option>').join('');
  $('detail').innerHTML =
    '<h3>#' + esc(t.id) + ' ' + esc(t.subject) + '</h3>' +
    '<p class="stage-line" id="d-stage-now">Status: <span class="badge ' + (t.stage.ticketState === 'CLOSED' ? 'closed' : 'open') + '">' +
      esc(t.stage.label) + '</span> <span class="meta">' + esc(t.stage.ticketState === 'CLOSED' ? 'closed' : 'open') + '</span></p>' +
    '<p class="meta">' + esc(t.contact ? t.contact.name + ' <' + t.contact.email + '>' : 'No contact') + ' · ' + esc(t.company || '') +
    ' · priority ' + esc(t.priority || '-') + ' · created ' + esc(when(t.createdAt)) + '</p>' +
    '<form class="inline" id="f-stage"><label>Status <select id="d-stage">' + stageOpts + '</select></label><button class="secondary">Move</button></form>' +
    '<form class="inline" id="f-owner"><label>Owner <select id="d-owner">' + ownerOpts + '</select></label><button class="secondary">Assign</button></form>' +
    '<h4>Tasks (' + t.tasks.filter((k) => k.status !== 'COMPLETED').length + ' open)</h4>' +
    (t.tasks.filter((k) => k.status !== 'COMPLETED').map(taskHtml).join('') || '<p class="meta">No open tasks.</p>') +
    (t.tasks.some((k) => k.status === 'COMPLETED') ? '<details><summary>Completed tasks</summary>' + t.tasks.filter((k) => k.status === 'COMPLETED').map(taskHtml).join('') + '</details>' : '') +
    '<h4>Conversation</h4>' +
    (t.conversation.map((m) => '<div class="msg ' + m.kind + '"><div class="meta">' + esc(m.kind === 'note' ? 'Internal note' : m.kind === 'agent' ? 'Agent reply' : 'Customer') +
      ' · ' + esc(when(m.at)) + ' · ' + esc(m.from) + '</div>' + esc(m.text) + filesHtml(m.attachments) + '</div>').join('') || '<p class="meta">No messages.</p>') +
    '<form id="f-reply"><label>Reply to customer<textarea id="d-reply"></textarea></label>' +
    '<p><label>Attach files <input type="file" id="d-reply-files" multiple></label></p>' +
    '<label class="inline"><input type="checkbox" id="d-reply-html"> Send as HTML</label> <button>Send reply</button></form>' +
    '<form id="f-note"><label>Internal note<textarea id="d-note"></textarea></label><button class="secondary">Add note</button></form>' +
    '<p><button class="danger" id="d-delete" type="button">Delete ticket</button></p>';
  const act = (form, fn) => $(form).addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try { await fn(); status('Saved'); await openTicket(id); await loadList(); } catch (e) { status(e.message, true); }
  });
  act('f-stage', () => api('POST', '/tickets/' + id + '/stage', { stageId: $('d-stage').value }));
  act('f-owner', () => api('POST', '/tickets/' + id + '/owner', { ownerId: $('d-owner').value }));
  act('f-reply', async () => {
    const attachmentIds = [];
    for (const file of $('d-reply-files').files) attachmentIds.push((await uploadFile(file)).id);
    const body = $('d-reply-html').checked ? { html: $('d-reply').value } : { text: $('d-reply').value };
    return api('POST', '/tickets/' + id + '/reply', { ...body, attachmentIds });
  });
  for (const b of $('detail').querySelectorAll('button[data-complete]')) {
    b.addEventListener('click', async () => {
      try { await api('POST', '/tasks/' + encodeURIComponent(b.dataset.complete) + '/complete'); status('Task completed'); await openTicket(id); await loadList(); }
      catch (e) { status(e.message, true); }
    });
  }
  act('f-note', () => api('POST', '/tickets/' + id + '/note', { text: $('d-note').value }));
  $('d-delete').addEventListener('click', async () => {
    if (!confirm('Delete ticket ' + id + '?')) return;
    try { await api('DELETE', '/tickets/' + id); current = null; $('detail').innerHTML = '<p class="meta">Deleted.</p>'; await loadList(); status('Deleted'); }
    catch (e) { status(e.message, true); }
  });
}
$('rows').addEventListener('click', (ev) => { const tr = ev.target.closest('tr.row'); if (tr) openTicket(tr.dataset.id).catch((e) => status(e.message, true)); });
$('rows').addEventListener('keydown', (ev) => { const tr = ev.target.closest('tr.row'); if (tr && ev.key === 'Enter') openTicket(tr.dataset.id).catch((e) => status(e.message, true)); });
$('filters').addEventListener('submit', (ev) => { ev.preventDefault(); loadList().catch((e) => status(e.message, true)); });
$('create').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const t = await api('POST', '/tickets', { subject: $('c-subject').value, content: $('c-content').value, contactId: $('c-contact').value });
    status('Created #' + t.id); await loadList(); await openTicket(t.id);
  } catch (e) { status(e.message, true); }
});
function fillContacts() {
  const options = boot.contacts.map((c) => '<option value="' + esc(c.id) + '">' + esc(c.name + ' <' + c.email + '> · ' + (c.company || 'no company')) + '</option>').join('');
  $('c-contact').innerHTML = options;
  $('m-contact').innerHTML = options;
}
$('move-contact').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const value = $('m-company').value;
    const c = await api('POST', '/contacts/' + encodeURIComponent($('m-contact').value) + '/company', { companyId: value === '' ? null : value });
    boot.contacts = boot.contacts.map((x) => (x.id === c.id ? c : x));
    const chosen = $('m-contact').value;
    fillContacts();
    $('m-contact').value = chosen;
    status('Moved ' + c.name + ' to ' + (c.company || 'no company'));
  } catch (e) { status(e.message, true); }
});
(async () => {
  boot = await api('GET', '/bootstrap');
  $('stage').innerHTML += boot.stages.map((s) => '<option value="' + esc(s.id) + '">' + esc(s.label) + '</option>').join('');
  $('owner').innerHTML += boot.owners.map((o) => '<option value="' + esc(o.id) + '">' + esc(o.name) + '</option>').join('');
  fillContacts();
  $('m-company').innerHTML = '<option value="">No company (left)</option>' + boot.companies.map((c) => '<option value="' + esc(c.id) + '">' + esc(c.name) + '</option>').join('');
  await loadList();
  setInterval(() => loadList().catch(() => {}), 5000);
})().catch((e) => status(e.message, true));
</script>
</body>
</html>
`;
}
