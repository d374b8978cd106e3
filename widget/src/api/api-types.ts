// Wire types of the portal API (/api/v1) as the widget reads them: accounts, the ticket list, the ticket
// page and the request form. The API's own DTOs are generated into openapi.generated.ts
// (`npm run openapi:types`); the contract check at the end of this file makes `tsc` fail when a DTO
// change would break what the widget sends or reads. Types only, and nothing from the rest of the
// widget: every module can import them without an import cycle.
import type {
  AcceptedDto,
  AccountActionDto,
  ApiOperation,
  AttachmentLimitsDto,
  CreateReplyDto,
  AddPersonDto,
  CreateTicketDto,
  CustomerDto,
  EmailOnlyDto,
  LoginDto,
  LoginResponseDto,
  MessageAttachmentDto,
  PortalInfoDto,
  RegisterDto,
  RequestFieldsDto,
  ResetPasswordDto,
  ConfirmDto,
  TicketDetailDto,
  TicketListDto,
  TicketMessageDto,
  MeDto,
  TicketPersonDto,
  UploadedAttachmentsDto,
} from './openapi.generated.js';

export interface Customer {
  id: string;
  email: string;
  name: string | null;
  confirmedAt: string | null;
}

export interface MessageResponse {
  message: string;
}

export interface LoginRequest {
  email: string;
  password: string;
  remember: boolean;
}

export interface LoginResponse {
  accessToken: string;
  /** ISO 8601 instant after which the token is refused. */
  expiresAt: string;
  customer: Customer;
}

/** Codes the widget reacts to; the API may send others, which are shown by their message. */
export type KnownErrorCode =
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_UNCONFIRMED'
  | 'ACCOUNT_LOCKED'
  | 'RATE_LIMITED'
  | 'TOO_MANY_ATTEMPTS'
  | 'VALIDATION_FAILED'
  | 'WEAK_PASSWORD'
  | 'UNAUTHENTICATED'
  | 'LOGIN_METHOD_RETIRED'
  | 'TICKET_NOT_FOUND'
  | 'IDEMPOTENCY_KEY_REUSED';

// `string & {}` keeps autocompletion for the known codes while accepting any string.

export type ErrorCode = KnownErrorCode | (string & {});

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: ErrorCode;
  /** Per-field reasons (request field name → sentence), when the API can tell which input is wrong. */
  fields?: Record<string, string>;
}

export interface AccountActionResponse {
  message: string;
  /** The account's email address, so Sign in can be pre-filled. */
  email?: string;
}

/** GET /portal: who customers contact when they are stuck. */
export interface PortalInfo {
  support: SupportContact;
  /** Which ways of signing in are on; missing from APIs older than issue 15. */
  signIn?: { password: boolean; siteToken: boolean };
  /** false when this page's origin is not in the API's PORTAL_ORIGINS (older APIs leave it out). */
  originAllowed?: boolean;
  /** What a customer may attach (issue 13); older APIs leave it out. */
  attachments?: AttachmentLimits;
}

/** The site operator's ATTACHMENTS_* settings, so a file that cannot pass is refused before its upload. */
export interface AttachmentLimits {
  /** Files per message (request or reply). */
  maxFiles: number;
  /** Bytes per file. */
  maxBytes: number;
  /** Bytes of all files of one message together. */
  maxTotalBytes: number;
  /** Exact media types (`application/pdf`) and families (`image/*`). */
  types: string[];
  /** Extensions (without the dot) of the exact types. */
  extensions: string[];
  /** The allowed types as a person reads them ("PNG image, PDF document, …"). */
  typesText: string;
}

export interface SupportContact {
  url: string | null;
  email: string | null;
  /** e.g. "Synchtank Support". */
  name: string;
}

// --- Tickets: GET /tickets (the list) ---------------------------------------------------------------

export type TicketState = 'open' | 'closed';
/** `awaiting`: "Awaiting your reply" (open tickets of kind `awaiting_customer`). */
export type StatusFilter = 'all' | TicketState | 'awaiting';
/** What a status means for the customer: its badge colour (`--tp-status-*`). */
export type StatusKind = 'new' | 'in_progress' | 'awaiting_customer' | 'closed';
export type SortField = 'id' | 'status' | 'subject' | 'created' | 'owner' | 'lastActivity' | 'requestedBy';
export type SortOrder = 'asc' | 'desc';
export type SyncState = 'synced' | 'pending' | 'failed';

export interface Ticket {
  /** HubSpot ticket ID; null while the request is still being sent to support. */
  id: string | null;
  localId: string;
  /** `label` is what the customer reads (the operator's wording); `kind` is missing from APIs before issue 13. */
  status: { label: string; state: TicketState; kind?: StatusKind };
  subject: string;
  /** ISO 8601 instant. */
  createdAt: string;
  owner: { name: string } | null;
  /** ISO 8601 instant. */
  lastActivityAt: string;
  requestedBy: { name: string | null; email: string };
  syncState: SyncState;
}

export interface TicketCounts {
  open: number;
  closed: number;
  /** Missing from APIs before issue 13. */
  awaiting?: number;
}

export interface TicketQuery {
  q?: string;
  status?: StatusFilter;
  /** Mine / In copy / My company (only values GET me `involvements` offers). */
  involvement?: Involvement;
  createdFrom?: string;
  createdTo?: string;
  activityFrom?: string;
  activityTo?: string;
  sort?: SortField;
  order?: SortOrder;
  limit?: number;
  page?: number;
}

export interface TicketPage {
  items: Ticket[];
  /** Tickets matching every filter, status included. */
  total: number;
  /** Open and closed tickets matching the search and date filters (status ignored); `awaiting` is a part of open. */
  counts: TicketCounts;
  /** When the mirror last heard from HubSpot (ISO 8601), null before the first sync. */
  syncedAt: string | null;
}

// --- Requests: the ticket page and the request form (issue 6) ---------------------------------------

export interface FieldOption {
  value: string;
  label: string;
}

/** An optional field of the request form, configured by the company (priority, category). */
export interface RequestField {
  name: 'priority' | 'category';
  label: string;
  required: boolean;
  options: FieldOption[];
}

export interface NewRequest {
  subject: string;
  description: string;
  priority?: string | null;
  category?: string | null;
  /** Ids from POST attachments, in the order to show them. */
  attachmentIds?: string[];
  /** Colleagues to put in copy (at most CC_MAX emails, not the customer's own). */
  cc?: string[];
}

/** A file uploaded with POST attachments, waiting to be sent with a request or reply. */
export interface UploadedAttachment {
  id: string;
  /** As the API stored it (sanitised). */
  name: string;
  size: number;
  /** What the API recognised the content as. */
  contentType: string;
}

/** A file on the request or on a message of the conversation. */
export interface Attachment {
  id: string;
  name: string;
  /** Bytes; null when HubSpot did not say. */
  size: number | null;
  contentType: string;
  /** `/api/v1/tickets/<localId>/attachments/<id>`: read with the bearer token. */
  downloadPath: string;
  /** A raster image (PNG, JPEG, GIF, WebP) fit for a preview; anything else is only downloaded. */
  inline: boolean;
}

export interface TicketMessage {
  id: string;
  from: 'customer' | 'support';
  author: { name: string | null; email: string | null };
  /** ISO 8601 instant. */
  sentAt: string;
  /** Sanitized by the API to a small safe subset; the widget sanitizes it again before rendering. */
  html: string;
  text: string;
  syncState: SyncState;
  syncError: string | null;
  /** Files sent with the message (older APIs leave it out). */
  attachments?: Attachment[];
}

export interface TicketDetail extends Ticket {
  description: string | null;
  priority: FieldOption | null;
  category: FieldOption | null;
  closedAt: string | null;
  /** Why HubSpot refused the ticket, when syncState is `failed`. */
  syncError: string | null;
  /** Oldest first. */
  messages: TicketMessage[];
  /**
   * `loading`: the conversation has not been read from HubSpot yet, so `messages` may be incomplete
   * (show a loading state, never "no messages"); live `message` events or the next read bring it.
   */
  conversationState: 'loaded' | 'loading';
  /** The files sent with the request itself (older APIs leave it out). */
  attachments?: Attachment[];
  /** Everyone on the ticket, the requester first (older APIs leave it out). */
  people?: TicketPerson[];
}

/** Someone on a ticket: its requester, or a colleague in copy (issue 15). */
export interface TicketPerson {
  name: string | null;
  /** null while HubSpot has no email for the contact. */
  email: string | null;
  role: 'requester' | 'cc';
  /** `pending`: added in the portal, on its way to HubSpot. */
  syncState: 'synced' | 'pending';
}

/** The list's "Mine / In copy / My company" filter (GET tickets `involvement`). */
export type Involvement = 'mine' | 'cc' | 'company';

/** GET me: the customer and which involvement filters their visibility rule offers. */
export interface Me extends Customer {
  /** Older APIs leave it out (then the filter stays hidden). */
  involvements?: Involvement[];
}

// --- Contract with the API (compile time only) ---------------------------------------------------
type Assert<T extends true> = T;
type Fits<From, To> = [From] extends [To] ? true : false;

/** What the API answers fits what the widget reads; what the widget sends fits what the API accepts. */
export type ApiContract = [
  Assert<Fits<CustomerDto, Customer>>,
  Assert<Fits<MeDto, Me>>,
  Assert<Fits<TicketPersonDto, TicketPerson>>,
  Assert<Fits<{ email: string }, AddPersonDto>>,
  Assert<Fits<LoginResponseDto, LoginResponse>>,
  Assert<Fits<AccountActionDto, AccountActionResponse>>,
  Assert<Fits<AcceptedDto, MessageResponse>>,
  Assert<Fits<LoginRequest, LoginDto>>,
  Assert<Fits<{ email: string; password: string }, RegisterDto>>,
  Assert<Fits<{ email: string }, EmailOnlyDto>>,
  Assert<Fits<{ token: string }, ConfirmDto>>,
  Assert<Fits<{ token: string; password: string }, ResetPasswordDto>>,
  // Ticket list, ticket page and request form (issues 5 and 6).
  Assert<Fits<PortalInfoDto, PortalInfo>>,
  Assert<Fits<TicketListDto, TicketPage>>,
  Assert<Fits<RequestFieldsDto, { fields: RequestField[] }>>,
  Assert<Fits<TicketDetailDto, TicketDetail>>,
  Assert<Fits<TicketMessageDto, TicketMessage>>,
  Assert<Fits<NewRequest, CreateTicketDto>>,
  Assert<Fits<{ body: string; attachmentIds?: string[] }, CreateReplyDto>>,
  // Attachments (issue 13).
  Assert<Fits<AttachmentLimitsDto, AttachmentLimits>>,
  Assert<Fits<MessageAttachmentDto, Attachment>>,
  Assert<Fits<UploadedAttachmentsDto, { attachments: UploadedAttachment[] }>>,
];

/** Every route the widget calls exists in the API's OpenAPI document. */
export type RoutesUsed = Assert<
  Fits<
    | 'GET /api/v1/portal'
    | 'GET /api/v1/tickets'
    | 'GET /api/v1/tickets/fields'
    | 'GET /api/v1/tickets/{id}'
    | 'POST /api/v1/tickets'
    | 'POST /api/v1/tickets/{id}/replies'
    | 'POST /api/v1/tickets/{id}/close'
    | 'POST /api/v1/tickets/{id}/reopen'
    | 'POST /api/v1/tickets/{id}/retry'
    | 'POST /api/v1/attachments'
    | 'GET /api/v1/tickets/{id}/attachments/{attachmentId}'
    | 'POST /api/v1/tickets/{id}/people'
    | 'DELETE /api/v1/tickets/{id}/people/{email}',
    ApiOperation
  >
>;
