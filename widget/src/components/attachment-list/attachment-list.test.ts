import { assert, expect, waitUntil } from '../../../test/testing.js';
import { $, $$, textOf } from '../../../test/shadow.js';
import { makeDetail, message, type FakeApi } from '../../../test/fake-api.js';
import { afterEachRequests, mountSignedIn, view } from '../../../test/requests-helpers.js';
import type { Attachment, TicketDetail } from '../../api/api-types.js';
import type { TpAttachmentList } from './attachment-list.component.js';

// The files of a ticket as the customer sees them on its page: support's and the request's, with
// previews of images and downloads through the API.

async function pngOf(width: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = 3;
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
}

async function openTicket(build: (api: FakeApi, localId: string) => Partial<TicketDetail>) {
  const base = makeDetail();
  const mounted = await mountSignedIn({
    search: `tp-ticket=${base.localId}`,
    setup: (api) => api.add({ ...base, ...build(api, base.localId) }),
  });
  const page = await view(mounted.portal, 'tp-ticket-page');
  await waitUntil(() => page.shadowRoot!.querySelector('.conversation'), 'the ticket did not load');
  return { ...mounted, page, localId: base.localId };
}

const lists = (page: Element): TpAttachmentList[] => [
  ...page.shadowRoot!.querySelectorAll('tp-attachment-list'),
];

/** Catches the download link the list clicks, instead of the browser saving the file. */
function catchDownloads(list: TpAttachmentList): { name: string; href: string }[] {
  const saved: { name: string; href: string }[] = [];
  list.shadowRoot!.addEventListener(
    'click',
    (event) => {
      const link = event.target as HTMLAnchorElement;
      if (link.localName !== 'a') return;
      event.preventDefault();
      saved.push({ name: link.download, href: link.href });
    },
    true,
  );
  return saved;
}

describe('TpAttachmentList', () => {
  afterEach(afterEachRequests);

  it("should list support's files with name, type and size, preview the images, and stay accessible", async () => {
    const png = await pngOf(5);
    let pdf!: Attachment;
    let shot!: Attachment;
    const { page, api } = await openTicket((fake, localId) => {
      pdf = fake.addFile(
        localId,
        new Blob(['%PDF-1.7 '.repeat(150)], { type: 'application/pdf' }),
        'invoice.pdf',
      );
      shot = fake.addFile(localId, png, 'screen.png');
      return {
        messages: [
          message({ from: 'support', html: '<p>Here is the invoice.</p>', attachments: [pdf, shot] }),
        ],
      };
    });
    const [list] = lists(page);
    assert.strictEqual(list!.getAttribute('label'), 'Files from Priya Shah');
    assert.strictEqual($(list!, 'ul').getAttribute('aria-label'), 'Files from Priya Shah');
    const rows = $$(list!, '[part~="attachment"]');
    assert.lengthOf(rows, 2);
    assert.include(textOf(rows[0]), 'invoice.pdf');
    assert.include(textOf(rows[0]), 'PDF document, 1.3 KB');
    assert.strictEqual(
      rows[0]!.querySelector('button')!.getAttribute('aria-label'),
      'Download invoice.pdf (PDF document, 1.3 KB)',
    );
    assert.isNull(rows[0]!.querySelector('img'), 'a PDF gets no preview');

    // The image: read through the API with the token, shown from a blob URL, decoded.
    await waitUntil(() => rows[1]!.querySelector('img'), 'no preview');
    const img = rows[1]!.querySelector('img')!;
    assert.match(img.src, /^blob:/);
    assert.strictEqual(img.getAttribute('part'), 'attachment-preview');
    await waitUntil(() => img.complete && img.naturalWidth === 5, 'the preview did not render');
    const read = api.calls.find((c) => c.url.endsWith(shot.downloadPath));
    // The customer's own session token (a link could not send it).
    assert.match(read!.headers.get('Authorization')!, /^Bearer at-/);
    assert.isUndefined(
      api.calls.find((c) => c.url.endsWith(pdf.downloadPath)),
      'nothing is downloaded before the customer asks',
    );
    await expect(page).to.be.accessible();
  });

  it('should download a file through the API with the token and save it under its name, as bytes', async () => {
    let pdf!: Attachment;
    const { page, api } = await openTicket((fake, localId) => {
      pdf = fake.addFile(
        localId,
        new Blob(['%PDF-1.7 statement'], { type: 'application/pdf' }),
        'statement.pdf',
      );
      return { attachments: [pdf] };
    });
    const [list] = lists(page);
    assert.strictEqual(list!.getAttribute('label'), 'Files sent with the request');
    const saved = catchDownloads(list!);
    $<HTMLButtonElement>(list!, 'button').click();
    await waitUntil(() => saved.length === 1, 'nothing was saved');
    assert.strictEqual(saved[0]!.name, 'statement.pdf');
    assert.match(saved[0]!.href, /^blob:/);
    const blob = await (await fetch(saved[0]!.href)).blob();
    assert.strictEqual(await blob.text(), '%PDF-1.7 statement');
    assert.strictEqual(blob.type, 'application/octet-stream', 'saved as bytes, never rendered');
    const call = api.calls.find((c) => c.url === `${api.baseUrl}${pdf.downloadPath}`);
    assert.match(call!.headers.get('Authorization')!, /^Bearer at-/);
    await waitUntil(() => textOf($(list!, '[role="status"]')) === 'statement.pdf downloaded.');
  });

  it('should say when a download fails, and never preview what the API did not serve as a raster image', async () => {
    let gone!: Attachment;
    let fake!: Attachment;
    let svg!: Attachment;
    const { page, api } = await openTicket((api, localId) => {
      gone = api.addFile(localId, new Blob(['x'], { type: 'text/plain' }), 'notes.txt');
      // Listed as a PNG fit for a preview, but served as HTML: no <img>, nothing rendered.
      const html = api.addFile(
        localId,
        new Blob(['<script>parent.__tpPwned=1</script>']),
        'x.png',
        'text/html',
      );
      fake = { ...html, contentType: 'image/png', inline: true };
      svg = api.addFile(localId, new Blob(['<svg/>'], { type: 'image/svg+xml' }), 'logo.svg');
      return {
        messages: [message({ from: 'support', html: '<p>Files</p>', attachments: [gone, fake, svg] })],
      };
    });
    const [list] = lists(page);
    await waitUntil(
      () => api.calls.some((c) => c.url.endsWith(fake.downloadPath)),
      'the preview was not read',
    );
    await list!.updateComplete;
    assert.lengthOf($$(list!, 'img'), 0);
    assert.isUndefined(
      api.calls.find((c) => c.url.endsWith(svg.downloadPath)),
      'an SVG is never previewed',
    );
    assert.include(textOf($$(list!, '[part~="attachment"]')[2]), 'SVG file');

    api.files.delete(gone.id);
    $$<HTMLButtonElement>(list!, 'button')[0]!.click();
    await waitUntil(
      () => list!.shadowRoot!.querySelector('[part~="field-error"]'),
      'the failure was not shown',
    );
    assert.strictEqual(
      textOf($(list!, '[part~="field-error"]')),
      'notes.txt could not be downloaded. This file is not on this ticket.',
    );
    assert.strictEqual(textOf($(list!, '[role="status"]')), textOf($(list!, '[part~="field-error"]')));
    assert.isUndefined((globalThis as { __tpPwned?: number }).__tpPwned);
  });

  it('should let the host page style the attachment parts through ticket-portal::part()', async () => {
    const style = document.createElement('style');
    style.textContent = `
      ticket-portal::part(attachment) { outline: 3px solid rgb(1, 2, 3); }
      ticket-portal::part(file-picker) { outline: 3px solid rgb(4, 5, 6); }
    `;
    document.head.append(style);
    try {
      const { page } = await openTicket((api, localId) => ({
        attachments: [api.addFile(localId, new Blob(['a'], { type: 'text/plain' }), 'a.txt')],
      }));
      const [list] = lists(page);
      const row = $(list!, '[part~="attachment"]');
      assert.strictEqual(getComputedStyle(row).outlineColor, 'rgb(1, 2, 3)');
      const picker = page.shadowRoot!.querySelector('tp-attachment-picker')!;
      await picker.updateComplete;
      assert.strictEqual(getComputedStyle($(picker, '[part~="file-picker"]')).outlineColor, 'rgb(4, 5, 6)');
    } finally {
      style.remove();
    }
  });
});
