// Generated from the API's OpenAPI document by `npm run openapi:types`. Do not edit by hand:
// change the API's DTOs, then regenerate. `npm test` fails when this file is stale.

export interface AcceptedDto {
  message: string;
}

export interface AccountActionDto {
  message: string;
  email: string;
}

export interface AddPersonDto {
  /** The colleague to put in copy */
  email: string;
}

export interface AttachmentLimitsDto {
  /** Files per message (request or reply): ATTACHMENTS_MAX_FILES */
  maxFiles: number;
  /** Bytes per file: ATTACHMENTS_MAX_BYTES */
  maxBytes: number;
  /** Bytes of all files of one message together: ATTACHMENTS_MAX_TOTAL_BYTES */
  maxTotalBytes: number;
  /** ATTACHMENTS_TYPES: exact media types and families such as image/* */
  types: Array<string>;
  /** File name extensions of the exact types (without the dot), for a file picker's accept list; the content still decides */
  extensions: Array<string>;
  /** The allowed types as a person reads them, as refusals name them */
  typesText: string;
}

export interface ConfirmDto {
  /** The tp-token value from the emailed link */
  token: string;
}

export interface CreateReplyDto {
  /** Plain text, trimmed */
  body: string;
  /** Ids from POST attachments (your own uploads, not yet used on another message), in the order to show them */
  attachmentIds?: Array<string>;
}

export interface CreateTicketDto {
  /** Trimmed */
  subject: string;
  /** Plain text, trimmed */
  description: string;
  /** One of the priority options from GET tickets/fields */
  priority?: string | null;
  /** One of the category options from GET tickets/fields */
  category?: string | null;
  /** Ids from POST attachments (your own uploads, not yet used on another message), in the order to show them */
  attachmentIds?: Array<string>;
  /** Colleagues to put in copy (at most 5, not your own email): HubSpot gets them as contacts on the ticket, and each sees it in their portal once signed in */
  cc?: Array<string>;
}

export interface CustomerDto {
  id: string;
  email: string;
  name: string | null;
  confirmedAt: string | null;
  /** true once the account is linked to the HubSpot contact with the same email (done in the background after confirmation) */
  contactLinked: boolean;
}

export interface EmailOnlyDto {
  email: string;
}

export interface LoginDto {
  email: string;
  /** The account password */
  password: string;
  /** Keep the session for 30 days instead of 12 hours */
  remember?: boolean;
}

export interface LoginResponseDto {
  /** Opaque bearer token: send it as "Authorization: Bearer <token>" */
  accessToken: string;
  expiresAt: string;
  customer: CustomerDto;
}

export interface MeDto {
  id: string;
  email: string;
  name: string | null;
  confirmedAt: string | null;
  /** true once the account is linked to the HubSpot contact with the same email (done in the background after confirmation) */
  contactLinked: boolean;
  /** The values of GET /tickets `involvement` this customer's visibility rule offers (ADR 0014): `mine` always, `cc` once linked to a contact, `company` with company scope. The widget shows its Mine / In copy / My company filter when there are several */
  involvements: Array<'mine' | 'cc' | 'company'>;
}

export interface MessageAttachmentDto {
  id: string;
  name: string;
  /** Bytes; null when HubSpot did not say */
  size: number | null;
  contentType: string;
  /** GET it with the bearer token: /api/v1/tickets/:id/attachments/:attachmentId (streamed by the API; no HubSpot URL) */
  downloadPath: string;
  /** true for raster images (PNG, JPEG, GIF, WebP), which the download serves inline and a page may show as a preview; everything else is served as a download */
  inline: boolean;
}

export interface MessageAuthorDto {
  name: string | null;
  email: string | null;
}

export interface OptionDto {
  /** HubSpot's internal option value */
  value: string;
  label: string;
}

export interface PortalInfoDto {
  support: SupportContactDto;
  /** Which ways of signing in this portal offers */
  signIn: SignInMethodsDto;
  /** Whether the requesting page's origin (the Origin header) may use the portal: in PORTAL_ORIGINS, the API's own, or no Origin at all */
  originAllowed: boolean;
  /** What a customer may attach to a request or reply (the ATTACHMENTS_* settings) */
  attachments: AttachmentLimitsDto;
}

export interface RegisterDto {
  email: string;
  /** 10–128 characters, not a common password */
  password: string;
}

export interface RequestFieldDto {
  name: 'priority' | 'category';
  label: string;
  required: false;
  options: Array<OptionDto>;
}

export interface RequestFieldsDto {
  fields: Array<RequestFieldDto>;
}

export interface ResetPasswordDto {
  /** The tp-token value from the emailed link */
  token: string;
  /** The new password: 10–128 characters, not a common password */
  password: string;
}

export interface SignInMethodsDto {
  /** Email and password (register, sign in, reset); off with PASSWORD_LOGIN=off */
  password: boolean;
  /** A token signed by the host website (POST auth/site-token); on when SITE_TOKEN_SECRET or SITE_TOKEN_JWKS_URL is set */
  siteToken: boolean;
}

export interface SiteTokenDto {
  /** A JWT the host website signed for its signed-in visitor (HS256 with SITE_TOKEN_SECRET, or RS256/ES256 from SITE_TOKEN_JWKS_URL): iss, aud, exp (at most 10 minutes ahead), jti, email, email_verified: true, optional name. See docs/embedding.md. */
  token: string;
}

export interface SupportContactDto {
  url: string | null;
  email: string | null;
  name: string;
}

export interface TicketCountsDto {
  /** Open tickets matching the search and date filters (status ignored) */
  open: number;
  /** Closed tickets matching the search and date filters (status ignored) */
  closed: number;
  /** Of the open ones, those awaiting the customer's reply (status kind awaiting_customer; the filter status=awaiting) */
  awaiting: number;
}

export interface TicketDetailDto {
  /** HubSpot ticket ID; null while the request is still being sent to support */
  id: string | null;
  /** The portal's own id of the ticket */
  localId: string;
  status: TicketStatusDto;
  subject: string;
  createdAt: string;
  /** null when unassigned */
  owner: TicketOwnerDto | null;
  lastActivityAt: string;
  requestedBy: TicketRequesterDto;
  syncState: 'synced' | 'pending' | 'failed';
  /** Plain text */
  description: string | null;
  priority: OptionDto | null;
  category: OptionDto | null;
  closedAt: string | null;
  /** Why HubSpot refused the request, when syncState is failed */
  syncError: string | null;
  /** Files sent with the request itself */
  attachments: Array<MessageAttachmentDto>;
  /** Customer-visible conversation, oldest first */
  messages: Array<TicketMessageDto>;
  /** `loading`: the conversation has not been read from HubSpot yet (it is on its way), so `messages` may be incomplete — show a loading state, not an empty conversation. `message` events (GET tickets/events) or the next read bring it */
  conversationState: 'loaded' | 'loading';
  /** Everyone on the ticket (HubSpot contacts associated with it): the requester first, then the colleagues in copy by name. Each of them sees the ticket in their portal */
  people: Array<TicketPersonDto>;
}

export interface TicketListDto {
  items: Array<TicketListItemDto>;
  /** Tickets matching every filter, status included */
  total: number;
  counts: TicketCountsDto;
  /** When the mirror last heard from HubSpot; null before the first sync */
  syncedAt: string | null;
}

export interface TicketListItemDto {
  /** HubSpot ticket ID; null while the request is still being sent to support */
  id: string | null;
  /** The portal's own id of the ticket */
  localId: string;
  status: TicketStatusDto;
  subject: string;
  createdAt: string;
  /** null when unassigned */
  owner: TicketOwnerDto | null;
  lastActivityAt: string;
  requestedBy: TicketRequesterDto;
  syncState: 'synced' | 'pending' | 'failed';
}

export interface TicketMessageDto {
  /** The portal's id of the message */
  id: string;
  from: 'customer' | 'support';
  author: MessageAuthorDto;
  sentAt: string;
  /** Sanitized on the server to p br b strong i em u a[href http/https/mailto, rel and target forced] ul ol li blockquote pre code; no style, script, handlers, images, frames or forms */
  html: string;
  /** The same message as plain text */
  text: string;
  syncState: 'synced' | 'pending' | 'failed';
  /** Why HubSpot refused it, when syncState is failed */
  syncError: string | null;
  /** Files sent with the message */
  attachments: Array<MessageAttachmentDto>;
}

export interface TicketOwnerDto {
  name: string;
}

export interface TicketPersonDto {
  name: string | null;
  /** null while HubSpot has no email for the contact (or it is not mirrored yet) */
  email: string | null;
  /** `requester`: the primary contact ("Requested By"); `cc`: a colleague in copy */
  role: 'requester' | 'cc';
  /** `pending`: added in the portal, on its way to HubSpot */
  syncState: 'synced' | 'pending';
}

export interface TicketRequesterDto {
  name: string | null;
  email: string;
}

export interface TicketStatusDto {
  /** What the customer reads: the operator's label for the HubSpot stage (PORTAL_STATUS_LABELS), else HubSpot's default stages read from the customer's side */
  label: string;
  state: 'open' | 'closed';
  /** What the status means for the customer (its colour): `awaiting_customer` is open and waits on their reply; `closed` exactly when state is closed */
  kind: 'new' | 'in_progress' | 'awaiting_customer' | 'closed';
}

export interface UploadedAttachmentDto {
  /** Pass it in attachmentIds of POST tickets or POST tickets/:id/replies */
  id: string;
  /** The file name as stored (sanitised) */
  name: string;
  /** Bytes */
  size: number;
  /** The media type the content was recognised as */
  contentType: string;
}

export interface UploadedAttachmentsDto {
  /** One per file part, in the order sent */
  attachments: Array<UploadedAttachmentDto>;
}

export const API_OPERATIONS = [
  'DELETE /api/v1/auth/magic-link',
  'DELETE /api/v1/auth/magic-link/{path}',
  'DELETE /api/v1/auth/otp',
  'DELETE /api/v1/auth/otp/{path}',
  'DELETE /api/v1/tickets/{id}/people/{email}',
  'GET /api/v1/auth/magic-link',
  'GET /api/v1/auth/magic-link/{path}',
  'GET /api/v1/auth/otp',
  'GET /api/v1/auth/otp/{path}',
  'GET /api/v1/health',
  'GET /api/v1/me',
  'GET /api/v1/metrics',
  'GET /api/v1/portal',
  'GET /api/v1/tickets',
  'GET /api/v1/tickets/events',
  'GET /api/v1/tickets/fields',
  'GET /api/v1/tickets/{id}',
  'GET /api/v1/tickets/{id}/attachments/{attachmentId}',
  'HEAD /api/v1/auth/magic-link',
  'HEAD /api/v1/auth/magic-link/{path}',
  'HEAD /api/v1/auth/otp',
  'HEAD /api/v1/auth/otp/{path}',
  'OPTIONS /api/v1/auth/magic-link',
  'OPTIONS /api/v1/auth/magic-link/{path}',
  'OPTIONS /api/v1/auth/otp',
  'OPTIONS /api/v1/auth/otp/{path}',
  'PATCH /api/v1/auth/magic-link',
  'PATCH /api/v1/auth/magic-link/{path}',
  'PATCH /api/v1/auth/otp',
  'PATCH /api/v1/auth/otp/{path}',
  'POST /api/v1/attachments',
  'POST /api/v1/auth/confirm',
  'POST /api/v1/auth/confirm/resend',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/magic-link',
  'POST /api/v1/auth/magic-link/{path}',
  'POST /api/v1/auth/otp',
  'POST /api/v1/auth/otp/{path}',
  'POST /api/v1/auth/password/forgot',
  'POST /api/v1/auth/password/reset',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/site-token',
  'POST /api/v1/tickets',
  'POST /api/v1/tickets/{id}/close',
  'POST /api/v1/tickets/{id}/people',
  'POST /api/v1/tickets/{id}/reopen',
  'POST /api/v1/tickets/{id}/replies',
  'POST /api/v1/tickets/{id}/retry',
  'POST /api/v1/webhooks/hubspot',
  'PUT /api/v1/auth/magic-link',
  'PUT /api/v1/auth/magic-link/{path}',
  'PUT /api/v1/auth/otp',
  'PUT /api/v1/auth/otp/{path}',
  'SEARCH /api/v1/auth/magic-link',
  'SEARCH /api/v1/auth/magic-link/{path}',
  'SEARCH /api/v1/auth/otp',
  'SEARCH /api/v1/auth/otp/{path}',
] as const;

export type ApiOperation = (typeof API_OPERATIONS)[number];
