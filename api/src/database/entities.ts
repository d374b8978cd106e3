import { OneTimeToken } from '../auth/one-time-token.entity';
import { Session } from '../auth/session.entity';
import { Customer } from '../customers/customer.entity';

// Later modules append their entities and migrations here.
export const ENTITIES = [Customer, Session, OneTimeToken];
