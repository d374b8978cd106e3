import { CreateAccounts1763938800000 } from './1763938800000-create-accounts';

// Listed explicitly (not globbed) so the same list works from src under Jest and from dist.
export const MIGRATIONS = [CreateAccounts1763938800000];
