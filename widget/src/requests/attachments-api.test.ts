import { assert } from '@open-wc/testing';
import { ATTACHMENT_LIMITS, FakeApi } from '../../test/fake-api.js';
import { ApiError, NetworkError } from '../api/api-error.js';
import {
  attachmentLimits,
  fileProblem,
  formatBytes,
  typeName,
  uploadFile,
  uploadTransport,
} from './attachments-api.js';

describe('attachments-api', () => {
  it('should word sizes as the API does (binary multiples)', () => {
    assert.strictEqual(formatBytes(26_214_400), '25 MB');
    assert.strictEqual(formatBytes(1536), '1.5 KB');
    assert.strictEqual(formatBytes(999), '999 bytes');
  });

  it('should refuse by size, total and type, but leave the content to the API', () => {
    const limits = { ...ATTACHMENT_LIMITS, types: [...ATTACHMENT_LIMITS.types, 'image/*'] };
    const f = (name: string, type: string, size = 10) => ({ name, type, size });
    assert.isUndefined(fileProblem(f('a.pdf', 'application/pdf'), limits, 0));
    // The browser does not know the type: the name decides here, the content on the API.
    assert.isUndefined(fileProblem(f('notes.log', ''), limits, 0));
    assert.isUndefined(fileProblem(f('photo.heic', 'image/heic'), limits, 0), 'a family takes it');
    assert.match(
      fileProblem(f('logo.svg', 'image/svg+xml'), limits, 0)!,
      /^logo\.svg cannot be attached here\./,
    );
    assert.match(fileProblem(f('page.html', 'text/html'), limits, 0)!, /Files you can attach: PNG image/);
    assert.strictEqual(
      fileProblem(f('big.pdf', 'application/pdf', 25 * 1024 * 1024 + 1), limits, 0),
      'big.pdf is larger than 25 MB: each file can be at most 25 MB.',
    );
    assert.match(
      fileProblem(f('last.pdf', 'application/pdf', 2 * 1024 * 1024), limits, 49 * 1024 * 1024)!,
      /more than 50 MB: the files of one message can be at most 50 MB together\.$/,
    );
  });

  it('should name types as a person reads them', () => {
    assert.strictEqual(typeName('application/pdf', 'x.pdf'), 'PDF document');
    assert.strictEqual(typeName('application/octet-stream', 'trace.har'), 'HAR file');
    assert.strictEqual(typeName('application/octet-stream', 'README'), 'File');
  });

  it('should read the limits from GET portal once per client, and again after a failure', async () => {
    const api = new FakeApi();
    const client = api.client();
    api.offline = true;
    assert.isNull(await attachmentLimits(client));
    api.offline = false;
    const limits = await attachmentLimits(client);
    assert.strictEqual(limits?.maxFiles, 10);
    await attachmentLimits(client);
    // The failed read and the one that worked; none after.
    assert.lengthOf(api.callsTo('portal', 'GET'), 2);
  });

  it("should report upload progress, and map refusals and lost connections like the API client's calls", async () => {
    const api = new FakeApi();
    const client = api.client();
    const original = uploadTransport.create;
    uploadTransport.create = api.xhr;
    try {
      const progress: number[] = [];
      const stored = await uploadFile(client, new Blob(['hello']), 'hello.txt', {
        onProgress: (sent, total) => progress.push(sent / total),
      });
      assert.lengthOf(progress, 2);
      assert.closeTo(progress[0]!, 0.5, 0.01);
      assert.strictEqual(progress[1], 1);
      assert.include(stored, { name: 'hello.txt', size: 5 });

      api.uploadFailures.push({ status: 401, code: 'UNAUTHENTICATED', message: 'Your session has ended.' });
      let signalled = 0;
      client.addEventListener('unauthorized', () => (signalled += 1));
      const refused = await uploadFile(client, new Blob(['x']), 'x.txt').catch((e: unknown) => e);
      assert.instanceOf(refused, ApiError);
      assert.strictEqual(refused.status, 401);
      assert.strictEqual(signalled, 1, 'a 401 ends the session, as for every call');

      api.uploadFailures.push('offline');
      assert.instanceOf(
        await uploadFile(client, new Blob(['x']), 'x.txt').catch((e: unknown) => e),
        NetworkError,
      );

      const abort = new AbortController();
      api.holdUploads();
      const pending = uploadFile(client, new Blob(['x']), 'x.txt', { signal: abort.signal }).catch(
        (e: unknown) => e,
      );
      abort.abort();
      const aborted = await pending;
      assert.strictEqual((aborted as DOMException).name, 'AbortError');
      assert.isTrue(api.uploads.at(-1)!.aborted);
      api.releaseUploads();
    } finally {
      uploadTransport.create = original;
    }
  });
});
