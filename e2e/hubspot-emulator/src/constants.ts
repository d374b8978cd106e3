// Fixed identifiers the emulator shares with its users (the API's tests, the demo, the console).

/** The demo login's HubSpot contact: Alex Morgan at Harbour Lights Music. */
export const DEMO_CONTACT_EMAIL = 'demo@example.com';
export const DEMO_CONTACT_FIRSTNAME = 'Alex';
export const DEMO_CONTACT_LASTNAME = 'Morgan';
export const DEMO_COMPANY_NAME = 'Harbour Lights Music';
export const DEMO_COMPANY_DOMAIN = 'harbourlightsmusic.example';

/** HubSpot's default ticket pipeline ("Support Pipeline") and its stages. */
export const DEFAULT_PIPELINE_ID = '0';
export const STAGE_NEW = '1';
export const STAGE_WAITING_ON_CONTACT = '2';
export const STAGE_WAITING_ON_US = '3';
export const STAGE_CLOSED = '4';
export const TICKET_STAGE_IDS = {
  new: STAGE_NEW,
  waitingOnContact: STAGE_WAITING_ON_CONTACT,
  waitingOnUs: STAGE_WAITING_ON_US,
  closed: STAGE_CLOSED,
} as const;

/** HubSpot-defined association type ids (v4), as in the SDK's AssociationTypes enum. */
export const AssociationTypeId = {
  primaryContactToCompany: 1,
  primaryCompanyToContact: 2,
  contactToTicket: 15,
  ticketToContact: 16,
  primaryCompanyToTicket: 25,
  primaryTicketToCompany: 26,
  ticketToDeal: 28,
  companyToEmail: 185,
  emailToCompany: 186,
  companyToNote: 189,
  noteToCompany: 190,
  companyToTask: 191,
  taskToCompany: 192,
  contactToEmail: 197,
  emailToContact: 198,
  contactToNote: 201,
  noteToContact: 202,
  contactToTask: 203,
  taskToContact: 204,
  ticketToEmail: 223,
  emailToTicket: 224,
  ticketToNote: 227,
  noteToTicket: 228,
  ticketToTask: 229,
  taskToTicket: 230,
  contactToCompany: 279,
  companyToContact: 280,
  ticketToCompany: 339,
  companyToTicket: 340,
} as const;

/** Object type ids HubSpot uses in the v4 associations API. */
export const OBJECT_TYPE_IDS = {
  contacts: '0-1',
  companies: '0-2',
  tickets: '0-5',
  notes: '0-46',
  emails: '0-49',
  tasks: '0-27',
} as const;

export type ObjectType = keyof typeof OBJECT_TYPE_IDS;
export const OBJECT_TYPES = Object.keys(OBJECT_TYPE_IDS) as ObjectType[];

/** Portal id and app id written into webhook events. */
export const EMULATOR_PORTAL_ID = 62515;
export const EMULATOR_APP_ID = 1160452;

export const DEFAULT_ACCESS_TOKEN = 'emulator-token';
export const DEFAULT_CLIENT_SECRET = 'emulator-secret';
