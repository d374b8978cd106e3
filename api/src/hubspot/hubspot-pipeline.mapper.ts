import { type HsPipeline, type HsStage, type HsTicketState } from './hubspot.types';
import { type WirePipeline, type WireStage } from './hubspot-wire.types';

export function toStage(raw: WireStage): HsStage {
  return {
    id: String(raw.id),
    label: raw.label,
    displayOrder: raw.displayOrder ?? 0,
    ticketState: ticketState(raw.metadata),
  };
}

export function toPipeline(raw: WirePipeline): HsPipeline {
  return {
    id: String(raw.id),
    label: raw.label,
    displayOrder: raw.displayOrder ?? 0,
    archived: raw.archived ?? false,
    stages: (raw.stages ?? [])
      .filter((stage) => stage.archived !== true)
      .map(toStage)
      .sort((a, b) => a.displayOrder - b.displayOrder),
  };
}

// metadata.ticketState is authoritative; isClosed is only a fallback seen in some portals.
function ticketState(metadata: Record<string, string | undefined> | undefined): HsTicketState {
  const state = metadata?.ticketState?.toUpperCase();
  if (state === 'CLOSED' || state === 'OPEN') return state;
  return metadata?.isClosed === 'true' ? 'CLOSED' : 'OPEN';
}
