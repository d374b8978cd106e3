import { DEMO_COMPANY_DOMAIN, DEMO_COMPANY_NAME } from './constants';

// What the seeded demo portal says: owners, companies, people's names and the ticket templates
// (subject, description, support's answer, the customer's reply) seedStore draws from.

export const OWNERS: [string, string, string][] = [
  ['Maya', 'Okafor', 'Support Tier 1'],
  ['Tom', 'Lindqvist', 'Support Tier 1'],
  ['Aisha', 'Rahman', 'Support Tier 1'],
  ['Daniel', 'Brennan', 'Support Tier 2'],
  ['Sofia', 'Marquez', 'Support Tier 2'],
  ['Kenji', 'Watanabe', 'Support Tier 2'],
  ['Hannah', 'Fischer', 'Rights Operations'],
  ['Oliver', 'Grant', 'Rights Operations'],
  ['Chloe', 'Dubois', 'Rights Operations'],
  ['Ravi', 'Menon', 'Integrations'],
  ['Grace', 'Whitfield', 'Integrations'],
  ['Lukas', 'Novak', 'Support Tier 1'],
];

export const COMPANIES: [string, string, string, string][] = [
  [DEMO_COMPANY_NAME, DEMO_COMPANY_DOMAIN, 'Music publishing', 'Bristol'],
  ['Northern Quarter Publishing', 'nqpublishing.example', 'Music publishing', 'Manchester'],
  ['Blue Fern Records', 'bluefern.example', 'Record label', 'Dublin'],
  ['Meridian Sync Agency', 'meridiansync.example', 'Sync agency', 'London'],
  ['Copperline Media', 'copperline.example', 'Broadcast', 'Toronto'],
  ['Saltmarsh Audio', 'saltmarsh.example', 'Production music', 'Brighton'],
  ['Kestrel Film & TV', 'kestrelfilm.example', 'Film and TV production', 'Los Angeles'],
  ['Lantern Street Music Library', 'lanternstreet.example', 'Production music', 'Nashville'],
];

export const FIRST = [
  'Priya',
  'Jonas',
  'Elena',
  'Marcus',
  'Fatima',
  'Liam',
  'Noor',
  'Ben',
  'Isla',
  'Mateo',
  'Zara',
  'Owen',
  'Leah',
  'Kofi',
  'Ines',
  'Sam',
  'Yuki',
  'Ruth',
  'Adam',
  'Mila',
];
export const LAST = [
  'Shah',
  'Berg',
  'Rossi',
  'Cole',
  'Haddad',
  'Walsh',
  'Karimi',
  'Price',
  'Reid',
  'Santos',
  'Ahmed',
  'Hughes',
  'Klein',
  'Mensah',
  'Costa',
  'Young',
  'Tanaka',
  'Byrne',
  'Novak',
  'Lopez',
];
export const TITLES = [
  'Head of Rights',
  'Royalty Analyst',
  'Licensing Manager',
  'Metadata Coordinator',
  'Catalogue Manager',
  'Finance Director',
  'Sync Manager',
];
export const WORDS_A = [
  'Silver',
  'Harbour',
  'Granite',
  'Velvet',
  'Amber',
  'Echo',
  'Riverside',
  'Paper',
  'Neon',
  'Orchard',
  'Cobalt',
  'Wildflower',
];
export const WORDS_B = ['Music', 'Records', 'Publishing', 'Sync', 'Audio', 'Media', 'Songs', 'Rights'];

export const CATALOGUES = [
  'Back Catalogue 2019',
  'Acoustic Moods',
  'Cinematic Trailers Vol. 3',
  'Lo-Fi Beats',
  'Nordic Noir Scores',
  'Summer Pop 2024',
  'Orchestral Essentials',
];
export const TERRITORIES = ['Germany', 'Japan', 'Brazil', 'the US', 'France', 'Australia', 'Canada'];
export const PARTNERS = [
  'Spotify',
  'YouTube Content ID',
  'PRS',
  'ASCAP',
  'GEMA',
  'SoundExchange',
  'Apple Music',
];

export interface Template {
  subject: string;
  content: string;
  category: string;
  agent: string;
  customer: string;
}

export const TEMPLATES: Template[] = [
  {
    subject: 'Royalty statement for {partner} is missing Q{q} lines',
    content:
      'Our {partner} royalty statement for Q{q} shows no lines for the "{cat}" catalogue, although usage reports show streams in {territory}. Can you check the import?',
    category: 'PRODUCT_ISSUE',
    agent:
      'Thanks for flagging this. The {partner} file for Q{q} was only partly ingested; we have re-run the import for "{cat}" and the lines should appear within the hour.',
    customer:
      'Thanks, I can see most of the lines now, but the {territory} totals still look low. Could you double-check?',
  },
  {
    subject: 'Cue sheet export fails for episode {n}',
    content:
      'Exporting the cue sheet for episode {n} stops with "Unexpected error" at 80%. Other episodes in the series export fine.',
    category: 'PRODUCT_ISSUE',
    agent:
      'We found a cue with a zero-length duration in episode {n} that broke the export. It is fixed on our side; please try again.',
    customer: 'That worked, thank you. Is there a way to catch zero-length cues before export next time?',
  },
  {
    subject: 'Invoice {n} charged twice',
    content: 'Our card was charged twice for invoice {n} this month. Please refund the duplicate payment.',
    category: 'BILLING_ISSUE',
    agent:
      'Apologies for that. We have refunded the duplicate charge for invoice {n}; it can take 5-10 working days to show on your statement.',
    customer: 'Great, thanks for the quick refund.',
  },
  {
    subject: 'Add bulk editing of ISRC codes',
    content:
      'We need to correct ISRC codes on several hundred tracks in "{cat}". Editing them one by one takes hours. Could bulk editing be added?',
    category: 'FEATURE_REQUEST',
    agent:
      'Thanks for the suggestion. Bulk metadata editing is on our roadmap; in the meantime our team can apply a spreadsheet of ISRC corrections for you.',
    customer: 'That would help. I will send the spreadsheet over this week.',
  },
  {
    subject: 'Sync licence quote for {territory} broadcast',
    content:
      'A broadcaster in {territory} asked for a quote to use two tracks from "{cat}". How do I generate a quote with territory-specific terms?',
    category: 'GENERAL_INQUIRY',
    agent:
      'You can create the quote from the track page: choose "New quote", then set the territory to {territory} under Terms. I have attached a short guide.',
    customer: 'Found it, thanks. Can the quote template include our logo?',
  },
  {
    subject: 'DDEX delivery to {partner} rejected',
    content:
      'Our latest DDEX ERN delivery to {partner} was rejected with a validation error about release dates.',
    category: 'PRODUCT_ISSUE',
    agent:
      'The release date in the ERN was in the wrong format for {partner}. We have corrected the mapping and re-sent the delivery.',
    customer: '{partner} confirmed receipt this morning. Thanks for sorting it out.',
  },
  {
    subject: 'Users cannot log in after SSO change',
    content:
      'Since we switched our identity provider yesterday, three of our users get "access denied" when they sign in.',
    category: 'PRODUCT_ISSUE',
    agent:
      'The new identity provider sends a different user identifier. We have updated the mapping for your account; please ask the users to try again.',
    customer: 'Two of them are in now, one still gets the error.',
  },
  {
    subject: 'Question about splitting writer shares',
    content:
      'How should we record a co-write where the writer shares are 33.3 / 33.3 / 33.4? The form rounds to whole numbers.',
    category: 'GENERAL_INQUIRY',
    agent:
      'Shares accept up to two decimal places if you type them in the split editor rather than using the slider. I have checked your track and it is set up correctly now.',
    customer: 'Perfect, that is exactly what I needed.',
  },
  {
    subject: 'Upgrade plan to add five more seats',
    content: 'We are growing the licensing team and need five more seats. Can we upgrade mid-term?',
    category: 'BILLING_ISSUE',
    agent:
      'Yes, seats can be added mid-term and are billed pro rata. I have sent an updated order form for you to sign.',
    customer: 'Signed and returned. When will the seats be available?',
  },
  {
    subject: 'Search does not find tracks by alternate title',
    content:
      'Searching for the alternate title of "{cat}" tracks returns nothing. The alternate titles are filled in on the track pages.',
    category: 'PRODUCT_ISSUE',
    agent:
      'Alternate titles were not being indexed for tracks imported via CSV. We have rebuilt the search index for your catalogue.',
    customer: 'Search works now. Thank you!',
  },
  {
    subject: 'Request: export usage report as CSV',
    content: 'Our finance team would like to export the monthly usage report as CSV instead of PDF.',
    category: 'FEATURE_REQUEST',
    agent:
      'A CSV export is available under Reports > Usage > Export. It was released last month, so you may need to refresh the page.',
    customer: 'Got it, thanks.',
  },
  {
    subject: 'Duplicate tracks after catalogue import',
    content:
      'After importing "{cat}" we have around {n} duplicate tracks. Can these be merged without losing the licence history?',
    category: 'PRODUCT_ISSUE',
    agent:
      'We can merge the duplicates and keep the licence history on the surviving track. Please confirm and we will run the merge tonight.',
    customer: 'Confirmed, please go ahead.',
  },
];

export const NOTES = [
  'Checked the logs: the import job for this account timed out twice last night.',
  'Customer is on the Enterprise plan; keep the SLA in mind.',
  'Escalated to engineering, see the linked issue.',
  'Called the customer to confirm the details.',
];
