import { type HsOwner } from './hubspot.types';
import { optionalString } from './hubspot-value.util';
import { type WireOwner } from './hubspot-wire.types';

export function toOwner(raw: WireOwner, archived = raw.archived ?? false): HsOwner {
  return {
    id: String(raw.id),
    firstName: optionalString(raw.firstName),
    lastName: optionalString(raw.lastName),
    email: optionalString(raw.email),
    archived,
  };
}
