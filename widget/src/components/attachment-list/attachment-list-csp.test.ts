import { assert, waitUntil } from '../../../test/testing.js';
import { $, $$ } from '../../../test/shadow.js';
import { makeDetail, message } from '../../../test/fake-api.js';
import { afterEachRequests, mountSignedIn, view } from '../../../test/requests-helpers.js';

// A host page whose Content Security Policy allows data: images but not blob: ones (as the demo page
// does): previews still show. Its own file: the policy, once on the page, stays for every later test.

async function png(width: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = 2;
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
}

describe('TpAttachmentList under a CSP without blob: images', () => {
  afterEach(afterEachRequests);

  it('should show previews and thumbnails as data: URLs when the page refuses blob: images', async () => {
    const policy = document.createElement('meta');
    policy.httpEquiv = 'Content-Security-Policy';
    policy.content = "img-src 'self' data:";
    document.head.append(policy);

    const image = await png(7);
    const base = makeDetail();
    const mounted = await mountSignedIn({
      search: `tp-ticket=${base.localId}`,
      setup: (api) => {
        const shot = api.addFile(base.localId, image, 'shot.png');
        api.add({
          ...base,
          messages: [message({ from: 'support', html: '<p>See</p>', attachments: [shot] })],
        });
      },
    });
    const page = await view(mounted.portal, 'tp-ticket-page');
    await waitUntil(() => page.shadowRoot!.querySelector('tp-attachment-list'));
    const list = page.shadowRoot!.querySelector('tp-attachment-list')!;
    await waitUntil(
      () => list.shadowRoot!.querySelector('img')?.src.startsWith('data:image/png'),
      'no data: preview',
    );
    const img = $<HTMLImageElement>(list, 'img');
    await waitUntil(() => img.complete && img.naturalWidth === 7, 'the preview did not render');

    // The reply box's thumbnail of a pasted screenshot, likewise.
    const picker = page.shadowRoot!.querySelector('tp-attachment-picker')!;
    const data = new DataTransfer();
    data.items.add(new File([await png(9)], 'image.png', { type: 'image/png' }));
    $(page, '#reply').dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true, cancelable: true }),
    );
    await waitUntil(
      () => $$<HTMLImageElement>(picker, '.file__preview')[0]?.src.startsWith('data:image/png'),
      'no data: thumbnail',
    );
    assert.strictEqual($$(picker, '.file__preview').length, 1);
  });
});
