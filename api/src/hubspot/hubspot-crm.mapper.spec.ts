import { toCompany, toContact } from './hubspot-contact.mapper';
import { toOwner } from './hubspot-owner.mapper';
import { toPipeline } from './hubspot-pipeline.mapper';
import { toPropertyOptions } from './hubspot-property.mapper';
import companies from './__fixtures__/companies-batch-read.json';
import contacts from './__fixtures__/contacts-batch-read.json';
import owners from './__fixtures__/owners-page.json';
import pipelines from './__fixtures__/pipelines-tickets.json';
import priority from './__fixtures__/property-ticket-priority.json';

describe('hubspot CRM mappers', () => {
  describe(toPipeline.name, () => {
    it('should order stages, drop archived ones and read ticketState', () => {
      const pipeline = toPipeline(pipelines.results[0]!);

      expect(pipeline.label).toBe('Support Pipeline');
      expect(pipeline.stages.map((s) => [s.id, s.label, s.ticketState])).toEqual([
        ['1', 'New', 'OPEN'],
        ['2', 'Waiting on contact', 'OPEN'],
        ['3', 'Waiting on us', 'OPEN'],
        ['4', 'Closed', 'CLOSED'],
      ]);
    });

    it('should fall back to metadata.isClosed when a stage has no ticketState', () => {
      const pipeline = toPipeline(pipelines.results[1]!);

      expect(pipeline.stages.map((s) => s.ticketState)).toEqual(['OPEN', 'CLOSED']);
    });
  });

  describe(toOwner.name, () => {
    it('should keep archived owners with their names', () => {
      const [active, archived] = owners.results.map((o) => toOwner(o));

      expect(active).toEqual({
        id: '41629779',
        firstName: 'HubSpot',
        lastName: 'Test Owner',
        email: 'email@hubspot.com',
        archived: false,
      });
      expect(archived).toEqual({
        id: '52000001',
        firstName: 'Former',
        lastName: null,
        email: 'gone@hubspot.com',
        archived: true,
      });
    });
  });

  describe(toContact.name, () => {
    it('should lower-case the email and carry the companies it is given', () => {
      const contact = toContact(contacts.results[0]!, ['301', '4320142817'], '301');

      expect(contact).toEqual({
        id: '201',
        email: 'alex.morgan@example.com',
        firstName: 'Alex',
        lastName: 'Morgan',
        companyIds: ['301', '4320142817'],
        primaryCompanyId: '301',
        companyScope: false,
      });
    });

    it('should read the company-scope property as true only when HubSpot says "true"', () => {
      const raw = contacts.results[0]!;
      const withFlag = (value: string | null) =>
        toContact(
          { ...raw, properties: { ...raw.properties, portal_admin: value } },
          [],
          null,
          'portal_admin',
        );
      expect(withFlag('true').companyScope).toBe(true);
      expect(withFlag('false').companyScope).toBe(false);
      expect(withFlag(null).companyScope).toBe(false);
      // The same value without the setting: no company scope to give.
      expect(
        toContact({ ...raw, properties: { ...raw.properties, portal_admin: 'true' } }).companyScope,
      ).toBe(false);
    });
  });

  describe(toCompany.name, () => {
    it('should map name and domain, null when unset', () => {
      expect(companies.results.map(toCompany)).toEqual([
        { id: '301', name: 'Harbour Lights Music', domain: 'harbourlights.example' },
        { id: '302', name: 'No Domain Ltd', domain: null },
      ]);
    });
  });

  describe(toPropertyOptions.name, () => {
    it('should list options in display order and flag hidden ones', () => {
      expect(toPropertyOptions(priority)).toEqual([
        { value: 'LOW', label: 'Low', displayOrder: 0, hidden: false },
        { value: 'MEDIUM', label: 'Medium', displayOrder: 1, hidden: false },
        { value: 'HIGH', label: 'High', displayOrder: 2, hidden: false },
        { value: 'URGENT', label: 'Urgent', displayOrder: 3, hidden: true },
      ]);
    });

    it('should answer no options when the property is missing', () => {
      expect(toPropertyOptions(undefined)).toEqual([]);
    });
  });
});
