import { assert } from '@open-wc/testing';
import { BOM, csvField, csvFileName, fetchAllTickets, toCsv } from './csv.js';
import { HttpTicketsApi } from './tickets-api.js';
import { FakeApi, makeTickets } from '../../test/fake-api.js';

describe('CSV export', () => {
  it('should quote commas, quotes and line breaks and double inner quotes', () => {
    assert.deepEqual(csvField('plain'), 'plain');
    assert.deepEqual(csvField('a, b'), '"a, b"');
    assert.deepEqual(csvField('say "hi"'), '"say ""hi"""');
    assert.deepEqual(csvField('two\nlines'), '"two\nlines"');
    assert.deepEqual(csvField('cr\r\nlf'), '"cr\r\nlf"');
  });

  it('should keep spreadsheets from running a cell as a formula', () => {
    assert.deepEqual(csvField('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
    assert.deepEqual(csvField('+1'), "'+1");
    assert.deepEqual(csvField('@SUM(A1)'), "'@SUM(A1)");
  });

  it("should start with a BOM and the guide's seven column names", () => {
    const [ticket] = makeTickets(1);
    const csv = toCsv([
      {
        ...ticket!,
        subject: 'Line one\nLine "two", end',
        owner: null,
        requestedBy: { name: null, email: 'x@y.example' },
      },
    ]);
    assert.deepEqual(csv.startsWith(BOM), true);
    const lines = csv.slice(1).split('\r\n');
    assert.deepEqual(lines[0], 'Ticket ID,Status,Subject,Created,Ticket Owner,Last Activity,Requested By');
    assert.include(csv, `${ticket!.id},${ticket!.status.label},"Line one\nLine ""two"", end",`);
    assert.include(csv, ',Unassigned,');
    assert.include(csv, ',x@y.example\r\n');
    assert.deepEqual(csv.endsWith('\r\n'), true);
  });

  it('should name the file after the local date', () => {
    assert.deepEqual(csvFileName(new Date(2026, 0, 5, 23, 59)), 'tickets-2026-01-05.csv');
  });

  it('should read every page one request at a time', async () => {
    const server = new FakeApi({ tickets: makeTickets(450) });
    const api = new HttpTicketsApi(server.client());
    const progress: number[] = [];
    const all = await fetchAllTickets(api, { status: 'all', sort: 'id', order: 'asc' }, undefined, (n) =>
      progress.push(n),
    );
    assert.deepEqual(all.length, 450);
    assert.deepEqual(
      all.map((t) => t.id),
      makeTickets(450).map((t) => t.id),
    );
    assert.deepEqual(
      server.listQueries.map((r) => [r.get('page'), r.get('limit')]),
      [
        ['1', '200'],
        ['2', '200'],
        ['3', '200'],
      ],
    );
    assert.deepEqual(progress, [200, 400, 450]);
  });
});
