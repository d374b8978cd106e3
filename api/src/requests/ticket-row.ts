/** A `tickets` row as the requests module reads it. */
export interface TicketRow {
  id: number;
  hubspot_id: string | null;
  subject: string;
  content: string | null;
  pipeline_id: string | null;
  stage_id: string | null;
  stage_label: string | null;
  is_closed: number;
  owner_name: string | null;
  contact_id: string | null;
  requester_name: string | null;
  requester_email: string | null;
  company_id: string | null;
  priority: string | null;
  category: string | null;
  created_at: Date;
  last_activity_at: Date;
  closed_at: Date | null;
  sync_state: string;
  sync_error: string | null;
  request_key: string | null;
  created_by_customer_id: string | null;
  conversation_synced_at: Date | null;
}

export const TICKET_COLUMNS = `id, hubspot_id, subject, content, pipeline_id, stage_id, stage_label, is_closed,
  owner_name, contact_id, requester_name, requester_email, company_id, priority, category, created_at,
  last_activity_at, closed_at, sync_state, sync_error, request_key, created_by_customer_id, conversation_synced_at`;

export interface MessageRow {
  id: number;
  hubspot_id: string | null;
  ticket_id: number;
  direction: string;
  author_name: string | null;
  author_email: string | null;
  text: string | null;
  html_raw: string | null;
  shown_html: string | null;
  shown_text: string | null;
  created_at: Date;
  request_key: string | null;
  sync_state: string;
  sync_error: string | null;
  created_by_customer_id: string | null;
}

export const MESSAGE_COLUMNS = `id, hubspot_id, ticket_id, direction, author_name, author_email, text, html_raw, shown_html, shown_text,
  created_at, request_key, sync_state, sync_error, created_by_customer_id`;
