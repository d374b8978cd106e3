import type { SupportContact } from '../api/api-types.js';
import type { Address } from '../internal/page-address.js';

/** What the site editor configured on <ticket-portal>, shared read-only with every part. */
export interface PortalConfig {
  apiUrl: string;
  supportUrl: string;
  companyName: string;
  /** BCP 47 tag for dates and numbers; empty means the reader's browser locale. */
  locale: string;
  view: 'table' | 'card';
  pageSize: number;
  /** The API's support contact (GET /portal), used when `support-url` / `company-name` are not set. */
  support?: SupportContact | null;
  /** Where the list keeps its state: the page's address, or memory with `address="off"`. */
  address?: Address;
}
