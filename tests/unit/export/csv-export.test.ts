import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import {
  OUTLOOK_CSV_HEADERS,
  contactsToCsv,
  csvHeaders,
  csvRecord,
  type CsvExportRow,
} from '../../../main/core/export/csv-export';
import { generateContacts } from '../../support/generate-contacts';

const directory = mkdtempSync(join(tmpdir(), 'csv-export-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Parses CSV with Python's csv module: an independent RFC 4180 reader. Returns rows of fields. */
function parseCsv(text: string): string[][] {
  const path = join(directory, `parse-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text, 'utf8');
  const script = [
    'import csv, json, sys',
    "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:",
    '    print(json.dumps(list(csv.reader(f, strict=True))))',
  ].join('\n');
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' }),
  ) as string[][];
}

/** As documented by Microsoft ("Create or edit .csv files to import into Outlook") and Outlook's export. */
const outlookHeaderLine =
  '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department","Job Title","Business Street",' +
  '"Business Street 2","Business Street 3","Business City","Business State","Business Postal Code",' +
  '"Business Country/Region","Home Street","Home Street 2","Home Street 3","Home City","Home State",' +
  '"Home Postal Code","Home Country/Region","Other Street","Other Street 2","Other Street 3","Other City",' +
  '"Other State","Other Postal Code","Other Country/Region","Assistant\'s Phone","Business Fax","Business Phone",' +
  '"Business Phone 2","Callback","Car Phone","Company Main Phone","Home Fax","Home Phone","Home Phone 2","ISDN",' +
  '"Mobile Phone","Other Fax","Other Phone","Pager","Primary Phone","Radio Phone","TTY/TDD Phone","Telex",' +
  '"Account","Anniversary","Assistant\'s Name","Billing Information","Birthday","Business Address PO Box",' +
  '"Categories","Children","Directory Server","E-mail Address","E-mail Type","E-mail Display Name",' +
  '"E-mail 2 Address","E-mail 2 Type","E-mail 2 Display Name","E-mail 3 Address","E-mail 3 Type",' +
  '"E-mail 3 Display Name","Gender","Government ID Number","Hobby","Home Address PO Box","Initials",' +
  '"Internet Free Busy","Keywords","Language","Location","Manager\'s Name","Mileage","Notes","Office Location",' +
  '"Organizational ID Number","Other Address PO Box","Priority","Private","Profession","Referred By",' +
  '"Sensitivity","Spouse","User 1","User 2","User 3","User 4","Web Page"';

/** Google Contacts' export: fixed columns, then numbered groups. */
const googleBase =
  'First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,' +
  'Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,' +
  'Photo,Labels';

const ada: Contact = {
  ...emptyContact('Ada Lovelace'),
  name: { given: 'Ada', middle: 'Augusta', family: 'Lovelace', prefix: 'Countess', phoneticGiven: 'AY-da' },
  nicknames: ['Ada'],
  fileAs: 'Lovelace, Ada',
  emails: [
    { value: 'ada@example.org', type: 'work', primary: true },
    { value: 'ada.home@example.org', type: 'home' },
    { value: 'ada.club@example.org', label: 'Club' },
    { value: 'ada.fourth@example.org' },
  ],
  phones: [
    { value: '+44 20 7946 0001', type: 'mobile', primary: true },
    { value: '+44 20 7946 0002', type: 'work' },
    { value: '+44 20 7946 0003', type: 'work' },
    { value: '+44 20 7946 0004', type: 'work' },
    { value: '+44 20 7946 0005', type: 'work-fax' },
    { value: '+44 20 7946 0006', type: 'main' },
  ],
  addresses: [
    {
      type: 'home',
      street: '12 St James\'s Square\nFlat "B"',
      extended: 'Top floor',
      poBox: 'PO 7',
      city: 'London',
      region: 'Greater London',
      postalCode: 'SW1Y 4LB',
      country: 'United Kingdom',
      formatted: '12 St James\'s Square, Flat "B"\nLondon',
    },
    { type: 'work', street: '1 Analytical Way', city: 'Cambridge' },
  ],
  urls: [{ value: 'https://example.org/ada?x=1,2', type: 'home-page' }],
  organizations: [
    { name: 'Analytical Engines, Ltd.', department: 'R&D', title: 'Programmer', location: 'Room 1' },
  ],
  birthday: { year: 1815, month: 12, day: 10 },
  events: [{ type: 'anniversary', date: { year: 1835, month: 7, day: 8 } }],
  notes: 'First programmer.\nWrote "Note G", with commas, and ; semicolons.',
  relations: [
    { name: 'William King', type: 'spouse' },
    { name: 'Byron', type: 'child' },
    { name: 'Annabella', type: 'child' },
    { name: 'Charles Babbage', type: 'Mentor' },
  ],
  imAddresses: [{ value: 'ada.skype', type: 'skype' }],
  sipAddresses: [{ value: 'ada@sip.example.org', type: 'work' }],
  customFields: [{ key: 'Favourite engine', value: 'Analytical' }],
  gender: 'female',
};

const noYear: Contact = {
  ...emptyContact('Ωμέγα Ιβάνοβα'),
  name: { given: 'Ωμέγα', family: 'Ιβάνοβα' },
  birthday: { month: 3, day: 5 },
  emails: [{ value: 'omega@example.gr' }],
  notes: 'שלום, مرحبا',
};

const rows: CsvExportRow[] = [
  { contact: ada, folderNames: ['Family', 'Work, London'] },
  { contact: noYear, folderNames: [] },
];

describe('Outlook layout', () => {
  it('starts with a UTF-8 BOM and the exact documented header row', () => {
    const csv = contactsToCsv(rows, 'outlook');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1, csv.indexOf('\r\n'))).toBe(outlookHeaderLine);
    expect(OUTLOOK_CSV_HEADERS).toHaveLength(92);
    expect(csvHeaders(rows, 'outlook')).toEqual([...OUTLOOK_CSV_HEADERS]);
  });

  it('puts each value in its Outlook column and parses back with a real CSV reader', () => {
    const [header, first, second, ...rest] = parseCsv(contactsToCsv(rows, 'outlook'));
    expect(rest).toEqual([]);
    expect(header).toEqual([...OUTLOOK_CSV_HEADERS]);
    const row = Object.fromEntries(header.map((name, index) => [name, first[index]]));
    expect(row).toMatchObject({
      Title: 'Countess',
      'First Name': 'Ada',
      'Middle Name': 'Augusta',
      'Last Name': 'Lovelace',
      Company: 'Analytical Engines, Ltd.',
      Department: 'R&D',
      'Job Title': 'Programmer',
      'Office Location': 'Room 1',
      'Home Street': "12 St James's Square",
      'Home Street 2': 'Flat "B"',
      'Home Street 3': 'Top floor',
      'Home City': 'London',
      'Home Postal Code': 'SW1Y 4LB',
      'Home Country/Region': 'United Kingdom',
      'Home Address PO Box': 'PO 7',
      'Business Street': '1 Analytical Way',
      'Business City': 'Cambridge',
      'Mobile Phone': '+44 20 7946 0001',
      'Business Phone': '+44 20 7946 0002',
      'Business Phone 2': '+44 20 7946 0003',
      'Other Phone': '+44 20 7946 0004',
      'Business Fax': '+44 20 7946 0005',
      'Primary Phone': '+44 20 7946 0006',
      'E-mail Address': 'ada@example.org',
      'E-mail Type': 'SMTP',
      'E-mail Display Name': 'Ada Lovelace (ada@example.org)',
      'E-mail 2 Address': 'ada.home@example.org',
      'E-mail 3 Address': 'ada.club@example.org',
      Birthday: '12/10/1815',
      Anniversary: '7/8/1835',
      Spouse: 'William King',
      Children: 'Byron, Annabella',
      Categories: 'Family;Work, London',
      Gender: 'Female',
      Notes: ada.notes,
      'User 1': 'Favourite engine: Analytical',
      'Web Page': 'https://example.org/ada?x=1,2',
      Initials: 'A.A.L.',
    });
    const other = Object.fromEntries(header.map((name, index) => [name, second[index]]));
    expect(other).toMatchObject({
      'First Name': 'Ωμέγα',
      'Last Name': 'Ιβάνοβα',
      Birthday: '',
      Notes: 'שלום, مرحبا',
      'E-mail Address': 'omega@example.gr',
      Categories: '',
    });
  });

  it('quotes every field and ends records with CRLF', () => {
    const csv = contactsToCsv([{ contact: emptyContact('X'), folderNames: [] }], 'outlook');
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[1].split(',').every((field) => /^".*"$/.test(field))).toBe(true);
  });
});

describe('Google layout', () => {
  it('writes the documented header row with groups sized by the largest contact', () => {
    const simple = [{ contact: { ...emptyContact('Solo'), name: { given: 'Solo' } }, folderNames: [] }];
    const header = contactsToCsv(simple, 'google').split('\r\n')[0];
    expect(header).toBe(`${googleBase},E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value`);

    const headers = csvHeaders(rows, 'google');
    const group = (name: string, count: number, columns: string[]) =>
      Array.from({ length: count }, (_, n) => columns.map((column) => `${name} ${n + 1} - ${column}`)).flat();
    expect(headers).toEqual([
      ...googleBase.split(','),
      ...group('E-mail', 4, ['Label', 'Value']),
      ...group('Phone', 6, ['Label', 'Value']),
      ...group('Address', 2, [
        'Label',
        'Formatted',
        'Street',
        'City',
        'PO Box',
        'Region',
        'Postal Code',
        'Country',
        'Extended Address',
      ]),
      ...group('Relation', 4, ['Label', 'Value']),
      ...group('Website', 1, ['Label', 'Value']),
      ...group('Event', 1, ['Label', 'Value']),
      ...group('IM', 1, ['Label', 'Service', 'Value']),
      ...group('Custom Field', 3, ['Label', 'Value']),
    ]);
  });

  it('writes Google labels, primary marks, folders and dates, and parses back with a real CSV reader', () => {
    const csv = contactsToCsv(rows, 'google');
    expect(csv.startsWith('\uFEFF')).toBe(false);
    const [header, first, second] = parseCsv(csv);
    const row = Object.fromEntries(header.map((name, index) => [name, first[index]]));
    expect(row).toMatchObject({
      'First Name': 'Ada',
      'Middle Name': 'Augusta',
      'Last Name': 'Lovelace',
      'Phonetic First Name': 'AY-da',
      'Name Prefix': 'Countess',
      Nickname: 'Ada',
      'File As': 'Lovelace, Ada',
      'Organization Name': 'Analytical Engines, Ltd.',
      'Organization Title': 'Programmer',
      'Organization Department': 'R&D',
      Birthday: '1815-12-10',
      Notes: ada.notes,
      Labels: 'Family ::: Work, London',
      'E-mail 1 - Label': '* Work',
      'E-mail 1 - Value': 'ada@example.org',
      'E-mail 2 - Label': 'Home',
      'E-mail 3 - Label': 'Club',
      'E-mail 4 - Label': '',
      'E-mail 4 - Value': 'ada.fourth@example.org',
      'Phone 1 - Label': '* Mobile',
      'Phone 5 - Label': 'Work Fax',
      'Phone 6 - Label': 'Main',
      'Address 1 - Label': 'Home',
      'Address 1 - Formatted': ada.addresses[0].formatted,
      'Address 1 - Street': ada.addresses[0].street,
      'Address 1 - PO Box': 'PO 7',
      'Address 1 - Extended Address': 'Top floor',
      'Address 2 - Label': 'Work',
      'Relation 1 - Label': 'Spouse',
      'Relation 1 - Value': 'William King',
      'Relation 4 - Label': 'Mentor',
      'Website 1 - Label': 'Home Page',
      'Website 1 - Value': 'https://example.org/ada?x=1,2',
      'Event 1 - Label': 'Anniversary',
      'Event 1 - Value': '1835-07-08',
      'IM 1 - Service': 'Skype',
      'IM 1 - Value': 'ada.skype',
      'Custom Field 1 - Label': 'Favourite engine',
      'Custom Field 1 - Value': 'Analytical',
      'Custom Field 2 - Label': 'SIP (work)',
      'Custom Field 2 - Value': 'ada@sip.example.org',
      'Custom Field 3 - Label': 'Gender',
      'Custom Field 3 - Value': 'female',
    });
    const other = Object.fromEntries(header.map((name, index) => [name, second[index]]));
    expect(other).toMatchObject({
      'First Name': 'Ωμέγα',
      Birthday: '--03-05',
      Notes: 'שלום, مرحبا',
      Labels: '',
    });
    expect(second).toHaveLength(header.length);
  });

  it('keeps every row the width of the header for a thousand generated contacts', () => {
    const generated = generateContacts(1000, { seed: 21, folders: 6 }).map((item) => ({
      contact: item.contact,
      folderNames: item.folderNames,
    }));
    for (const layout of ['google', 'outlook'] as const) {
      const [header, ...records] = parseCsv(contactsToCsv(generated, layout));
      expect(records).toHaveLength(1000);
      expect(records.every((record) => record.length === header.length)).toBe(true);
      const notesColumn = header.indexOf('Notes');
      records.forEach((record, index) =>
        expect(record[notesColumn]).toBe(generated[index].contact.notes ?? ''),
      );
    }
  });
});

describe('csvRecord', () => {
  it('quotes only fields that need it (RFC 4180) unless asked to quote all', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines', ''], false)).toBe(
      'a,"b,c","say ""hi""","two\nlines",\r\n',
    );
    expect(csvRecord(['a', ''], true)).toBe('"a",""\r\n');
  });
});
