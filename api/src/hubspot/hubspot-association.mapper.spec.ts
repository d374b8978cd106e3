import { associatedIds, associationMap, primaryAssociatedId } from './hubspot-association.mapper';
import contactCompanies from './__fixtures__/associations-contacts-companies-batch.json';
import ticketCompanies from './__fixtures__/associations-tickets-companies-batch.json';

describe('hubspot association mapper', () => {
  it('should group a v4 batch answer by the asked id, primary first, ids as strings', () => {
    const map = associationMap(ticketCompanies.results, [26]);

    expect(map.get('33451')).toEqual({ ids: ['21678228008', '5790939450'], primaryId: '21678228008' });
  });

  it('should merge the entries HubSpot pages for one id', () => {
    const map = associationMap(ticketCompanies.results, [26]);

    expect(map.get('29851')).toEqual({ ids: ['5790939450', '777'], primaryId: null });
  });

  it('should leave out ids HubSpot reported as having no associations', () => {
    const map = associationMap(ticketCompanies.results, [26]);

    expect(map.has('40000')).toBe(false);
  });

  it('should read the SDK form where `from` is renamed `_from`', () => {
    const map = associationMap([{ _from: { id: '1' }, to: [{ toObjectId: '2', associationTypes: [] }] }]);

    expect(map.get('1')).toEqual({ ids: ['2'], primaryId: null });
  });

  it('should find the contact primary company by type id 1', () => {
    const to = contactCompanies.results[0]!.to;

    expect(primaryAssociatedId(to, [1])).toBe('301');
    expect(associatedIds(to, [1])).toEqual(['301', '4320142817']);
  });
});
