/**
 * CSV export in the two layouts people import elsewhere (product.md B7):
 *
 * - `google`: the layout Google Contacts exports and imports ("Google CSV"). Fixed columns first
 *   (First Name ... Labels), then numbered groups ("E-mail 1 - Label", "E-mail 1 - Value", ...)
 *   repeated as often as the contact with the most values needs, like Google's own export. A label
 *   starting with "* " marks the primary value; folder names go in Labels separated by " ::: ".
 *   Dates are YYYY-MM-DD, or --MM-DD without a year. UTF-8 without BOM, as Google writes it.
 * - `outlook`: the 92 fixed columns of Outlook's "Comma Separated Values" import/export, every field
 *   quoted as Outlook writes them, UTF-8 with a BOM (without it Outlook reads the file as ANSI and
 *   breaks non-Latin names). Dates are M/D/YYYY as Outlook writes them; Outlook has no date without
 *   a year, so those stay empty. Phones go to the column of their kind; a second value of a kind
 *   that has one column goes to "Other Phone" when free.
 *
 * Quoting follows RFC 4180: fields with `"`, `,`, CR or LF are quoted and `"` doubled; records end
 * with CRLF. Cells a spreadsheet would run as a formula are escaped first (see neutraliseFormula).
 */
import type { Contact, PartialDate, PostalAddress, TypedValue } from '../contacts/model';

export type CsvLayout = 'google' | 'outlook';

/** One contact to export with the names of its folders. */
export interface CsvExportRow {
  readonly contact: Contact;
  readonly folderNames: readonly string[];
}

/** Google's fixed leading columns, in order. */
export const GOOGLE_CSV_BASE_HEADERS: readonly string[] = [
  'First Name',
  'Middle Name',
  'Last Name',
  'Phonetic First Name',
  'Phonetic Middle Name',
  'Phonetic Last Name',
  'Name Prefix',
  'Name Suffix',
  'Nickname',
  'File As',
  'Organization Name',
  'Organization Title',
  'Organization Department',
  'Birthday',
  'Notes',
  'Photo',
  'Labels',
];

/** Google's repeated groups, in the order its export writes them, and the columns of each. */
export const GOOGLE_CSV_GROUPS: readonly { readonly name: string; readonly columns: readonly string[] }[] = [
  { name: 'E-mail', columns: ['Label', 'Value'] },
  { name: 'Phone', columns: ['Label', 'Value'] },
  {
    name: 'Address',
    columns: [
      'Label',
      'Formatted',
      'Street',
      'City',
      'PO Box',
      'Region',
      'Postal Code',
      'Country',
      'Extended Address',
    ],
  },
  { name: 'Relation', columns: ['Label', 'Value'] },
  { name: 'Website', columns: ['Label', 'Value'] },
  { name: 'Event', columns: ['Label', 'Value'] },
  { name: 'IM', columns: ['Label', 'Service', 'Value'] },
  { name: 'Custom Field', columns: ['Label', 'Value'] },
];

/** Outlook's CSV columns, in order (Outlook's own export and its import template). */
export const OUTLOOK_CSV_HEADERS: readonly string[] = [
  'Title',
  'First Name',
  'Middle Name',
  'Last Name',
  'Suffix',
  'Company',
  'Department',
  'Job Title',
  'Business Street',
  'Business Street 2',
  'Business Street 3',
  'Business City',
  'Business State',
  'Business Postal Code',
  'Business Country/Region',
  'Home Street',
  'Home Street 2',
  'Home Street 3',
  'Home City',
  'Home State',
  'Home Postal Code',
  'Home Country/Region',
  'Other Street',
  'Other Street 2',
  'Other Street 3',
  'Other City',
  'Other State',
  'Other Postal Code',
  'Other Country/Region',
  "Assistant's Phone",
  'Business Fax',
  'Business Phone',
  'Business Phone 2',
  'Callback',
  'Car Phone',
  'Company Main Phone',
  'Home Fax',
  'Home Phone',
  'Home Phone 2',
  'ISDN',
  'Mobile Phone',
  'Other Fax',
  'Other Phone',
  'Pager',
  'Primary Phone',
  'Radio Phone',
  'TTY/TDD Phone',
  'Telex',
  'Account',
  'Anniversary',
  "Assistant's Name",
  'Billing Information',
  'Birthday',
  'Business Address PO Box',
  'Categories',
  'Children',
  'Directory Server',
  'E-mail Address',
  'E-mail Type',
  'E-mail Display Name',
  'E-mail 2 Address',
  'E-mail 2 Type',
  'E-mail 2 Display Name',
  'E-mail 3 Address',
  'E-mail 3 Type',
  'E-mail 3 Display Name',
  'Gender',
  'Government ID Number',
  'Hobby',
  'Home Address PO Box',
  'Initials',
  'Internet Free Busy',
  'Keywords',
  'Language',
  'Location',
  "Manager's Name",
  'Mileage',
  'Notes',
  'Office Location',
  'Organizational ID Number',
  'Other Address PO Box',
  'Priority',
  'Private',
  'Profession',
  'Referred By',
  'Sensitivity',
  'Spouse',
  'User 1',
  'User 2',
  'User 3',
  'User 4',
  'Web Page',
];

/** Writes the rows as one CSV document in the given layout (Outlook's starts with a BOM). */
export function contactsToCsv(rows: Iterable<CsvExportRow>, layout: CsvLayout): string {
  return [...csvChunks(rows, layout)].join('');
}

/** The same document record by record, for streaming (into a ZIP) without one big string. */
/**
 * The file a row at a time. `rows` is walked twice for Google's layout (its headers count the
 * widest group first), so it must give the same rows again: an array, or an iterable that reads
 * them afresh (the export reads contacts from the backup as it goes rather than holding them).
 */
export function* csvChunks(rows: Iterable<CsvExportRow>, layout: CsvLayout): Generator<string> {
  if (layout === 'outlook') {
    yield `\uFEFF${csvRecord(OUTLOOK_CSV_HEADERS, true)}`;
    for (const row of rows) yield csvRecord(outlookFields(row), true);
    return;
  }
  const counts = googleGroupCounts(rows);
  yield csvRecord(googleHeaders(counts), false);
  for (const row of rows) yield csvRecord(googleFields(row, counts), false);
}

/** A phone number or plain number: a leading + or - there starts no formula worth escaping. */
const PLAIN_NUMBER = /^[+-][\d\s()./-]+$/;

/**
 * CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return as a formula (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`). Such a
 * cell gets a leading `'`, which spreadsheets show as text and do not display. Leading spaces are
 * looked through, since some applications trim them before evaluating. Phone numbers such as
 * `+44 20 7946 0000` are left alone: digits, spaces and punctuation cannot call anything, and
 * escaping them would put a `'` into every re-imported phone number.
 */
export function neutraliseFormula(field: string): string {
  const start = field.replace(/^ +/, '');
  if (!/^[=+\-@\t\r]/.test(start)) return field;
  if (PLAIN_NUMBER.test(start)) return field;
  return `'${field}`;
}

/** The header row of a layout for these rows (Google's depends on the largest counts). */
export function csvHeaders(rows: Iterable<CsvExportRow>, layout: CsvLayout): string[] {
  return layout === 'outlook' ? [...OUTLOOK_CSV_HEADERS] : googleHeaders(googleGroupCounts([...rows]));
}

/** One RFC 4180 record ending in CRLF; `quoteAll` quotes every field the way Outlook does. */
export function csvRecord(fields: readonly string[], quoteAll: boolean): string {
  return `${fields
    .map(neutraliseFormula)
    .map((field) => (quoteAll || /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field))
    .join(',')}\r\n`;
}

// ---------------------------------------------------------------- Google

type GroupCounts = Record<string, number>;

function googleGroupValues(contact: Contact): Record<string, string[][]> {
  const sipAsCustom = contact.sipAddresses.map((sip) => [
    `SIP${sip.type ? ` (${sip.type})` : ''}`,
    sip.value,
  ]);
  const genderAsCustom = contact.gender ? [['Gender', contact.gender]] : [];
  return {
    'E-mail': contact.emails.map((email) => [googleLabel(email, emailLabels), email.value]),
    Phone: contact.phones.map((phone) => [googleLabel(phone, phoneLabels), phone.value]),
    Address: contact.addresses.map((address) => [
      googleLabel(address, addressLabels),
      address.formatted ?? '',
      address.street ?? '',
      address.city ?? '',
      address.poBox ?? '',
      address.region ?? '',
      address.postalCode ?? '',
      address.country ?? '',
      address.extended ?? '',
    ]),
    Relation: contact.relations.map((relation) => [
      relationLabels[relation.type] ?? relation.type,
      relation.name,
    ]),
    Website: contact.urls.map((url) => [googleLabel(url, urlLabels), url.value]),
    Event: contact.events.map((event) => [
      event.label ?? eventLabels[event.type] ?? event.type,
      formatIsoDate(event.date),
    ]),
    IM: contact.imAddresses.map((im) => [
      im.label ?? '',
      im.type ? (imServices[im.type] ?? im.type) : '',
      im.value,
    ]),
    'Custom Field': [
      ...contact.customFields.map((field) => [field.key, field.value]),
      ...sipAsCustom,
      ...genderAsCustom,
    ],
  };
}

function googleGroupCounts(rows: Iterable<CsvExportRow>): GroupCounts {
  // E-mail and Phone always have one group, as in Google's own template.
  const counts: GroupCounts = { 'E-mail': 1, Phone: 1 };
  for (const row of rows) {
    for (const [group, values] of Object.entries(googleGroupValues(row.contact))) {
      counts[group] = Math.max(counts[group] ?? 0, values.length);
    }
  }
  return counts;
}

function googleHeaders(counts: GroupCounts): string[] {
  const headers = [...GOOGLE_CSV_BASE_HEADERS];
  for (const group of GOOGLE_CSV_GROUPS) {
    for (let n = 1; n <= (counts[group.name] ?? 0); n++) {
      for (const column of group.columns) headers.push(`${group.name} ${n} - ${column}`);
    }
  }
  return headers;
}

function googleFields(row: CsvExportRow, counts: GroupCounts): string[] {
  const { contact } = row;
  const org = contact.organizations[0];
  const fields = [
    contact.name.given ?? '',
    contact.name.middle ?? '',
    contact.name.family ?? '',
    contact.name.phoneticGiven ?? '',
    contact.name.phoneticMiddle ?? '',
    contact.name.phoneticFamily ?? '',
    contact.name.prefix ?? '',
    contact.name.suffix ?? '',
    contact.nicknames.join(' ::: '),
    contact.fileAs ?? '',
    org?.name ?? '',
    org?.title ?? '',
    org?.department ?? '',
    contact.birthday ? formatIsoDate(contact.birthday) : '',
    contact.notes ?? '',
    '',
    row.folderNames.join(' ::: '),
  ];
  const values = googleGroupValues(contact);
  for (const group of GOOGLE_CSV_GROUPS) {
    const list = values[group.name] ?? [];
    for (let n = 0; n < (counts[group.name] ?? 0); n++) {
      fields.push(...(list[n] ?? group.columns.map(() => '')));
    }
  }
  return fields;
}

const emailLabels: Record<string, string> = { home: 'Home', work: 'Work', other: 'Other' };
const phoneLabels: Record<string, string> = {
  mobile: 'Mobile',
  home: 'Home',
  work: 'Work',
  main: 'Main',
  'home-fax': 'Home Fax',
  'work-fax': 'Work Fax',
  'other-fax': 'Other Fax',
  pager: 'Pager',
  'work-mobile': 'Work Mobile',
  'work-pager': 'Work Pager',
  'google-voice': 'Google Voice',
  other: 'Other',
  car: 'Car',
  radio: 'Radio',
  callback: 'Callback',
  isdn: 'ISDN',
  telex: 'Telex',
  tty: 'TTY/TDD',
  assistant: 'Assistant',
  'company-main': 'Company Main',
};
const addressLabels: Record<string, string> = { home: 'Home', work: 'Work', other: 'Other' };
const urlLabels: Record<string, string> = {
  'home-page': 'Home Page',
  home: 'Home',
  work: 'Work',
  blog: 'Blog',
  profile: 'Profile',
  other: 'Other',
};
const eventLabels: Record<string, string> = { anniversary: 'Anniversary', other: 'Other' };
const relationLabels: Record<string, string> = {
  spouse: 'Spouse',
  child: 'Child',
  mother: 'Mother',
  father: 'Father',
  parent: 'Parent',
  brother: 'Brother',
  sister: 'Sister',
  friend: 'Friend',
  relative: 'Relative',
  manager: 'Manager',
  assistant: 'Assistant',
  'referred-by': 'Referred By',
  partner: 'Partner',
  'domestic-partner': 'Domestic Partner',
};
const imServices: Record<string, string> = {
  skype: 'Skype',
  xmpp: 'Jabber',
  jabber: 'Jabber',
  'google-talk': 'Google Talk',
  aim: 'AIM',
  yahoo: 'Yahoo',
  msn: 'MSN',
  icq: 'ICQ',
  qq: 'QQ',
};

/** The label Google shows: the user's label, else the kind's name; "* " marks the primary value. */
function googleLabel(item: TypedValue | PostalAddress, labels: Record<string, string>): string {
  const text = item.label ?? (item.type ? (labels[item.type] ?? item.type) : '');
  return item.primary ? `* ${text}` : text;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** YYYY-MM-DD, --MM-DD without a year, else the free text. */
function formatIsoDate(date: PartialDate): string {
  if (date.month !== undefined && date.day !== undefined) {
    return date.year !== undefined
      ? `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`
      : `--${pad(date.month)}-${pad(date.day)}`;
  }
  return date.text ?? (date.year !== undefined ? pad(date.year, 4) : '');
}

// ---------------------------------------------------------------- Outlook

/** Outlook's phone column for each kind (first value); a second value goes to "Other Phone". */
const outlookPhoneColumns: Record<string, readonly string[]> = {
  assistant: ["Assistant's Phone"],
  'work-fax': ['Business Fax'],
  work: ['Business Phone', 'Business Phone 2'],
  callback: ['Callback'],
  car: ['Car Phone'],
  'company-main': ['Company Main Phone'],
  'home-fax': ['Home Fax'],
  home: ['Home Phone', 'Home Phone 2'],
  isdn: ['ISDN'],
  mobile: ['Mobile Phone'],
  'work-mobile': ['Mobile Phone'],
  'other-fax': ['Other Fax'],
  pager: ['Pager'],
  'work-pager': ['Pager'],
  main: ['Primary Phone'],
  radio: ['Radio Phone'],
  tty: ['TTY/TDD Phone'],
  telex: ['Telex'],
};

function outlookFields(row: CsvExportRow): string[] {
  const { contact } = row;
  const values = new Map<string, string>();
  const set = (column: string, value: string | undefined) => {
    if (value !== undefined && value !== '') values.set(column, value);
  };
  const { name } = contact;
  set('Title', name.prefix);
  set('First Name', name.given);
  set('Middle Name', name.middle);
  set('Last Name', name.family);
  set('Suffix', name.suffix);
  const org = contact.organizations[0];
  set('Company', org?.name);
  set('Department', org?.department);
  set('Job Title', org?.title);
  set('Office Location', org?.location);
  set('Profession', org?.profession);

  const places: Record<string, PostalAddress | undefined> = {};
  for (const address of contact.addresses) {
    const place = address.type === 'work' ? 'Business' : address.type === 'home' ? 'Home' : 'Other';
    places[place] ??= address;
  }
  for (const [place, address] of Object.entries(places)) {
    if (!address) continue;
    const lines = [...(address.street?.split('\n') ?? []), ...(address.extended ? [address.extended] : [])];
    set(`${place} Street`, lines[0]);
    set(`${place} Street 2`, lines[1]);
    set(`${place} Street 3`, lines.slice(2).join(', '));
    set(`${place} City`, address.city);
    set(`${place} State`, address.region);
    set(`${place} Postal Code`, address.postalCode);
    set(`${place} Country/Region`, address.country);
    set(`${place} Address PO Box`, address.poBox);
  }

  for (const phone of contact.phones) {
    const columns = outlookPhoneColumns[phone.type ?? ''] ?? [];
    const free = [...columns, 'Other Phone'].find((column) => !values.has(column));
    if (free) set(free, phone.value);
  }

  contact.emails.slice(0, 3).forEach((email, index) => {
    const prefix = index === 0 ? 'E-mail' : `E-mail ${index + 1}`;
    set(`${prefix} Address`, email.value);
    set(`${prefix} Type`, 'SMTP');
    set(`${prefix} Display Name`, `${contact.displayName || email.value} (${email.value})`);
  });

  const anniversary = contact.events.find((event) => event.type === 'anniversary');
  set('Anniversary', anniversary ? formatOutlookDate(anniversary.date) : undefined);
  set('Birthday', contact.birthday ? formatOutlookDate(contact.birthday) : undefined);
  const relationNames = (type: string) =>
    contact.relations
      .filter((relation) => relation.type === type)
      .map((relation) => relation.name)
      .join(', ');
  set("Assistant's Name", relationNames('assistant'));
  set("Manager's Name", relationNames('manager'));
  set('Spouse', relationNames('spouse'));
  set('Children', relationNames('child'));
  set('Referred By', relationNames('referred-by'));
  // Outlook separates categories with ";" in its CSV.
  set('Categories', row.folderNames.join(';'));
  set('Gender', contact.gender === 'male' ? 'Male' : contact.gender === 'female' ? 'Female' : 'Unspecified');
  set('Notes', contact.notes);
  set('Priority', 'Normal');
  set('Private', 'False');
  set('Sensitivity', 'Normal');
  contact.customFields
    .slice(0, 4)
    .forEach((field, index) => set(`User ${index + 1}`, `${field.key}: ${field.value}`));
  set('Web Page', contact.urls[0]?.value);
  set('Initials', initials(contact));
  return OUTLOOK_CSV_HEADERS.map((header) => values.get(header) ?? '');
}

function initials(contact: Contact): string {
  const parts = [contact.name.given, contact.name.middle, contact.name.family].filter(
    (part): part is string => !!part,
  );
  return parts.map((part) => `${[...part][0]}.`).join('');
}

/** M/D/YYYY as Outlook writes dates; empty when there is no year (Outlook cannot store that). */
function formatOutlookDate(date: PartialDate): string {
  if (date.year === undefined || date.month === undefined || date.day === undefined) return '';
  return `${date.month}/${date.day}/${date.year}`;
}
