import { type HsCompany, type HsContact } from './hubspot.types';
import { optionalString } from './hubspot-value.util';
import { type WireObject } from './hubspot-wire.types';

/** `companyIds` come from the v4 associations, primary company first (see associatedIds). */
export function toContact(
  raw: WireObject,
  companyIds: string[] = [],
  primaryCompanyId?: string | null,
  companyScopeProperty?: string,
): HsContact {
  const p = raw.properties ?? {};
  // A checkbox (bool) property reads "true"; anything else, or no such property, is false.
  const flag = companyScopeProperty ? p[companyScopeProperty] : undefined;
  return {
    id: String(raw.id),
    email: optionalString(p.email)?.toLowerCase() ?? null,
    firstName: optionalString(p.firstname),
    lastName: optionalString(p.lastname),
    companyIds,
    primaryCompanyId: primaryCompanyId ?? null,
    companyScope: typeof flag === 'string' && flag.trim().toLowerCase() === 'true',
  };
}

export function toCompany(raw: WireObject): HsCompany {
  const p = raw.properties ?? {};
  return { id: String(raw.id), name: optionalString(p.name), domain: optionalString(p.domain) };
}
