import type { AppConfig } from '../config/app-config';
import type { CustomerScopeService } from '../customers/customer-scope.service';
import type { TicketsRepository } from '../repositories/tickets.repository';
import { TicketVisibility, type VisibilityRow } from './ticket-visibility.service';

const visibility = (mode: 'company' | 'contact', property?: string) =>
  new TicketVisibility(
    { portalTicketScope: mode, portalCompanyScopeProperty: property } as AppConfig,
    {} as CustomerScopeService,
    {} as TicketsRepository,
  );

const NO_STRAYS = { company: false, contact: false };

/** The SQL fragment's meaning for one row, for the equalities listScope produces. */
function matches(where: { text: string; params: unknown[] }, row: VisibilityRow): boolean {
  const [first, second] = where.params;
  if (where.text === 'created_by_customer_id = ?') return row.created_by_customer_id === first;
  const own = where.text.includes('OR created_by_customer_id') && row.created_by_customer_id === second;
  if (where.text.startsWith('(company_id = ?') || where.text.startsWith('company_id = ?')) {
    return row.company_id === first || own;
  }
  // The contact scope: a semi-join on ticket_contacts (every contact on the ticket).
  expect(where.text).toMatch(/id IN \(SELECT ticket_id FROM ticket_contacts WHERE contact_id = \?\)/);
  return row.contact_ids.includes(first as string) || own;
}

describe(TicketVisibility.name, () => {
  const rows: VisibilityRow[] = [
    { created_by_customer_id: null, company_id: 'co1', contact_ids: ['k1'] },
    { created_by_customer_id: null, company_id: 'co1', contact_ids: ['k2'] },
    { created_by_customer_id: null, company_id: 'co2', contact_ids: ['k1'] },
    { created_by_customer_id: 'me', company_id: 'co9', contact_ids: ['k9'] },
    { created_by_customer_id: 'other', company_id: null, contact_ids: [] },
    // k1 in copy on k3's ticket of another company.
    { created_by_customer_id: null, company_id: 'co3', contact_ids: ['k3', 'k1'] },
  ];

  it("should show a linked customer their company's tickets in company mode, their contact's otherwise", () => {
    const link = { contactId: 'k1', companyId: 'co1', companyScope: false };
    expect(rows.map((r) => visibility('company').visibleTo('me', link, r))).toEqual([
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
    // Contact scope: every ticket the contact is on, as requester or in copy.
    expect(rows.map((r) => visibility('contact').visibleTo('me', link, r))).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
    ]);
    expect(visibility('company').scopeKey(link)).toBe('company:co1');
    expect(visibility('company').scopeKey({ contactId: 'k1', companyId: null, companyScope: false })).toBe(
      'contact:k1',
    );
    expect(visibility('contact').scopeKey(link)).toBe('contact:k1');
  });

  it('should show a customer not linked yet only what they submitted', () => {
    expect(rows.map((r) => visibility('company').visibleTo('me', null, r))).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(visibility('company').scopeKey(null)).toBeNull();
  });

  it('should give the list the same rule as the rows, one equality unless own submissions lie outside', () => {
    const links = [
      { contactId: 'k1', companyId: 'co1', companyScope: false },
      { contactId: 'k1', companyId: null, companyScope: false },
      null,
    ];
    for (const mode of ['company', 'contact'] as const) {
      const v = visibility(mode);
      for (const link of links) {
        // The probes found submissions outside the scope: the fragment ORs them in, nothing cached.
        const all = v.listScope('me', link, { company: true, contact: true });
        for (const row of rows) expect(matches(all.where, row)).toBe(v.visibleTo('me', link, row));
        expect(all.cached).toBeNull();
        // None outside (the customer's own row here lies outside every scope, so it is left out).
        const plain = v.listScope('me', link, NO_STRAYS);
        for (const row of rows.filter((r) => !link || r.created_by_customer_id !== 'me')) {
          expect(matches(plain.where, row)).toBe(v.visibleTo('me', link, row));
        }
        expect(plain.cached).toEqual(link ? v.scopeOf(link) : null);
      }
    }
  });

  it('should give company scope only to contacts whose property is true when the operator named one', () => {
    const v = visibility('company', 'portal_admin');
    const admin = { contactId: 'k1', companyId: 'co1', companyScope: true };
    const member = { contactId: 'k1', companyId: 'co1', companyScope: false };
    expect(v.scopeKey(admin)).toBe('company:co1');
    expect(v.scopeKey(member)).toBe('contact:k1');
    expect(rows.map((r) => v.visibleTo('me', member, r))).toEqual(
      rows.map((r) => visibility('contact').visibleTo('me', member, r)),
    );
    expect(v.involvements(admin)).toEqual(['mine', 'cc', 'company']);
    expect(v.involvements(member)).toEqual(['mine', 'cc']);
    expect(v.involvements(null)).toEqual(['mine']);
  });

  it('should narrow the list to an involvement inside the rule, and to nothing for one the rule lacks', () => {
    const link = { contactId: 'k1', companyId: 'co1', companyScope: false };
    const company = visibility('company').listScope('me', link, NO_STRAYS, 'company');
    expect(company).toEqual({
      where: { text: '(company_id = ?) AND company_id = ?', params: ['co1', 'co1'] },
      cached: null,
    });
    const cc = visibility('contact').listScope('me', link, NO_STRAYS, 'cc');
    expect(cc.where.text).toBe(
      '(id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = ?)) AND id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = ? AND is_primary = 0)',
    );
    expect(cc.where.params).toEqual(['k1', 'k1']);
    const mine = visibility('contact').listScope('me', link, { company: true, contact: true }, 'mine');
    expect(mine.where.text).toMatch(
      /\) AND \(id IN \(SELECT own\.id FROM tickets own WHERE own\.created_by_customer_id = \?\) OR id IN \(SELECT ticket_id FROM ticket_contacts WHERE contact_id = \? AND is_primary = 1\)\)$/,
    );
    expect(mine.where.params).toEqual(['k1', 'me', 'me', 'k1']);
    expect(visibility('contact').listScope('me', link, NO_STRAYS, 'company').where.text).toMatch(
      / AND 1 = 0$/,
    );
    expect(visibility('company').listScope('me', null, NO_STRAYS, 'cc').where).toEqual({
      text: '(created_by_customer_id = ?) AND 1 = 0',
      params: ['me'],
    });
  });
});
