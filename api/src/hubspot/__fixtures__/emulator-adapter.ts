import { randomUUID } from 'node:crypto';
import {
  type CrmRecord,
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from '@ticket-portal/hubspot-emulator';
import { HubSpotAdapter, type HubSpotAdapterOptions } from '../hubspot.adapter';
import { type HsContact, type HsCreateTicketInput } from '../hubspot.types';

// The adapter specs' set-up: the real SDK (through HubSpotAdapter) against the real emulator, which
// speaks HubSpot's wire format. Jest maps the package to the emulator's TypeScript source; this file
// is left out of the api's build (tsconfig.build.json).

/** An emulator on a free port, its rate limit off unless `options` set one. */
export function startTestEmulator(options: EmulatorOptions): Promise<Emulator> {
  return startEmulator({ port: 0, rateLimit: { disabled: true }, ...options });
}

/** startTestEmulator and an adapter on it. */
export async function startEmulatorWithAdapter(
  options: EmulatorOptions,
  adapter: Partial<HubSpotAdapterOptions> = {},
): Promise<{ emulator: Emulator; sut: HubSpotAdapter }> {
  const emulator = await startTestEmulator(options);
  return { emulator, sut: adapterOn(emulator, adapter) };
}

export function adapterOn(emulator: Emulator, options: Partial<HubSpotAdapterOptions> = {}): HubSpotAdapter {
  return new HubSpotAdapter({ accessToken: emulator.accessToken, basePath: emulator.url, ...options });
}

/** The emulator's tickets that are not archived. */
export function liveTickets(emulator: Emulator): CrmRecord[] {
  return [...emulator.store.records.tickets.values()].filter((t) => !t.archived);
}

/** The live tickets carrying this tp_request_key (more than one would be a duplicate). */
export function ticketsWithKey(emulator: Emulator, requestKey: string): CrmRecord[] {
  return liveTickets(emulator).filter((t) => t.props.tp_request_key === requestKey);
}

/** The request the specs submit for `contact` (with its primary company), under a new request key. */
export function royaltyRequest(contact: HsContact): HsCreateTicketInput {
  return {
    subject: 'Royalty statement missing',
    content: 'The Q3 statement is not in the portal.',
    pipelineId: '0',
    stageId: '1',
    priority: 'HIGH',
    contactId: contact.id,
    companyId: contact.primaryCompanyId,
    requestKey: `req-${randomUUID()}`,
  };
}
