import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import {
  type Involvement,
  type ListTicketsQueryDto,
  type SortOrder,
  type TicketSortField,
  type TicketStatusFilter,
} from './dto/list-tickets.query.dto';

export const DEFAULT_PAGE_SIZE = 25;
const MAX_SEARCH_WORDS = 8;

/** GET /tickets' query with its defaults applied (normaliseQuery). */
export interface TicketListQuery {
  q?: string;
  status: TicketStatusFilter;
  /** Only this part of what the customer may see (TicketVisibility.listScope). */
  involvement?: Involvement;
  createdFrom?: Date;
  createdTo?: Date;
  activityFrom?: Date;
  activityTo?: Date;
  sort: TicketSortField;
  order: SortOrder;
  limit: number;
  page: number;
}

/** Defaults applied; a range whose start is after its end is refused (400) rather than answered empty. */
export function normaliseQuery(dto: ListTicketsQueryDto): TicketListQuery {
  const date = (value: string | undefined): Date | undefined => (value ? new Date(value) : undefined);
  for (const [from, to] of [
    ['createdFrom', 'createdTo'],
    ['activityFrom', 'activityTo'],
  ] as const) {
    const start = date(dto[from]);
    const end = date(dto[to]);
    if (start && end && start.getTime() > end.getTime()) {
      const text = `${from} must not be later than ${to}; swap them or widen the range.`;
      throw new AppError(ErrorCode.VALIDATION_FAILED, `${from}: ${text}`, { fields: { [from]: text } });
    }
  }
  return {
    q: dto.q?.trim() || undefined,
    status: dto.status ?? 'all',
    involvement: dto.involvement,
    createdFrom: date(dto.createdFrom),
    createdTo: date(dto.createdTo),
    activityFrom: date(dto.activityFrom),
    activityTo: date(dto.activityTo),
    sort: dto.sort ?? 'lastActivity',
    order: dto.order ?? 'desc',
    limit: dto.limit ?? DEFAULT_PAGE_SIZE,
    page: dto.page ?? 1,
  };
}

/** `#123` or `123`: a ticket ID; anything else: up to eight words. */
export function parseSearch(q: string): { ticketId: string } | { words: string[] } {
  const id = /^#?\s*(\d{1,20})$/.exec(q);
  if (id) return { ticketId: id[1]!.replace(/^0+(?=\d)/, '') };
  const words = q
    .split(/\s+/)
    .map((w) => w.replace(/^#/, ''))
    .filter((w) => w.length > 0)
    .slice(0, MAX_SEARCH_WORDS);
  return { words };
}
