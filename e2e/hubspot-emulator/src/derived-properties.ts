import { iso, type CrmRecord } from './store';

// The properties HubSpot works out itself when a record is written: a ticket's activity dates and
// counts when an email or note is logged on it, an email's from/to properties from its headers, a
// task's status defaults and completion date. Store applies them on every write.

function maxIso(current: string | undefined, candidate: string): string {
  return current && Date.parse(current) > Date.parse(candidate) ? current : candidate;
}

/** The ticket property changes caused by an email or note logged at the engagement's hs_timestamp. */
export function engagementActivity(
  ticket: CrmRecord,
  engagement: CrmRecord,
  at: number,
): Record<string, string> {
  const ts = engagement.props.hs_timestamp ?? iso(at);
  const p = ticket.props;
  const out: Record<string, string> = { hs_lastactivitydate: maxIso(p.hs_lastactivitydate, ts) };
  if (engagement.type === 'notes') {
    out.notes_last_updated = maxIso(p.notes_last_updated, ts);
    out.num_notes = String(Number(p.num_notes ?? '0') + 1);
    return out;
  }
  out.hs_last_email_date = maxIso(p.hs_last_email_date, ts);
  const direction = engagement.props.hs_email_direction ?? 'EMAIL';
  if (direction === 'INCOMING_EMAIL') {
    out.last_reply_date = maxIso(p.last_reply_date, ts);
    out.hs_last_message_received_at = maxIso(p.hs_last_message_received_at, ts);
    out.hs_last_message_from_visitor = 'true';
    out.hs_last_email_activity = 'REPLY_FROM_CONTACT';
  } else {
    out.hs_last_message_sent_at = maxIso(p.hs_last_message_sent_at, ts);
    out.notes_last_contacted = maxIso(p.notes_last_contacted, ts);
    out.hs_last_message_from_visitor = 'false';
    out.hs_last_email_activity = 'SENT_TO_CONTACT';
    out.num_contacted_notes = String(Number(p.num_contacted_notes ?? '0') + 1);
    if (!p.first_agent_reply_date) {
      out.first_agent_reply_date = ts;
      out.time_to_first_agent_reply = String(Math.max(0, Date.parse(ts) - ticket.createdAt));
    }
  }
  return out;
}

/** A task without a status is open (NOT_STARTED); a completed one carries its completion time. */
export function fillTaskDefaults(props: Record<string, string>, at: number): void {
  props.hs_task_status ??= 'NOT_STARTED';
  props.hs_task_type ??= 'TODO';
  if (props.hs_task_status === 'COMPLETED') props.hs_task_completion_date = iso(at);
}

export function deriveTaskChanges(rec: CrmRecord, next: Record<string, string>, at: number): void {
  const status = next.hs_task_status;
  if (status === undefined || status === (rec.props.hs_task_status ?? '')) return;
  if (status === '') next.hs_task_status = 'NOT_STARTED';
  next.hs_task_completion_date = next.hs_task_status === 'COMPLETED' ? iso(at) : '';
}

interface HeaderPerson {
  email?: string;
  firstName?: string;
  lastName?: string;
}

/** `hs_email_headers` fills the read-only from/to properties (HubSpot parses the JSON). */
export function fillEmailHeaderProps(props: Record<string, string>): void {
  const raw = props.hs_email_headers;
  if (!raw) return;
  let parsed: { from?: HeaderPerson; to?: HeaderPerson[] };
  try {
    parsed = JSON.parse(raw) as { from?: HeaderPerson; to?: HeaderPerson[] };
  } catch {
    return;
  }
  const set = (k: string, v: string | undefined): void => {
    if (typeof v === 'string' && v !== '') props[k] = v;
  };
  set('hs_email_from_email', parsed.from?.email);
  set('hs_email_from_firstname', parsed.from?.firstName);
  set('hs_email_from_lastname', parsed.from?.lastName);
  const to = Array.isArray(parsed.to) ? parsed.to : [];
  set(
    'hs_email_to_email',
    to
      .map((t) => t.email ?? '')
      .filter(Boolean)
      .join(';'),
  );
  set(
    'hs_email_to_firstname',
    to
      .map((t) => t.firstName ?? '')
      .filter(Boolean)
      .join(';'),
  );
  set(
    'hs_email_to_lastname',
    to
      .map((t) => t.lastName ?? '')
      .filter(Boolean)
      .join(';'),
  );
}
