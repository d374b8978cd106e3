import { type HsPropertyOption } from './hubspot.types';
import { type WireProperty } from './hubspot-wire.types';

/** Options of an enumeration property, in HubSpot's display order. Hidden ones are kept and flagged. */
export function toPropertyOptions(raw: WireProperty | null | undefined): HsPropertyOption[] {
  return (raw?.options ?? [])
    .map((o, index) => ({
      value: o.value,
      label: o.label,
      displayOrder: o.displayOrder ?? index,
      hidden: o.hidden ?? false,
    }))
    .sort((a, b) => a.displayOrder - b.displayOrder);
}
