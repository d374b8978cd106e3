import { OneTimeToken } from '../auth/one-time-token.entity';
import { Session } from '../auth/session.entity';
import { Customer } from '../customers/customer.entity';
import { SyncState } from '../sync/sync-state.entity';
import { MIRROR_ENTITIES } from '../tickets/entities';

// Later modules append their entities and migrations here.
export const ENTITIES = [Customer, Session, OneTimeToken, ...MIRROR_ENTITIES, SyncState];
