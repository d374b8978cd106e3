import { REPLY_KEY_PROPERTY } from '../hubspot.constants';
import { type HubSpotCalls, isKind } from './hubspot-calls';

/**
 * Whether HubSpot's emails carry the portal's unique reply key (tp_reply_key, ADR 0015): said by
 * ensureCustomProperties (it creates the property, or HubSpot would not), read by the reply writes;
 * looked up once (one call) when nothing has said yet.
 */
export class ReplyKeyProperty {
  private known: boolean | undefined;

  constructor(private readonly calls: HubSpotCalls) {}

  /** What ensureCustomProperties found; undefined: look again (the property was lost). */
  set(value: boolean | undefined): void {
    this.known = value;
  }

  async ready(): Promise<boolean> {
    if (this.known !== undefined) return this.known;
    try {
      await this.calls.call(`read emails property ${REPLY_KEY_PROPERTY}`, 'general', () =>
        this.calls.client.crm.properties.coreApi.getByName('emails', REPLY_KEY_PROPERTY),
      );
      this.known = true;
    } catch (error) {
      if (!isKind(error, 'not_found')) throw error;
      this.known = false;
    }
    return this.known;
  }
}
