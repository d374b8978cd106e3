import { AppError } from '../common/errors/app-error';
import { escapeLike } from '../repositories/ticket-list.repository';
import { normaliseQuery, parseSearch } from './ticket-list-query';

describe('TicketsListService helpers', () => {
  describe(parseSearch.name, () => {
    it('should read digits with or without # as a ticket ID', () => {
      expect(parseSearch('#123')).toEqual({ ticketId: '123' });
      expect(parseSearch('123')).toEqual({ ticketId: '123' });
      expect(parseSearch('# 0042')).toEqual({ ticketId: '42' });
    });

    it('should split anything else into at most eight words', () => {
      expect(parseSearch('invoice  march')).toEqual({ words: ['invoice', 'march'] });
      expect(parseSearch('#12 invoice')).toEqual({ words: ['12', 'invoice'] });
      expect((parseSearch('a b c d e f g h i j') as { words: string[] }).words).toHaveLength(8);
    });
  });

  describe(escapeLike.name, () => {
    it('should take %, _ and \\ literally', () => {
      expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
    });
  });

  describe(normaliseQuery.name, () => {
    it('should apply the documented defaults', () => {
      expect(normaliseQuery({})).toEqual({
        q: undefined,
        status: 'all',
        createdFrom: undefined,
        createdTo: undefined,
        activityFrom: undefined,
        activityTo: undefined,
        sort: 'lastActivity',
        order: 'desc',
        limit: 25,
        page: 1,
      });
      expect(normaliseQuery({ q: '   ' }).q).toBeUndefined();
    });

    it('should refuse a range that ends before it starts, naming the parameter', () => {
      expect(() =>
        normaliseQuery({ activityFrom: '2026-02-01T00:00:00Z', activityTo: '2026-01-01T00:00:00Z' }),
      ).toThrow(AppError);
      expect(() =>
        normaliseQuery({ createdFrom: '2026-02-01T00:00:00Z', createdTo: '2026-01-01T00:00:00Z' }),
      ).toThrow(/createdFrom/);
      expect(
        normaliseQuery({ createdFrom: '2026-01-01T00:00:00Z', createdTo: '2026-01-01T00:00:00Z' })
          .createdFrom,
      ).toEqual(new Date('2026-01-01T00:00:00Z'));
    });
  });
});
