import { assert } from '@open-wc/testing';
import { isActive, localDay, parseDay, toInstants } from './date-range.js';

// A Monday afternoon in the reader's (the browser's) time zone.
const now = new Date(2026, 10, 23, 15, 42, 10);
const local = (iso: string | undefined): Date => new Date(iso!);

describe('date filter presets', () => {
  it('should cover today from local midnight to the last millisecond of the day', () => {
    const { from, to } = toInstants({ preset: 'today', from: '', to: '' }, now);
    assert.deepEqual(local(from).getTime(), new Date(2026, 10, 23).getTime());
    assert.deepEqual(local(to).getTime(), new Date(2026, 10, 24).getTime() - 1);
  });

  for (const [preset, days] of [
    ['7d', 7],
    ['30d', 30],
    ['90d', 90],
  ] as const) {
    it(`should count today as one of the ${days} days of ${preset}`, () => {
      const { from, to } = toInstants({ preset, from: '', to: '' }, now);
      const start = local(from);
      assert.deepEqual([start.getHours(), start.getMinutes(), start.getSeconds()], [0, 0, 0]);
      assert.deepEqual(localDay(start), localDay(new Date(2026, 10, 23 - days + 1)));
      assert.deepEqual(localDay(local(to)), '2026-11-23');
      // Whole calendar days, even across a daylight-saving change.
      const span = Math.round((Date.parse(to!) + 1 - Date.parse(from!)) / 86_400_000);
      assert.deepEqual(span, days);
    });
  }

  it('should make This year run from 1 January to 31 December', () => {
    const { from, to } = toInstants({ preset: 'year', from: '', to: '' }, now);
    assert.deepEqual(local(from).getTime(), new Date(2026, 0, 1).getTime());
    assert.deepEqual(local(to).getTime(), new Date(2027, 0, 1).getTime() - 1);
  });

  it('should turn a custom range into the start of its first and the end of its last day', () => {
    const { from, to } = toInstants({ preset: 'custom', from: '2026-03-01', to: '2026-03-31' }, now);
    assert.deepEqual(local(from).getTime(), new Date(2026, 2, 1).getTime());
    assert.deepEqual(local(to).getTime(), new Date(2026, 3, 1).getTime() - 1);
    assert.hasAllKeys(toInstants({ preset: 'custom', from: '2026-03-01', to: '' }, now), ['from']);
    assert.deepEqual(toInstants({ preset: 'custom', from: '', to: '' }, now), {});
    assert.deepEqual(
      toInstants({ preset: 'custom', from: '2026-03-31', to: '2026-03-01' }, now),
      toInstants({ preset: 'custom', from: '2026-03-01', to: '2026-03-31' }, now),
    );
  });

  it('should send nothing for Any time and treat an empty custom range as inactive', () => {
    assert.deepEqual(toInstants({ preset: 'any', from: '', to: '' }, now), {});
    assert.deepEqual(isActive({ preset: 'custom', from: '', to: '' }), false);
    assert.deepEqual(isActive({ preset: 'custom', from: '2026-01-01', to: '' }), true);
    assert.deepEqual(isActive({ preset: 'today', from: '', to: '' }), true);
  });

  it('should reject days that do not exist', () => {
    assert.deepEqual(parseDay('2026-02-29'), null);
    assert.deepEqual(parseDay('2028-02-29'), { y: 2028, m: 2, d: 29 });
    assert.deepEqual(parseDay('26-1-1'), null);
  });
});
