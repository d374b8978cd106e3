import { type HsTicket } from '../hubspot/hubspot.types';
import { buildTicketUpsert } from '../repositories/tickets.repository';
import { fit, ownerDisplayName, type TicketLookups, toTicketRow } from './mirror-row.mapper';

const ticket = (overrides: Partial<HsTicket> = {}): HsTicket => ({
  id: '1001',
  subject: 'Printer on fire',
  content: 'Help',
  pipelineId: '0',
  stageId: '4',
  priority: 'HIGH',
  category: null,
  ownerId: '77',
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  lastActivityAt: new Date('2026-01-02T00:00:00.000Z'),
  lastModifiedAt: new Date('2026-01-03T00:00:00.000Z'),
  closedAt: null,
  requestKey: null,
  contactIds: ['501', '502'],
  companyIds: ['9001'],
  ...overrides,
});

const lookups: TicketLookups = {
  stage: (p, s) =>
    p === '0' && s === '4' ? { label: 'Closed', kind: 'closed', displayOrder: 3, closed: true } : undefined,
  ownerName: (id) => (id === '77' ? 'Dana Scully' : undefined),
  contact: (id) => (id === '501' ? { name: 'Alex Morgan', email: 'demo@example.com' } : undefined),
};

describe('toTicketRow', () => {
  it('should copy stage, owner and requester names onto the row', () => {
    const row = toTicketRow(ticket(), lookups);
    expect(row).toMatchObject({
      hubspot_id: '1001',
      stage_label: 'Closed',
      stage_order: 3,
      is_closed: 1,
      status_kind: 'closed',
      owner_name: 'Dana Scully',
      contact_id: '501',
      requester_name: 'Alex Morgan',
      requester_email: 'demo@example.com',
      company_id: '9001',
    });
  });

  it('should store NULL for an unassigned ticket and fall back to the close date for an unknown stage', () => {
    const row = toTicketRow(ticket({ ownerId: null, stageId: '99', closedAt: new Date() }), lookups);
    expect(row.owner_name).toBeNull();
    expect(row.stage_label).toBeNull();
    expect(row.is_closed).toBe(1);
  });

  it('should cut long subjects by characters, not UTF-16 units', () => {
    expect(fit('😀'.repeat(600), 500)).toHaveLength(1000);
    expect(toTicketRow(ticket({ subject: 'x'.repeat(700) }), lookups).subject).toHaveLength(500);
  });
});

describe('ownerDisplayName', () => {
  it('should prefer the name, then the email', () => {
    expect(ownerDisplayName({ firstName: ' Fox ', lastName: null, email: 'f@x' })).toBe('Fox');
    expect(ownerDisplayName({ firstName: null, lastName: '', email: 'f@x' })).toBe('f@x');
    expect(ownerDisplayName({ firstName: null, lastName: null, email: null })).toBeNull();
  });
});

describe('buildTicketUpsert', () => {
  it('should guard every mirrored column and assign the guard column last', () => {
    const { sql, params } = buildTicketUpsert(
      [toTicketRow(ticket(), lookups), toTicketRow(ticket({ id: '2' }), lookups)],
      new Date(),
    );
    const updates = sql.slice(sql.indexOf('ON DUPLICATE KEY UPDATE'));
    expect(
      updates
        .trim()
        .endsWith(
          'hs_lastmodified_at = IF((hs_lastmodified_at IS NULL OR VALUES(hs_lastmodified_at) >= hs_lastmodified_at), VALUES(hs_lastmodified_at), hs_lastmodified_at)',
        ),
    ).toBe(true);
    for (const column of ['subject', 'stage_label', 'owner_name', 'hubspot_id', 'sync_state']) {
      expect(updates).toContain(`${column} = IF((hs_lastmodified_at IS NULL OR`);
    }
    expect(updates).not.toMatch(/created_by_customer_id/);
    expect(params.length).toBe((sql.match(/\?/g) ?? []).length);
  });
});
