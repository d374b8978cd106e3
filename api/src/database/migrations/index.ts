import { CreateAccounts1763938800000 } from './1763938800000-create-accounts';
import { CreateTicketMirror1763940000000 } from './1763940000000-create-ticket-mirror';
import { LinkCustomersToContacts1763941000000 } from './1763941000000-link-customers-to-contacts';
import { TicketListIndexes1763950000000 } from './1763950000000-ticket-list-indexes';
import { ContactScopeSortIndexes1763960000000 } from './1763960000000-contact-scope-sort-indexes';
import { CreateRequestOutbox1763970000000 } from './1763970000000-create-request-outbox';
import { ContactReadGuard1763975000000 } from './1763975000000-contact-read-guard';
import { ConfirmTokenPasswords1763980100000 } from './1763980100000-confirm-token-passwords';
import { RenderedMessages1763990500000 } from './1763990500000-rendered-messages';
import { CreateAttachments1764000000000 } from './1764000000000-create-attachments';
import { TicketStatusKinds1764013000000 } from './1764013000000-ticket-status-kinds';
import { OutboxFollowUps1764014000000 } from './1764014000000-outbox-follow-ups';
import { CreateTicketContacts1764015000000 } from './1764015000000-create-ticket-contacts';
import { CreateTicketPeopleRequests1764015100000 } from './1764015100000-create-ticket-people-requests';
import { CompanyScopeProperty1764015200000 } from './1764015200000-company-scope-property';
import { OutboxClaims1764016600000 } from './1764016600000-outbox-claims';
import { OutboxHandoffs1764016700000 } from './1764016700000-outbox-handoffs';

// Listed explicitly (not globbed) so the same list works from src under Jest and from dist.
export const MIGRATIONS = [
  CreateAccounts1763938800000,
  CreateTicketMirror1763940000000,
  LinkCustomersToContacts1763941000000,
  TicketListIndexes1763950000000,
  ContactScopeSortIndexes1763960000000,
  CreateRequestOutbox1763970000000,
  ContactReadGuard1763975000000,
  ConfirmTokenPasswords1763980100000,
  RenderedMessages1763990500000,
  CreateAttachments1764000000000,
  TicketStatusKinds1764013000000,
  OutboxFollowUps1764014000000,
  CreateTicketContacts1764015000000,
  CreateTicketPeopleRequests1764015100000,
  CompanyScopeProperty1764015200000,
  OutboxClaims1764016600000,
  OutboxHandoffs1764016700000,
];
