import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties';
import {
  HubSpotLimits,
  REPLY_KEY_PROPERTY,
  REQUEST_KEY_PROPERTY,
  TASK_EVENT_KEY_PROPERTY,
} from '../hubspot.constants';
import {
  type HsEnsurePropertiesResult,
  type HsOwner,
  type HsPipeline,
  type HsTicketPropertyOptions,
} from '../hubspot.types';
import { toOwner } from '../hubspot-owner.mapper';
import { toPipeline } from '../hubspot-pipeline.mapper';
import { toPropertyOptions } from '../hubspot-property.mapper';
import { HubSpotError } from '../hubspot-error';
import { type HubSpotCalls, isKind } from './hubspot-calls';
import { type ReplyKeyProperty } from './reply-key-property';

/** The portal's custom properties, created by ensureCustomProperties (unique values: idempotency keys). */
const CUSTOM_PROPERTIES = [
  {
    objectType: 'tickets',
    name: REQUEST_KEY_PROPERTY,
    label: 'Ticket Portal request key',
    description:
      'Set by Ticket Portal on tickets customers submit, so one request never becomes two tickets. Do not edit.',
    groupName: 'ticketinformation',
  },
  {
    objectType: 'tasks',
    name: TASK_EVENT_KEY_PROPERTY,
    label: 'Ticket Portal event key',
    description:
      'Set by Ticket Portal on tasks it assigns (e.g. a customer replied), so one event never becomes two tasks. Do not edit.',
    groupName: 'taskinformation',
  },
  {
    objectType: 'emails',
    name: REPLY_KEY_PROPERTY,
    label: 'Ticket Portal reply key',
    description:
      "Set by Ticket Portal on the emails it logs for customers' replies, so one reply never becomes two emails. Do not edit.",
    groupName: 'emailinformation',
    // Without it replies still go out, one by one (each found by reading its ticket's emails).
    optional: true,
  },
] as const;

/**
 * How the HubSpot account is set up: ticket pipelines and stages, owners, the ticket properties the
 * request form offers, and the portal's own custom properties (created at start when missing).
 */
export class HubSpotAccount {
  constructor(
    private readonly calls: HubSpotCalls,
    /** PORTAL_COMPANY_SCOPE_PROPERTY, checked at start by ensureCustomProperties. */
    private readonly companyScopeProperty: string | undefined,
    private readonly replyKeys: ReplyKeyProperty,
  ) {}

  async getPipelines(): Promise<HsPipeline[]> {
    const answer = await this.calls.call('read ticket pipelines', 'general', () =>
      this.calls.client.crm.pipelines.pipelinesApi.getAll('tickets'),
    );
    return (answer.results ?? []).map(toPipeline).sort((a, b) => a.displayOrder - b.displayOrder);
  }

  async getOwners(): Promise<HsOwner[]> {
    const byId = new Map<string, HsOwner>();
    // Archived owners come from their own listing; an active entry wins over an archived one.
    for (const archived of [true, false]) {
      let after: string | undefined;
      do {
        const page = await this.calls.call('list owners', 'general', () =>
          this.calls.client.crm.owners.ownersApi.getPage(
            undefined,
            after,
            HubSpotLimits.ownersPage,
            archived,
          ),
        );
        for (const owner of page.results ?? []) byId.set(String(owner.id), toOwner(owner, archived));
        after = page.paging?.next?.after || undefined;
      } while (after !== undefined);
    }
    return [...byId.values()];
  }

  async getTicketProperties(): Promise<HsTicketPropertyOptions> {
    const [priority, category] = await Promise.all(
      ['hs_ticket_priority', 'hs_ticket_category'].map(async (name) => {
        try {
          return toPropertyOptions(
            await this.calls.call(`read ticket property ${name}`, 'general', () =>
              this.calls.client.crm.properties.coreApi.getByName('tickets', name),
            ),
          );
        } catch (error) {
          if (isKind(error, 'not_found')) return [];
          throw error;
        }
      }),
    );
    return { priority: priority ?? [], category: category ?? [] };
  }

  async ensureCustomProperties(): Promise<HsEnsurePropertiesResult> {
    const created: string[] = [];
    const refused: string[] = [];
    for (const def of CUSTOM_PROPERTIES) {
      const what = `${def.objectType} property ${def.name}`;
      const optional = 'optional' in def && def.optional;
      try {
        await this.calls.call(`read ${what}`, 'general', () =>
          this.calls.client.crm.properties.coreApi.getByName(def.objectType, def.name),
        );
        if (def.name === REPLY_KEY_PROPERTY) this.replyKeys.set(true);
        continue;
      } catch (error) {
        if (!isKind(error, 'not_found')) throw error;
      }
      try {
        await this.calls.call(`create ${what}`, 'general', () =>
          this.calls.client.crm.properties.coreApi.create(def.objectType, {
            name: def.name,
            label: def.label,
            description: def.description,
            groupName: def.groupName,
            type: PropertyCreateTypeEnum.String,
            fieldType: PropertyCreateFieldTypeEnum.Text,
            hasUniqueValue: true,
            formField: false,
          }),
        );
        created.push(`${def.objectType}.${def.name}`);
      } catch (error) {
        // Another process created it between our read and our create.
        if (!isKind(error, 'conflict')) {
          if (!optional || !(error instanceof HubSpotError) || error.retryable) throw error;
          refused.push(`${def.objectType}.${def.name}`);
          if (def.name === REPLY_KEY_PROPERTY) this.replyKeys.set(false);
          continue;
        }
      }
      if (def.name === REPLY_KEY_PROPERTY) this.replyKeys.set(true);
    }
    // The operator's company-scope property is theirs to create (a checkbox): only checked, so that a
    // misspelt name is said at start instead of silently giving nobody company scope.
    const missing: string[] = [];
    const own = this.companyScopeProperty;
    if (own) {
      try {
        await this.calls.call('read contacts property (company scope)', 'general', () =>
          this.calls.client.crm.properties.coreApi.getByName('contacts', own),
        );
      } catch (error) {
        if (!isKind(error, 'not_found')) throw error;
        missing.push(`contacts.${own}`);
      }
    }
    return { created, missing, refused };
  }
}
