import { assert, expect, waitUntil } from '../../../test/testing.js';
import { deepActiveElement } from '../../../test/helpers.js';
import { $, $$, button, hasButton, textOf } from '../../../test/shadow.js';
import { makeDetail, type FakeApi } from '../../../test/fake-api.js';
import { afterEachRequests, mountSignedIn, view } from '../../../test/requests-helpers.js';
import type { TpAttachmentPicker } from './attachment-picker.component.js';

// The file picker as customers use it: in the request form and in a ticket's reply box, over the
// fake API (uploads answered by its XMLHttpRequest stand-in, with progress events).

const file = (name: string, type: string, size = 1200): File =>
  new File([new Uint8Array(size)], name, { type });

function fileList(...files: File[]): DataTransfer {
  const data = new DataTransfer();
  for (const f of files) data.items.add(f);
  return data;
}

/** The system picker's answer: the input's files and its change event. */
function choose(picker: TpAttachmentPicker, ...files: File[]): void {
  const input = $<HTMLInputElement>(picker, 'input[type="file"]');
  input.files = fileList(...files).files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

function type(host: Element, id: string, value: string): void {
  const control = $<HTMLInputElement | HTMLTextAreaElement>(host, `#${id}`);
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true }));
}

const items = (picker: TpAttachmentPicker) => $$(picker, '[part~="file"]');
const itemState = (picker: TpAttachmentPicker) => items(picker).map((li) => li.dataset.state);
/** The live region's latest line. */
const announced = (picker: TpAttachmentPicker) => textOf($$(picker, '[role="status"] p').at(-1));
const refusals = (picker: TpAttachmentPicker) => textOf($(picker, '[role="alert"]'));
const uploadCalls = (api: FakeApi) => api.callsTo('attachments', 'POST');

async function pickerIn(host: Element): Promise<TpAttachmentPicker> {
  await waitUntil(() => host.shadowRoot!.querySelector('tp-attachment-picker'), 'no file picker');
  const picker = host.shadowRoot!.querySelector('tp-attachment-picker')!;
  // The limits come from GET portal; the hint names them once they are known.
  await waitUntil(() => textOf($(picker, '#files-hint')).includes('Up to'), 'the limits were not read');
  return picker;
}

async function openForm(setup?: (api: FakeApi) => void) {
  const mounted = await mountSignedIn({ search: 'tp-new=request', ...(setup ? { setup } : {}) });
  const form = await view(mounted.portal, 'tp-request-form');
  return { ...mounted, form, picker: await pickerIn(form) };
}

const draft = (api: FakeApi) =>
  JSON.parse(
    localStorage.getItem(`tp-draft:${api.baseUrl}:${api.accounts.get('ada@example.com')!.id}`) ?? 'null',
  ) as {
    attachments: { id: string; name: string }[];
    key: string;
  } | null;

describe('TpAttachmentPicker', () => {
  afterEach(afterEachRequests);

  it('should show the limits, upload a chosen file with a progress bar, announce it and keep it in the draft', async () => {
    const { form, picker, api } = await openForm();
    assert.strictEqual(
      textOf($(picker, '#files-hint')),
      'Up to 10 files, 25 MB each and 50 MB in total: PNG image, JPEG image, GIF image, WebP image, PDF document, plain text, CSV file.',
    );
    const input = $<HTMLInputElement>(picker, 'input[type="file"]');
    assert.include(input.accept, 'application/pdf');
    assert.include(input.accept, '.pdf');
    assert.isTrue(input.multiple);

    api.holdUploads();
    choose(picker, file('statement.pdf', 'application/pdf', 2048));
    await waitUntil(
      () => $$(picker, 'progress').length === 1 && $<HTMLProgressElement>(picker, 'progress').value === 50,
    );
    const progress = $<HTMLProgressElement>(picker, 'progress');
    assert.strictEqual(progress.getAttribute('aria-label'), 'Uploading statement.pdf');
    assert.deepEqual(itemState(picker), ['uploading']);
    assert.include(textOf(items(picker)[0]), 'statement.pdf');
    assert.include(textOf(items(picker)[0]), 'PDF document, 2 KB');
    assert.include(textOf(items(picker)[0]), '50%');
    assert.strictEqual(announced(picker), 'Uploading statement.pdf…');
    await expect(form).to.be.accessible();

    // The upload itself: one file per request, with the bearer token.
    const [call] = uploadCalls(api);
    assert.strictEqual(call!.url, `${api.baseUrl}/api/v1/attachments`);
    assert.match(call!.headers.get('Authorization')!, /^Bearer /);
    assert.deepEqual(
      call!.files!.map((f) => f.name),
      ['statement.pdf'],
    );

    api.releaseUploads();
    await waitUntil(() => itemState(picker)[0] === 'done', 'the upload did not finish');
    assert.lengthOf($$(picker, 'progress'), 0);
    assert.include(textOf(items(picker)[0]), 'Attached');
    assert.strictEqual(announced(picker), 'statement.pdf attached.');
    // The draft keeps the uploaded file (a reload keeps it; see the request form's tests).
    assert.deepEqual(
      draft(api)!.attachments.map((a) => a.name),
      ['statement.pdf'],
    );
  });

  it('should take files dropped anywhere on the form, and a pasted screenshot, but paste text as text', async () => {
    const { form, picker, api } = await openForm();
    const description = $<HTMLTextAreaElement>(form, '#description');

    // Dragging files over the form (here the description) lights up the picker; dropping attaches.
    const dragged = fileList(file('log.txt', 'text/plain', 300));
    const over = new DragEvent('dragover', {
      dataTransfer: dragged,
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    description.dispatchEvent(over);
    assert.isTrue(over.defaultPrevented, 'the browser would open the file instead');
    await picker.updateComplete;
    assert.isTrue($(picker, '[part~="file-picker"]').classList.contains('picker--over'));
    const drop = new DragEvent('drop', {
      dataTransfer: dragged,
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    description.dispatchEvent(drop);
    assert.isTrue(drop.defaultPrevented);
    await picker.updateComplete;
    assert.isFalse($(picker, '[part~="file-picker"]').classList.contains('picker--over'));

    // A screenshot on the clipboard (an image, no text): attached under a name of its own, with a thumbnail.
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 4;
    const png = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const shot = fileList(new File([png], 'image.png', { type: 'image/png' }));
    const paste = new ClipboardEvent('paste', {
      clipboardData: shot,
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    description.dispatchEvent(paste);
    assert.isTrue(paste.defaultPrevented);

    // Text with an image (cells copied from a spreadsheet) pastes as text: nothing attached.
    const cells = fileList(file('image.png', 'image/png', 10));
    cells.setData('text/plain', 'A1\tB1');
    const textPaste = new ClipboardEvent('paste', {
      clipboardData: cells,
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    description.dispatchEvent(textPaste);
    assert.isFalse(textPaste.defaultPrevented);

    await waitUntil(
      () => itemState(picker).join() === 'done,done',
      'the dropped and pasted files did not upload',
    );
    const names = uploadCalls(api).flatMap((c) => c.files!.map((f) => f.name));
    assert.strictEqual(names[0], 'log.txt');
    assert.match(names[1]!, /^screenshot-\d{4}-\d{2}-\d{2}-\d{6}\.png$/);
    assert.lengthOf(names, 2);
    assert.match($<HTMLImageElement>(picker, '.file__preview').src, /^blob:/);
  });

  it('should refuse files over the limits before uploading them, naming the file and the limit', async () => {
    const { picker, api, form } = await openForm((fake) => {
      fake.attachmentLimits = { ...fake.attachmentLimits, maxFiles: 3, maxBytes: 2048, maxTotalBytes: 3072 };
    });
    assert.include(textOf($(picker, '#files-hint')), 'Up to 3 files, 2 KB each and 3 KB in total');
    choose(
      picker,
      file('huge.pdf', 'application/pdf', 4096),
      file('setup.exe', 'application/x-msdownload', 100),
      file('empty.txt', 'text/plain', 0),
      file('a.pdf', 'application/pdf', 2000),
      file('b.pdf', 'application/pdf', 1500),
    );
    await picker.updateComplete;
    const lines = $$(picker, '[role="alert"] [part~="field-error"]').map(textOf);
    assert.deepEqual(lines, [
      'huge.pdf is larger than 2 KB: each file can be at most 2 KB.',
      'setup.exe cannot be attached here. Files you can attach: PNG image, JPEG image, GIF image, WebP image, PDF document, plain text, CSV file.',
      'empty.txt is empty. Attach a file with content.',
      'b.pdf would bring the files of this message to more than 3 KB: the files of one message can be at most 3 KB together.',
    ]);
    // The Attach files button is described by the refusals too.
    assert.include($(picker, '[data-action="attach"]').getAttribute('aria-describedby')!, 'files-error');
    await waitUntil(() => itemState(picker).join() === 'done');
    assert.lengthOf(uploadCalls(api), 1, 'only the file within the limits was uploaded');

    // The count: two more fit, the third does not.
    choose(
      picker,
      file('c.txt', 'text/plain', 10),
      file('d.txt', 'text/plain', 10),
      file('e.txt', 'text/plain', 10),
    );
    await picker.updateComplete;
    assert.strictEqual(refusals(picker), 'e.txt was not attached: one message can carry at most 3 files.');
    await waitUntil(() => itemState(picker).join() === 'done,done,done');
    await expect(form).to.be.accessible();
  });

  it("should show the API's refusal of a file, hold Submit until it is removed, and move focus on Remove", async () => {
    const { form, picker, api } = await openForm();
    type(form, 'subject', 'Scan attached');
    type(form, 'description', 'See the scan.');
    const reason =
      'scan.pdf does not look like a PDF document: its content is not a format the portal recognises.';
    api.uploadFailures.push({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: reason,
      fields: { files: reason },
    });
    choose(picker, file('scan.pdf', 'application/pdf'), file('notes.txt', 'text/plain'));
    await waitUntil(() => itemState(picker).join() === 'failed,done', 'the refusal was not shown');
    assert.include(textOf(items(picker)[0]), reason);
    assert.isFalse(hasButton(picker, 'Retry'), 'a refused file is not offered again');
    // Both outcomes are read out, though they happen at once.
    assert.include(textOf($(picker, '[role="status"]')), `scan.pdf could not be attached. ${reason}`);
    assert.include(textOf($(picker, '[role="status"]')), 'notes.txt attached.');

    button(form, 'Submit').click();
    await waitUntil(() => refusals(picker).includes('scan.pdf could not be attached.'), 'Submit went ahead');
    assert.strictEqual(
      refusals(picker),
      'scan.pdf could not be attached. Remove it or try again before sending.',
    );
    assert.isTrue(deepActiveElement() === $(picker, '[data-action="attach"]'), 'focus is elsewhere');
    assert.lengthOf(api.callsTo('tickets', 'POST'), 0);

    // Remove by keyboard: focus goes to the next file's Remove, and the removal is announced.
    const remove = $$<HTMLButtonElement>(picker, '[data-action="remove"]');
    assert.strictEqual(remove[0]!.getAttribute('aria-label'), 'Remove scan.pdf');
    remove[0]!.click();
    await waitUntil(() => items(picker).length === 1);
    assert.strictEqual(announced(picker), 'scan.pdf removed.');
    assert.isTrue(deepActiveElement() === $(picker, '[data-action="remove"]'), 'focus was lost');
    assert.strictEqual(refusals(picker), '');

    button(form, 'Submit').click();
    await waitUntil(() => api.callsTo('tickets', 'POST').length === 1, 'the request was not sent');
    const sent = api.callsTo('tickets', 'POST')[0]!.body!;
    assert.deepEqual(sent.attachmentIds, [draftIdOf(api, 'notes.txt')]);
  });

  it('should offer Retry after a lost connection, report it as tp-error, and abort an upload removed half-way', async () => {
    const { picker, api } = await openForm();
    const errors: CustomEvent[] = [];
    const listen = (e: Event) => errors.push(e as CustomEvent);
    document.addEventListener('tp-error', listen);
    try {
      api.uploadFailures.push('offline');
      choose(picker, file('photo.jpg', 'image/jpeg'));
      await waitUntil(() => itemState(picker).join() === 'failed');
      assert.include(textOf(items(picker)[0]), "We can't reach the portal right now.");
      assert.strictEqual(errors[0]?.detail.code, 'NETWORK_ERROR');
      button(picker, 'Retry').click();
      await waitUntil(() => itemState(picker).join() === 'done', 'Retry did not upload it');
      assert.lengthOf(uploadCalls(api), 2);
    } finally {
      document.removeEventListener('tp-error', listen);
    }

    api.holdUploads();
    choose(picker, file('big.pdf', 'application/pdf', 5000));
    await waitUntil(() => itemState(picker).join() === 'done,uploading');
    $$<HTMLButtonElement>(picker, '[data-action="remove"]')[1]!.click();
    await waitUntil(() => items(picker).length === 1);
    assert.isTrue(api.uploads.at(-1)!.aborted, 'the upload went on');
    api.releaseUploads();
    // Only the file that was uploaded remains; focus is on its Remove.
    assert.deepEqual(
      picker.value.map((a) => a.name),
      ['photo.jpg'],
    );
    assert.isTrue(deepActiveElement() === $(picker, '[data-action="remove"]'));
  });

  it('should wait for uploads in flight on Submit, then send their ids', async () => {
    const { form, picker, api, portal } = await openForm();
    type(form, 'subject', 'Two files');
    type(form, 'description', 'Both attached.');
    api.holdUploads();
    choose(picker, file('one.pdf', 'application/pdf'), file('two.png', 'image/png'));
    button(form, 'Submit').click();
    await waitUntil(() =>
      textOf(form.shadowRoot!.querySelector('.actions [role="status"]')).includes('Waiting'),
    );
    assert.strictEqual(
      textOf(form.shadowRoot!.querySelector('.actions [role="status"]')),
      'Waiting for your files to upload…',
    );
    assert.lengthOf(api.callsTo('tickets', 'POST'), 0);
    api.releaseUploads();
    await waitUntil(() => api.callsTo('tickets', 'POST').length === 1, 'the request was not sent');
    const ids = api.callsTo('tickets', 'POST')[0]!.body!.attachmentIds as string[];
    assert.deepEqual(
      ids.map((id) => api.files.get(id)!.meta.name),
      ['one.pdf', 'two.png'],
    );
    // The new ticket's page lists them with the request.
    const page = await view(portal, 'tp-ticket-page');
    const list = page.shadowRoot!.querySelector('tp-attachment-list')!;
    assert.strictEqual(list.getAttribute('label'), 'Files sent with the request');
    await waitUntil(() => textOf(list.shadowRoot!.querySelector('ul')).includes('two.png'));
  });

  it('should keep uploaded files with the draft across a reload and send them once with the same key on Retry', async () => {
    const first = await openForm();
    type(first.form, 'subject', 'Reload');
    type(first.form, 'description', 'Files survive it.');
    choose(first.picker, file('kept.pdf', 'application/pdf'));
    await waitUntil(() => itemState(first.picker).join() === 'done');

    first.portal.remove();
    const { portal, api } = await mountSignedIn({ reload: first });
    const form = await view(portal, 'tp-request-form');
    const picker = await pickerIn(form);
    assert.deepEqual(itemState(picker), ['done']);
    assert.include(textOf(items(picker)[0]), 'kept.pdf');
    assert.include(
      textOf(form.shadowRoot!.querySelector('[part~="notice"]')),
      'We kept the request you had started.',
    );

    api.failures.push('offline');
    button(form, 'Submit').click();
    await waitUntil(() => form.shadowRoot!.querySelector('[part~="alert"]'));
    button(form, 'Retry').click();
    await waitUntil(() => api.tickets.length === 1, 'the request was not created');
    const [a, b] = api.callsTo('tickets', 'POST');
    assert.strictEqual(b!.headers.get('Idempotency-Key'), a!.headers.get('Idempotency-Key'));
    assert.deepEqual(b!.body!.attachmentIds, a!.body!.attachmentIds);
    assert.lengthOf(b!.body!.attachmentIds as string[], 1);
  });

  it("should show the API's refusal of attachmentIds at the files, naming the file, and upload it again on Retry", async () => {
    const { form, picker, api } = await openForm();
    type(form, 'subject', 'Old upload');
    type(form, 'description', 'From yesterday.');
    choose(picker, file('old.pdf', 'application/pdf'));
    await waitUntil(() => itemState(picker).join() === 'done');
    const [expired] = picker.value;
    // The API's words for an upload deleted after ATTACHMENTS_STAGED_TTL_HOURS: it knows only the id.
    const message = `The file ${expired!.id} is not one of your uploads (unused uploads are deleted after 24 hours). Upload it again.`;
    api.failures.push({
      status: 400,
      code: 'VALIDATION_FAILED',
      message,
      fields: { attachmentIds: message },
    });
    button(form, 'Submit').click();
    await waitUntil(() => refusals(picker) !== '', 'the refusal was not shown at the files');
    const named = message.replace(expired!.id, 'old.pdf');
    assert.strictEqual(refusals(picker), named);
    assert.deepEqual(itemState(picker), ['failed']);
    assert.include(textOf(items(picker)[0]), named);
    assert.isTrue(deepActiveElement() === $(picker, '[data-action="attach"]'));
    assert.isFalse(!!form.shadowRoot!.querySelector('[part~="alert"]'));
    assert.deepEqual(draft(api)!.attachments, [], 'the draft no longer names the expired upload');

    // Its bytes are still in this page: Retry uploads it again, and the request goes with the new id.
    button(picker, 'Retry').click();
    await waitUntil(() => itemState(picker).join() === 'done', 'not uploaded again');
    button(form, 'Submit').click();
    await waitUntil(() => api.tickets.length === 1, 'the request was not created');
    const ids = api.callsTo('tickets', 'POST').at(-1)!.body!.attachmentIds as string[];
    assert.lengthOf(ids, 1);
    assert.notStrictEqual(ids[0], expired!.id);
  });

  it('should send a reply with its files, show them while it goes, and empty the picker', async () => {
    const ticket = makeDetail();
    const mounted = await mountSignedIn({
      search: `tp-ticket=${ticket.localId}`,
      setup: (api) => api.add(ticket),
    });
    const page = await view(mounted.portal, 'tp-ticket-page');
    await waitUntil(() => page.shadowRoot!.querySelector('.reply'));
    const picker = await pickerIn(page);
    assert.isTrue(!!picker.closest('form.reply'), 'the picker is not in the reply form');
    choose(picker, file('answer.csv', 'text/csv', 64));
    await waitUntil(() => itemState(picker).join() === 'done');
    type(page, 'reply', 'Here is the export.');
    mounted.api.hold();
    button(page, 'Send reply').click();

    // Shown at once with its file, while the POST is under way; the picker is ready for the next reply.
    await waitUntil(() => page.shadowRoot!.querySelector('[data-local]'), 'the reply was not shown');
    const outgoing = page.shadowRoot!.querySelector('[data-local]')!;
    await waitUntil(() =>
      textOf(outgoing.querySelector('tp-attachment-list')?.shadowRoot?.querySelector('ul')).includes(
        'answer.csv',
      ),
    );
    assert.lengthOf(items(picker), 0);
    assert.isFalse(
      !!outgoing.querySelector('tp-attachment-list')!.shadowRoot!.querySelector('button'),
      'a file not yet on the ticket cannot be downloaded',
    );
    mounted.api.release();
    await waitUntil(() => mounted.api.callsTo(`tickets/${ticket.localId}/replies`, 'POST').length === 1);
    const body = mounted.api.callsTo(`tickets/${ticket.localId}/replies`, 'POST')[0]!.body!;
    assert.strictEqual(body.body, 'Here is the export.');
    assert.deepEqual(
      (body.attachmentIds as string[]).map((id) => mounted.api.files.get(id)!.meta.name),
      ['answer.csv'],
    );
    // Acknowledged: the message carries the file with its download.
    await waitUntil(() => !page.shadowRoot!.querySelector('[data-local]'));
    const mine = [...page.shadowRoot!.querySelectorAll('[data-from="customer"]')].at(-1)!;
    const list = mine.querySelector('tp-attachment-list')!;
    await waitUntil(() => list.shadowRoot?.querySelector('button'));
    assert.strictEqual(textOf(list.shadowRoot!.querySelector('button')), 'Download');
    await expect(page).to.be.accessible();
  });
});

function draftIdOf(api: FakeApi, name: string): string {
  const found = [...api.files.values()].find((f) => f.meta.name === name);
  if (!found) throw new Error(`no upload named ${name}`);
  return found.meta.id;
}
