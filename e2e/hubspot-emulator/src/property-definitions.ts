import { type ObjectType } from './constants';

export type PropertyType = 'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  /** HubSpot computes the value; the API may not set it. */
  readOnly: boolean;
  calculated: boolean;
  hidden: boolean;
  displayOrder: number;
  /** Options come from elsewhere (pipelines, owners) and are checked dynamically. */
  externalOptions: boolean;
  /** A custom property with unique values (usable as idProperty). */
  hasUniqueValue?: boolean;
  /** Made through the properties API rather than defined by HubSpot. */
  custom?: boolean;
}

type Def = Partial<PropertyDefinition> & Pick<PropertyDefinition, 'name' | 'label' | 'type'>;

const fieldTypeFor: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  datetime: 'date',
  date: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
};

const opts = (...pairs: [string, string][]): PropertyOption[] =>
  pairs.map(([value, label], displayOrder) => ({ value, label, displayOrder, hidden: false }));

const BOOL_OPTIONS = opts(['true', 'Yes'], ['false', 'No']);

function build(groupName: string, defs: Def[]): PropertyDefinition[] {
  return defs.map((d, i) => ({
    fieldType: d.fieldType ?? fieldTypeFor[d.type],
    groupName: d.groupName ?? groupName,
    description: d.description ?? '',
    options: d.options ?? (d.type === 'bool' ? BOOL_OPTIONS : []),
    readOnly: d.readOnly ?? false,
    calculated: d.calculated ?? false,
    hidden: d.hidden ?? false,
    displayOrder: d.displayOrder ?? i,
    externalOptions: d.externalOptions ?? false,
    ...d,
  }));
}

// Option lists for priority and category are portal-configurable in HubSpot; these are the
// common defaults (the exact default list is unconfirmed, see docs/hubspot-emulator.md).
export const TICKET_PRIORITIES = opts(
  ['LOW', 'Low'],
  ['MEDIUM', 'Medium'],
  ['HIGH', 'High'],
  ['URGENT', 'Urgent'],
);
export const TICKET_CATEGORIES = opts(
  ['PRODUCT_ISSUE', 'Product issue'],
  ['BILLING_ISSUE', 'Billing issue'],
  ['FEATURE_REQUEST', 'Feature request'],
  ['GENERAL_INQUIRY', 'General inquiry'],
);
export const TICKET_SOURCES = opts(
  ['EMAIL', 'Email'],
  ['CHAT', 'Chat'],
  ['FORM', 'Form'],
  ['PHONE', 'Phone'],
);

const RO = { readOnly: true, calculated: true } as const;

const ticketProperties = build('ticketinformation', [
  { name: 'subject', label: 'Ticket name', type: 'string' },
  { name: 'content', label: 'Ticket description', type: 'string', fieldType: 'textarea' },
  { name: 'hs_pipeline', label: 'Pipeline', type: 'enumeration', externalOptions: true },
  { name: 'hs_pipeline_stage', label: 'Ticket status', type: 'enumeration', externalOptions: true },
  { name: 'hs_ticket_priority', label: 'Priority', type: 'enumeration', options: TICKET_PRIORITIES },
  {
    name: 'hs_ticket_category',
    label: 'Category',
    type: 'enumeration',
    options: TICKET_CATEGORIES,
    fieldType: 'checkbox',
  },
  { name: 'source_type', label: 'Source', type: 'enumeration', options: TICKET_SOURCES },
  { name: 'hubspot_owner_id', label: 'Ticket owner', type: 'enumeration', externalOptions: true },
  { name: 'hubspot_owner_assigneddate', label: 'Owner assigned date', type: 'datetime', ...RO },
  { name: 'createdate', label: 'Create date', type: 'datetime' },
  { name: 'hs_lastmodifieddate', label: 'Last modified date', type: 'datetime', ...RO },
  { name: 'closed_date', label: 'Close date', type: 'datetime' },
  { name: 'hs_is_closed', label: 'Closed', type: 'bool', ...RO },
  { name: 'hs_last_closed_date', label: 'Last Closed Date', type: 'datetime', ...RO },
  { name: 'hs_ticket_reopened_at', label: 'Ticket reopen date', type: 'datetime', ...RO },
  { name: 'time_to_close', label: 'Time to close', type: 'number', ...RO },
  { name: 'time_to_first_agent_reply', label: 'Time to first agent email reply', type: 'number', ...RO },
  { name: 'first_agent_reply_date', label: 'First agent email response date', type: 'datetime', ...RO },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', ...RO },
  { name: 'hs_ticket_id', label: 'Ticket ID', type: 'number', ...RO },
  { name: 'hs_object_source', label: 'Record source', type: 'string', ...RO },
  { name: 'hs_object_source_label', label: 'Record source label', type: 'string', ...RO },
  {
    name: 'hs_helpdesk_sort_timestamp',
    label: 'Help desk sort timestamp',
    type: 'datetime',
    ...RO,
    hidden: true,
  },
  { name: 'hs_lastactivitydate', label: 'Last activity date', type: 'datetime', ...RO },
  { name: 'last_reply_date', label: 'Last customer reply date', type: 'datetime', ...RO },
  { name: 'hs_last_message_received_at', label: 'Last message received date', type: 'datetime', ...RO },
  { name: 'hs_last_message_sent_at', label: 'Last response date', type: 'datetime', ...RO },
  { name: 'hs_last_message_from_visitor', label: 'Last message from visitor', type: 'bool', ...RO },
  { name: 'hs_last_email_date', label: 'Last email date', type: 'datetime', ...RO },
  {
    name: 'hs_last_email_activity',
    label: 'Last email activity',
    type: 'enumeration',
    ...RO,
    options: opts(
      ['ORIGINAL_FROM_CONTACT', 'Original email from contact'],
      ['SENT_TO_CONTACT', 'Email sent to contact'],
      ['REPLY_FROM_CONTACT', 'Reply from contact'],
    ),
  },
  { name: 'notes_last_updated', label: 'Last Activity Date (Ticket Note)', type: 'datetime', ...RO },
  { name: 'notes_last_contacted', label: 'Last Contacted (Ticket Note)', type: 'datetime', ...RO },
  { name: 'num_notes', label: 'Number of Sales Activities', type: 'number', ...RO },
  { name: 'num_contacted_notes', label: 'Number of times contacted', type: 'number', ...RO },
  { name: 'hs_primary_company_id', label: 'Primary Company ID', type: 'number', ...RO },
  { name: 'hs_primary_company_name', label: 'Primary Company', type: 'string', ...RO },
  {
    name: 'hs_resolution',
    label: 'Resolution',
    type: 'enumeration',
    options: opts(
      ['ISSUE_FIXED', 'Issue fixed'],
      ['EDUCATED_CUSTOMER', 'Educated customer'],
      ['DUPLICATE_TICKET', 'Duplicate ticket'],
      ['WORKAROUND', 'Workaround provided'],
      ['OTHER', 'Other'],
    ),
  },
  { name: 'hs_tag_ids', label: 'Tags', type: 'enumeration', fieldType: 'checkbox', externalOptions: true },
]);

const contactProperties = build('contactinformation', [
  { name: 'email', label: 'Email', type: 'string' },
  { name: 'firstname', label: 'First Name', type: 'string' },
  { name: 'lastname', label: 'Last Name', type: 'string' },
  { name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
  { name: 'company', label: 'Company Name', type: 'string' },
  { name: 'jobtitle', label: 'Job Title', type: 'string' },
  {
    name: 'lifecyclestage',
    label: 'Lifecycle Stage',
    type: 'enumeration',
    options: opts(
      ['lead', 'Lead'],
      ['opportunity', 'Opportunity'],
      ['customer', 'Customer'],
      ['other', 'Other'],
    ),
  },
  {
    name: 'hs_additional_emails',
    label: 'Additional email addresses',
    type: 'enumeration',
    externalOptions: true,
  },
  { name: 'associatedcompanyid', label: 'Primary Associated Company ID', type: 'number' },
  { name: 'hubspot_owner_id', label: 'Contact owner', type: 'enumeration', externalOptions: true },
  { name: 'createdate', label: 'Create Date', type: 'datetime' },
  { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', ...RO },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', ...RO },
]);

const companyProperties = build('companyinformation', [
  { name: 'name', label: 'Company name', type: 'string' },
  { name: 'domain', label: 'Company Domain Name', type: 'string' },
  { name: 'industry', label: 'Industry', type: 'string' },
  { name: 'city', label: 'City', type: 'string' },
  { name: 'country', label: 'Country/Region', type: 'string' },
  { name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
  { name: 'description', label: 'Description', type: 'string', fieldType: 'textarea' },
  { name: 'numberofemployees', label: 'Number of Employees', type: 'number' },
  { name: 'hubspot_owner_id', label: 'Company owner', type: 'enumeration', externalOptions: true },
  { name: 'createdate', label: 'Create Date', type: 'datetime' },
  { name: 'hs_lastmodifieddate', label: 'Last Modified Date', type: 'datetime', ...RO },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', ...RO },
]);

const engagementCommon: Def[] = [
  { name: 'hs_timestamp', label: 'Activity date', type: 'datetime' },
  { name: 'hubspot_owner_id', label: 'Activity assigned to', type: 'enumeration', externalOptions: true },
  { name: 'hs_attachment_ids', label: 'Attachment IDs', type: 'enumeration', externalOptions: true },
  { name: 'hs_createdate', label: 'Create date', type: 'datetime', ...RO },
  { name: 'hs_lastmodifieddate', label: 'Last modified date', type: 'datetime', ...RO },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', ...RO },
];

export const EMAIL_DIRECTIONS = opts(
  ['EMAIL', 'Sent by owner'],
  ['INCOMING_EMAIL', 'Reply from contact'],
  ['FORWARDED_EMAIL', 'Forwarded'],
);

const emailProperties = build('emailinformation', [
  ...engagementCommon,
  { name: 'hs_email_direction', label: 'Email direction', type: 'enumeration', options: EMAIL_DIRECTIONS },
  { name: 'hs_email_subject', label: 'Email subject', type: 'string' },
  { name: 'hs_email_text', label: 'Email body (text)', type: 'string', fieldType: 'textarea' },
  { name: 'hs_email_html', label: 'Email body (HTML)', type: 'string', fieldType: 'html' },
  {
    name: 'hs_email_status',
    label: 'Email send status',
    type: 'enumeration',
    options: opts(
      ['BOUNCED', 'Bounced'],
      ['FAILED', 'Failed'],
      ['SCHEDULED', 'Scheduled'],
      ['SENDING', 'Sending'],
      ['SENT', 'Sent'],
    ),
  },
  { name: 'hs_email_headers', label: 'Email headers', type: 'string' },
  { name: 'hs_email_from_email', label: 'From email', type: 'string', ...RO },
  { name: 'hs_email_from_firstname', label: 'From first name', type: 'string', ...RO },
  { name: 'hs_email_from_lastname', label: 'From last name', type: 'string', ...RO },
  { name: 'hs_email_to_email', label: 'To email', type: 'string', ...RO },
  { name: 'hs_email_to_firstname', label: 'To first name', type: 'string', ...RO },
  { name: 'hs_email_to_lastname', label: 'To last name', type: 'string', ...RO },
]);

const noteProperties = build('noteinformation', [
  ...engagementCommon,
  { name: 'hs_note_body', label: 'Note body', type: 'string', fieldType: 'html' },
]);

export const TASK_STATUSES = opts(
  ['NOT_STARTED', 'Not started'],
  ['IN_PROGRESS', 'In progress'],
  ['WAITING', 'Waiting'],
  ['COMPLETED', 'Completed'],
  ['DEFERRED', 'Deferred'],
);

// A task is an engagement whose hs_timestamp is its due date (HubSpot's tasks guide).
const taskProperties = build('taskinformation', [
  ...engagementCommon.map((d) =>
    d.name === 'hs_timestamp'
      ? { ...d, label: 'Due date' }
      : d.name === 'hubspot_owner_id'
        ? { ...d, label: 'Assigned to' }
        : d,
  ),
  { name: 'hs_task_subject', label: 'Task Title', type: 'string' },
  { name: 'hs_task_body', label: 'Notes', type: 'string', fieldType: 'html' },
  { name: 'hs_task_status', label: 'Task Status', type: 'enumeration', options: TASK_STATUSES },
  {
    name: 'hs_task_priority',
    label: 'Priority',
    type: 'enumeration',
    options: opts(['NONE', 'None'], ['LOW', 'Low'], ['MEDIUM', 'Medium'], ['HIGH', 'High']),
  },
  {
    name: 'hs_task_type',
    label: 'Task Type',
    type: 'enumeration',
    options: opts(['TODO', 'To-do'], ['CALL', 'Call'], ['EMAIL', 'Email']),
  },
  { name: 'hs_task_reminders', label: 'Reminder', type: 'enumeration', externalOptions: true },
  { name: 'hs_task_completion_date', label: 'Completed at', type: 'datetime', ...RO },
]);

const byType: Record<ObjectType, PropertyDefinition[]> = {
  tickets: ticketProperties,
  contacts: contactProperties,
  companies: companyProperties,
  emails: emailProperties,
  notes: noteProperties,
  tasks: taskProperties,
};

const indexed = new Map<ObjectType, Map<string, PropertyDefinition>>(
  (Object.keys(byType) as ObjectType[]).map((t) => [t, new Map(byType[t].map((p) => [p.name, p]))]),
);

export function propertyDefinitions(type: ObjectType): PropertyDefinition[] {
  return byType[type];
}

export function propertyDefinition(type: ObjectType, name: string): PropertyDefinition | undefined {
  return indexed.get(type)?.get(name);
}

/** Properties a read returns when the caller names none (HubSpot's per-object defaults). */
export const DEFAULT_READ_PROPERTIES: Record<ObjectType, string[]> = {
  tickets: [
    'content',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_ticket_category',
    'hs_ticket_priority',
    'subject',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
  ],
  contacts: ['firstname', 'lastname', 'email', 'lastmodifieddate', 'hs_object_id', 'createdate'],
  companies: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Properties every read returns besides the requested ones. */
export const ALWAYS_PROPERTIES: Record<ObjectType, string[]> = {
  tickets: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['createdate', 'lastmodifieddate', 'hs_object_id'],
  companies: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

export const CREATE_DATE_PROPERTY: Record<ObjectType, string> = {
  tickets: 'createdate',
  contacts: 'createdate',
  companies: 'createdate',
  emails: 'hs_createdate',
  notes: 'hs_createdate',
  tasks: 'hs_createdate',
};

export const MODIFIED_DATE_PROPERTY: Record<ObjectType, string> = {
  tickets: 'hs_lastmodifieddate',
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  emails: 'hs_lastmodifieddate',
  notes: 'hs_lastmodifieddate',
  tasks: 'hs_lastmodifieddate',
};

/** Text properties `query` searches (HubSpot's default searchable properties). */
export const SEARCHABLE_TEXT_PROPERTIES: Record<ObjectType, string[]> = {
  tickets: ['subject', 'content', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_id'],
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company', 'hs_additional_emails'],
  companies: ['name', 'domain', 'phone', 'website'],
  emails: ['hs_email_subject', 'hs_email_text'],
  notes: ['hs_note_body'],
  tasks: ['hs_task_subject', 'hs_task_body'],
};
