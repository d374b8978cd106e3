import { Company } from './company.entity';
import { Contact } from './contact.entity';
import { Owner } from './owner.entity';
import { PipelineStage } from './pipeline-stage.entity';
import { Pipeline } from './pipeline.entity';
import { TicketMessage } from './ticket-message.entity';
import { TicketTombstone } from './ticket-tombstone.entity';
import { Ticket } from './ticket.entity';

export { Company, Contact, Owner, Pipeline, PipelineStage, Ticket, TicketMessage, TicketTombstone };
export type { TicketState } from './pipeline-stage.entity';
export type { TicketSyncState } from './ticket.entity';
export type { TicketMessageDirection, TicketMessageSyncState } from './ticket-message.entity';

// The HubSpot mirror's tables (append to ENTITIES in database/entities.ts).
export const MIRROR_ENTITIES = [
  Owner,
  Pipeline,
  PipelineStage,
  Contact,
  Company,
  Ticket,
  TicketMessage,
  TicketTombstone,
];
