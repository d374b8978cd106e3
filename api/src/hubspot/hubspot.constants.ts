// HubSpot names and ids the adapter and mappers share (reference: shared/reference/hubspot-api.md).

/**
 * Custom ticket property holding the portal's idempotency key. The installer creates it
 * (HubSpotPort.ensureCustomProperties does it through the properties API): a single-line text
 * property with unique values, so HubSpot itself refuses a second ticket with the same key.
 */
export const REQUEST_KEY_PROPERTY = 'tp_request_key';

/**
 * Custom task property holding the portal's idempotency key for tasks it creates (one per event,
 * e.g. a customer reply that must notify the ticket owner). Created like REQUEST_KEY_PROPERTY.
 */
export const TASK_EVENT_KEY_PROPERTY = 'tp_event_key';

/**
 * Custom email property holding a customer reply's key (also in hs_email_headers, where every reply
 * logged before it existed has it). Unique values, so a batch reads replies by key (idProperty)
 * before logging them again, and HubSpot refuses a second email with the same key.
 */
export const REPLY_KEY_PROPERTY = 'tp_reply_key';

export const TASK_PROPERTIES = [
  'hs_timestamp',
  'hs_task_subject',
  'hs_task_body',
  'hs_task_status',
  'hs_task_priority',
  'hs_task_completion_date',
  'hubspot_owner_id',
  TASK_EVENT_KEY_PROPERTY,
] as const;

/** Files the portal uploads are private: only a signed URL reads them. */
export const FILE_ACCESS_PRIVATE = 'PRIVATE';
/** Lifetime of the signed URL fileDownload asks for and uses at once. */
export const SIGNED_URL_SECONDS = 300;

export const TICKET_PROPERTIES = [
  'subject',
  'content',
  'hs_pipeline',
  'hs_pipeline_stage',
  'hs_ticket_priority',
  'hs_ticket_category',
  'hubspot_owner_id',
  'createdate',
  'hs_lastmodifieddate',
  'hs_lastactivitydate',
  'closed_date',
  REQUEST_KEY_PROPERTY,
] as const;

export const CONTACT_PROPERTIES = ['email', 'firstname', 'lastname'] as const;
export const COMPANY_PROPERTIES = ['name', 'domain'] as const;

export const EMAIL_PROPERTIES = [
  'hs_timestamp',
  'hs_email_direction',
  'hs_email_status',
  'hs_email_subject',
  'hs_email_text',
  'hs_email_html',
  'hs_email_headers',
  'hs_email_from_email',
  'hs_email_from_firstname',
  'hs_email_from_lastname',
  'hs_attachment_ids',
] as const;

/** HUBSPOT_DEFINED association type ids (§1.3, §5, §6.2 of the reference). */
export const AssociationTypeId = {
  ticketToContact: 16,
  ticketToCompany: 339,
  ticketToPrimaryCompany: 26,
  contactToPrimaryCompany: 1,
  contactToCompany: 279,
  emailToTicket: 224,
  emailToContact: 198,
  taskToTicket: 230,
} as const;

/** Per-call maxima HubSpot enforces. */
export const HubSpotLimits = {
  batchInputs: 100,
  associationBatchInputs: 1000,
  /** v4 association batch writes (associate-default, archive) take up to 2,000; we send half. */
  associationBatchWrites: 1000,
  associationPage: 500,
  listPage: 100,
  searchPage: 200,
  /** Search refuses `after` at or past this offset. */
  searchResultCap: 10_000,
  ownersPage: 100,
  /** Files search page (ids per call). */
  filesSearchPage: 100,
} as const;
