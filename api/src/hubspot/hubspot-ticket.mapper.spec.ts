import { toTicket, toTicketCore } from './hubspot-ticket.mapper';
import batchRead from './__fixtures__/tickets-batch-read.json';
import createAnswer from './__fixtures__/ticket-create-201.json';
import listPage from './__fixtures__/tickets-list-page.json';

describe('hubspot ticket mapper', () => {
  describe(toTicketCore.name, () => {
    it('should map every portal field when HubSpot returns a full ticket', () => {
      const ticket = toTicketCore(batchRead.results[0]!);

      expect(ticket).toEqual({
        id: '4444888856',
        subject: 'Printer on fire',
        content: 'The office printer shows error E-42 and smells of smoke.',
        pipelineId: '0',
        stageId: '2',
        priority: 'HIGH',
        category: 'PRODUCT_ISSUE',
        ownerId: '41629779',
        createdAt: new Date('2024-08-15T17:09:13.648Z'),
        lastActivityAt: new Date('2024-08-19T08:00:00.000Z'),
        lastModifiedAt: new Date('2024-08-20T09:30:00.000Z'),
        closedAt: null,
        requestKey: 'req-7f3c2a10',
      });
    });

    it('should treat empty strings as cleared and fall back to hs_lastmodifieddate for last activity', () => {
      const ticket = toTicketCore(batchRead.results[1]!);

      expect(ticket.content).toBeNull();
      expect(ticket.ownerId).toBeNull();
      expect(ticket.priority).toBeNull();
      expect(ticket.requestKey).toBeNull();
      expect(ticket.lastActivityAt).toEqual(new Date('2024-07-03T12:00:00.000Z'));
      expect(ticket.closedAt).toEqual(new Date('2024-07-03T12:00:00.000Z'));
    });

    it('should read epoch-millisecond strings when a date property comes that way', () => {
      const ticket = toTicketCore(listPage.results[1]!);

      expect(ticket.lastModifiedAt).toEqual(new Date(1723795200000));
      expect(ticket.lastActivityAt).toEqual(new Date(1723795200000));
    });

    it('should use the SDK Date fields when the properties lack dates', () => {
      const ticket = toTicketCore({
        id: '5',
        properties: { subject: null },
        createdAt: new Date('2024-01-01T00:00:00.000Z'),
        updatedAt: new Date('2024-01-02T00:00:00.000Z'),
      });

      expect(ticket.subject).toBe('');
      expect(ticket.createdAt).toEqual(new Date('2024-01-01T00:00:00.000Z'));
      expect(ticket.lastModifiedAt).toEqual(new Date('2024-01-02T00:00:00.000Z'));
    });

    it('should map the 201 answer of a create with its system properties', () => {
      const ticket = toTicketCore(createAnswer);

      expect(ticket.id).toBe('1145814089');
      expect(ticket.stageId).toBe('1');
      expect(ticket.lastModifiedAt).toEqual(new Date('2024-08-15T17:09:13.648Z'));
    });
  });

  describe(toTicket.name, () => {
    it('should dedupe embedded associations and put the labelled (primary) company first', () => {
      const ticket = toTicket(listPage.results[0]!);

      expect(ticket.contactIds).toEqual(['201']);
      expect(ticket.companyIds).toEqual(['301', '4320142817']);
    });

    it('should give empty association lists when HubSpot omits the associations key', () => {
      const ticket = toTicket(listPage.results[1]!);

      expect(ticket.contactIds).toEqual([]);
      expect(ticket.companyIds).toEqual([]);
    });

    it('should prefer links read from the v4 associations API when given', () => {
      const ticket = toTicket(listPage.results[0]!, { contactIds: ['9'], companyIds: [] });

      expect(ticket.contactIds).toEqual(['9']);
      expect(ticket.companyIds).toEqual([]);
    });
  });
});
