import { OneTimeToken } from '../auth/one-time-token.entity';
import { Session } from '../auth/session.entity';
import { Customer } from '../customers/customer.entity';
import { SyncState } from '../sync/sync-state.entity';

// The tables TypeORM's repositories manage. The mirror's and the requests module's tables are read
// and written with SQL by their repositories (src/repositories), so they have no entity; every table
// is created by database/migrations.
export const ENTITIES = [Customer, Session, OneTimeToken, SyncState];
