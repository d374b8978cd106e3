export { associationDefinition } from './associations-schema';
export { type CallStats } from './call-stats';
export { startEmulator, type Emulator, type EmulatorOptions } from './emulator';
export {
  AssociationTypeId,
  DEFAULT_ACCESS_TOKEN,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_PIPELINE_ID,
  DEMO_COMPANY_NAME,
  DEMO_CONTACT_EMAIL,
  DEMO_CONTACT_FIRSTNAME,
  DEMO_CONTACT_LASTNAME,
  EMULATOR_APP_ID,
  EMULATOR_PORTAL_ID,
  OBJECT_TYPE_IDS,
  STAGE_CLOSED,
  STAGE_NEW,
  STAGE_WAITING_ON_CONTACT,
  STAGE_WAITING_ON_US,
  TICKET_STAGE_IDS,
  type ObjectType,
} from './constants';
export { type FaultOptions, type FaultPatch } from './faults';
export { type FileStore, type StoredFile } from './files';
export { type RateLimitOptions } from './rate-limiter';
export { prng, seedStore, type SeedOptions, type SeedResult } from './seed';
export { StaffActions, type StaffTicketInput } from './staff';
export { Store, type ChangeSource, type CrmRecord, type Owner, type Pipeline } from './store';
export {
  signV3,
  type DeliveryRecord,
  type WebhookEvent,
  type WebhookOptions,
  type WebhookSwitches,
} from './webhooks';
