import { AssociationTypeId as A, type ObjectType } from './constants';

export interface AssociationDefinition {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  /** null for HubSpot's unlabeled (default) association. */
  label: string | null;
  inverseTypeId: number;
  primary: boolean;
}

const pairs: [ObjectType, ObjectType, number, number, string | null][] = [
  ['tickets', 'contacts', A.ticketToContact, A.contactToTicket, null],
  ['tickets', 'companies', A.ticketToCompany, A.companyToTicket, null],
  ['tickets', 'companies', A.primaryTicketToCompany, A.primaryCompanyToTicket, 'Primary'],
  ['contacts', 'companies', A.contactToCompany, A.companyToContact, null],
  ['contacts', 'companies', A.primaryContactToCompany, A.primaryCompanyToContact, 'Primary'],
  ['emails', 'tickets', A.emailToTicket, A.ticketToEmail, null],
  ['notes', 'tickets', A.noteToTicket, A.ticketToNote, null],
  ['emails', 'contacts', A.emailToContact, A.contactToEmail, null],
  ['notes', 'contacts', A.noteToContact, A.contactToNote, null],
  ['emails', 'companies', A.emailToCompany, A.companyToEmail, null],
  ['notes', 'companies', A.noteToCompany, A.companyToNote, null],
  ['tasks', 'tickets', A.taskToTicket, A.ticketToTask, null],
  ['tasks', 'contacts', A.taskToContact, A.contactToTask, null],
  ['tasks', 'companies', A.taskToCompany, A.companyToTask, null],
];

export const ASSOCIATION_DEFINITIONS: AssociationDefinition[] = pairs.flatMap(
  ([from, to, typeId, inverse, label]) => [
    { from, to, typeId, label, inverseTypeId: inverse, primary: label === 'Primary' },
    { from: to, to: from, typeId: inverse, label, inverseTypeId: typeId, primary: label === 'Primary' },
  ],
);

const byTypeId = new Map(ASSOCIATION_DEFINITIONS.map((d) => [d.typeId, d]));

export function associationDefinition(typeId: number): AssociationDefinition | undefined {
  return byTypeId.get(typeId);
}

/** The unlabeled association type between two object types, if HubSpot defines one. */
export function defaultAssociation(from: ObjectType, to: ObjectType): AssociationDefinition | undefined {
  return ASSOCIATION_DEFINITIONS.find((d) => d.from === from && d.to === to && d.label === null);
}

/** Accepts `contact`, `contacts`, `CONTACT`, `0-1` and the like. */
export function parseObjectType(raw: string): ObjectType | undefined {
  const s = raw.toLowerCase();
  const table: Record<string, ObjectType> = {
    contact: 'contacts',
    contacts: 'contacts',
    '0-1': 'contacts',
    company: 'companies',
    companies: 'companies',
    '0-2': 'companies',
    ticket: 'tickets',
    tickets: 'tickets',
    '0-5': 'tickets',
    note: 'notes',
    notes: 'notes',
    '0-46': 'notes',
    email: 'emails',
    emails: 'emails',
    '0-49': 'emails',
    task: 'tasks',
    tasks: 'tasks',
    '0-27': 'tasks',
  };
  return table[s];
}

/** Name used in webhook `associationType`, e.g. TICKET_TO_CONTACT. */
export function webhookAssociationName(from: ObjectType, to: ObjectType): string {
  const singular: Record<ObjectType, string> = {
    tickets: 'TICKET',
    contacts: 'CONTACT',
    companies: 'COMPANY',
    emails: 'EMAIL',
    notes: 'NOTE',
    tasks: 'TASK',
  };
  return `${singular[from]}_TO_${singular[to]}`;
}

/**
 * `type` of a v3 AssociatedId: `ticket_to_contact`; where a primary label exists the unlabeled
 * association is reported as `ticket_to_company_unlabeled` and the primary as `ticket_to_company`.
 */
export function v3AssociationName(
  from: ObjectType,
  to: ObjectType,
  primary: boolean,
  hasPrimaryVariant: boolean,
): string {
  const base = webhookAssociationName(from, to).toLowerCase();
  return hasPrimaryVariant && !primary ? `${base}_unlabeled` : base;
}

export function hasPrimaryVariant(from: ObjectType, to: ObjectType): boolean {
  return ASSOCIATION_DEFINITIONS.some((d) => d.from === from && d.to === to && d.primary);
}
