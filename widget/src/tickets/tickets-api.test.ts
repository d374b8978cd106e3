import { assert } from '@open-wc/testing';
import { ApiError } from '../api/api-error.js';
import { HttpTicketsApi, normalisePage, ticketQueryString } from './tickets-api.js';
import { FakeApi, TOKEN, makeTickets } from '../../test/fake-api.js';

describe('HttpTicketsApi', () => {
  it('should call GET /api/v1/tickets with the bearer token and only the parameters that are set', async () => {
    const server = new FakeApi({ tickets: makeTickets(3) });
    const api = new HttpTicketsApi(server.client());
    const page = await api.list({ q: '', status: 'open', sort: 'id', order: 'asc', limit: 2, page: 1 });
    const [call] = server.calls;
    assert.deepEqual(
      { url: call!.url, authorization: call!.headers.get('Authorization') },
      {
        url: `${server.baseUrl}/api/v1/tickets?status=open&sort=id&order=asc&limit=2&page=1`,
        authorization: `Bearer ${TOKEN}`,
      },
    );
    assert.deepEqual(page.counts, { open: 3, closed: 0, awaiting: 1 });
    assert.deepEqual(page.total, 3);
    assert.lengthOf(page.items, 2);
  });

  it("should reject with the API's message when a parameter is refused", async () => {
    const api = new HttpTicketsApi(new FakeApi({ tickets: makeTickets(60) }).client());
    try {
      await api.list({ limit: 5000 });
      assert.fail('expected a 400');
    } catch (error) {
      assert.instanceOf(error, ApiError);
      assert.deepEqual(error.status, 400);
      assert.include(error.message, 'limit');
    }
  });

  it('should stop when aborted', async () => {
    const server = new FakeApi({ tickets: makeTickets(60) });
    server.hold();
    const controller = new AbortController();
    const pending = new HttpTicketsApi(server.client()).list({}, controller.signal);
    controller.abort();
    server.release();
    try {
      await pending;
      assert.fail('expected an abort');
    } catch (error) {
      assert.deepEqual((error as DOMException).name, 'AbortError');
    }
  });

  it('should encode search text safely', () => {
    assert.deepEqual(
      ticketQueryString({ q: 'a&b=c #1', page: 2, createdFrom: undefined }),
      'q=a%26b%3Dc+%231&page=2',
    );
  });

  it('should drop malformed rows and counts instead of failing the whole list', () => {
    const [good] = makeTickets(1);
    const page = normalisePage({
      items: [good, { id: 5, subject: 'bad' }, null],
      total: -1,
      counts: { open: 'x', closed: 2 },
      syncedAt: 'yesterday',
    });
    assert.deepEqual(page, { items: [good!], total: 0, counts: { open: 0, closed: 2 }, syncedAt: null });
  });
});
