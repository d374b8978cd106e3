// Wire types of the portal API (/api/v1) as the widget reads them: accounts, the ticket list, the ticket
// page and the request form. The API's own DTOs are generated into openapi.generated.ts
// (`npm run openapi:types`); the contract check at the end of this file makes `tsc` fail when a DTO
// change would break what the widget sends or reads. Types only, and nothing from the rest of the
// widget: every module can import them without an import cycle.
import type {
  AcceptedDto,
  AccountActionDto,
  ApiOperation,
  CreateReplyDto,
  CreateTicketDto,
  CustomerDto,
  EmailOnlyDto,
  LoginDto,
  LoginResponseDto,
  PortalInfoDto,
  RegisterDto,
  RequestFieldsDto,
  ResetPasswordDto,
  ConfirmDto,
  TicketDetailDto,
  TicketListDto,
  TicketMessageDto,
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
}

// --- Contract with the API (compile time only) ---------------------------------------------------
type Assert<T extends true> = T;
type Fits<From, To> = [From] extends [To] ? true : false;

/** What the API answers fits what the widget reads; what the widget sends fits what the API accepts. */
export type ApiContract = [
  Assert<Fits<CustomerDto, Customer>>,
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
  Assert<Fits<{ body: string }, CreateReplyDto>>,
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
    | 'POST /api/v1/tickets/{id}/retry',
    ApiOperation
  >
>;
