// Our own view of HubSpot. Nothing here comes from @hubspot/api-client: callers of HubSpotPort
// never see SDK classes, property-name strings or association type ids.

export type HsTicketState = 'OPEN' | 'CLOSED';

/** A ticket without its associations (what search, create and update answer). */
export interface HsTicketCore {
  id: string;
  subject: string;
  content: string | null;
  pipelineId: string | null;
  stageId: string | null;
  /** Internal option value of hs_ticket_priority (e.g. HIGH), null when unset. */
  priority: string | null;
  /** Internal option value of hs_ticket_category, null when unset. */
  category: string | null;
  /** Owner id (`hubspot_owner_id`), resolve through getOwners(). */
  ownerId: string | null;
  createdAt: Date;
  /** hs_lastactivitydate, else hs_lastmodifieddate. */
  lastActivityAt: Date;
  /** hs_lastmodifieddate: the version used to guard mirror upserts. */
  lastModifiedAt: Date;
  closedAt: Date | null;
  /** Our idempotency key (custom property tp_request_key), null for tickets not made by the portal. */
  requestKey: string | null;
}

export interface HsTicket extends HsTicketCore {
  /** Associated contacts, ids deduplicated, in HubSpot's order. */
  contactIds: string[];
  /** Associated companies, the primary company first when HubSpot marks one. */
  companyIds: string[];
}

export interface HsStage {
  id: string;
  label: string;
  displayOrder: number;
  ticketState: HsTicketState;
}

export interface HsPipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  /** Sorted by displayOrder. */
  stages: HsStage[];
}

export interface HsOwner {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  archived: boolean;
}

export interface HsContact {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** All associated companies, the primary one first. */
  companyIds: string[];
  primaryCompanyId: string | null;
}

export interface HsCompany {
  id: string;
  name: string | null;
  domain: string | null;
}

export type HsMessageDirection = 'agent' | 'customer';

/** One customer-visible item of a ticket's conversation (an email engagement). */
export interface HsMessage {
  id: string;
  ticketId: string;
  direction: HsMessageDirection;
  authorName: string | null;
  authorEmail: string | null;
  subject: string | null;
  text: string | null;
  /** Raw HTML from HubSpot: sanitize before showing it to anyone. */
  html: string | null;
  createdAt: Date;
  /** The portal's reply key when the portal logged this message, else null. */
  requestKey: string | null;
}

export interface HsPropertyOption {
  value: string;
  label: string;
  displayOrder: number;
  hidden: boolean;
}

export interface HsTicketPropertyOptions {
  priority: HsPropertyOption[];
  category: HsPropertyOption[];
}

export interface HsTicketPage {
  tickets: HsTicket[];
  /** Pass back to get the next page; undefined on the last page. */
  nextCursor?: string;
}

export interface HsCreateTicketInput {
  subject: string;
  content: string;
  pipelineId: string;
  stageId: string;
  priority?: string | null;
  category?: string | null;
  contactId: string;
  companyId?: string | null;
  /** Unique per customer request; the same key never yields a second HubSpot ticket. */
  requestKey: string;
}

export interface HsCreateTicketResult {
  ticket: HsTicket;
  /** false when a ticket with this requestKey already existed and was returned instead. */
  created: boolean;
}

export interface HsCreateContactInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
}

export interface HsCustomerReplyInput {
  text: string;
  /** Optional HTML body; the caller passes markup it has escaped or sanitized. */
  html?: string | null;
  from: { email: string; firstName?: string | null; lastName?: string | null };
  subject?: string | null;
  /** When the customer wrote it (stable across retries: the local row's creation time). */
  sentAt: Date;
  /** Unique per reply; the same key never yields a second HubSpot email. */
  replyKey: string;
}

export interface HsCustomerReplyResult {
  message: HsMessage;
  created: boolean;
}

export interface HsEnsurePropertiesResult {
  /** Properties this call created, as `objectType.name`. */
  created: string[];
}
