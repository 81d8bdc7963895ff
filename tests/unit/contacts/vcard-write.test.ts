import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import { parseVcard, parseVcards } from '../../../main/core/contacts/vcard-parse';
import {
  vcardUnsupportedFields,
  writeVcard,
  type VcardVersion,
} from '../../../main/core/contacts/vcard-write';
import { generateContacts, makeIdenticonPng } from '../../support/generate-contacts';

const versions: VcardVersion[] = ['3.0', '4.0'];

const longNote = Array.from(
  { length: 60 },
  (_, n) => `Zeile ${n + 1}: ünïcødé, commas; semicolons \\ backslashes`,
).join('\n');

/** A contact using every field a vCard can hold, with non-Latin and right-to-left text. */
const rich: Contact = {
  ...emptyContact('山田 太郎'),
  name: {
    given: '太郎',
    family: '山田',
    middle: 'Ichirō, Jr',
    prefix: 'Dr.',
    suffix: 'PhD; MD',
    phoneticGiven: 'たろう',
    phoneticFamily: 'やまだ',
    phoneticMiddle: 'いちろう',
  },
  nicknames: ['Taro', 'Tarō, the Great'],
  fileAs: 'Yamada, Taro',
  emails: [
    { value: 'taro@example.jp', type: 'work', primary: true },
    { value: 'taro.home@example.jp', type: 'home' },
    { value: 'taro.school@example.jp', label: 'School' },
    { value: 'taro.other@example.jp', type: 'other', label: 'Old; address' },
  ],
  phones: [
    { value: '+81 3 1234 5678', type: 'work', primary: true },
    { value: '+81 90 1234 5678', type: 'mobile' },
    { value: '+81 3 1234 0000', type: 'work-fax' },
    { value: '+81 3 1234 0001', type: 'home-fax' },
    { value: '+81 3 1234 0002', type: 'other-fax' },
    { value: '+81 3 1234 0003', type: 'pager' },
    { value: '+81 3 1234 0004', type: 'work-mobile' },
    { value: '+81 3 1234 0005', type: 'work-pager' },
    { value: '+81 3 1234 0006', type: 'tty' },
    { value: '+81 3 1234 0007', type: 'assistant' },
    { value: '+81 3 1234 0008', type: 'company-main' },
    { value: '+81 3 1234 0009', type: 'google-voice' },
    { value: '+81 3 1234 0010,,123', type: 'main' },
    { value: '+81 3 1234 0011', label: 'Boat' },
    { value: '+81 3 1234 0012', type: 'car' },
    { value: '+81 3 1234 0013', type: 'isdn' },
  ],
  addresses: [
    {
      type: 'home',
      street: '1-2-3 Chiyoda\nBuilding 5',
      extended: 'Apt 7',
      poBox: 'PO Box 9',
      city: '千代田区',
      region: '東京都',
      postalCode: '100-0001',
      country: '日本',
      countryCode: 'jp',
      formatted: '1-2-3 Chiyoda\nTokyo; Japan',
      primary: true,
    },
    { type: 'work', street: 'שדרות רוטשילד 1', city: 'תל אביב', label: 'Head office' },
    { city: 'القاهرة', country: 'مصر' },
  ],
  urls: [
    { value: 'https://example.jp/~taro?a=1,2;b=3', type: 'home-page' },
    { value: 'https://blog.example.jp', type: 'blog', primary: true },
    { value: 'https://example.jp/work', type: 'work' },
    { value: 'https://example.jp/portfolio', label: 'Portfolio' },
  ],
  organizations: [
    { name: 'Yamada Shoji 山田商事', department: 'Sales, Tokyo', title: 'Manager', profession: 'Trader' },
    { name: 'Μεσόγειος Α.Ε.', title: 'Board member' },
    { title: 'Volunteer' },
  ],
  birthday: { month: 3, day: 5 },
  events: [
    { type: 'anniversary', date: { year: 2001, month: 6, day: 22 } },
    { type: 'other', label: 'First met', date: { year: 1999, month: 1, day: 2 } },
    { type: 'graduation', date: { month: 3, day: 31 } },
    { type: 'anniversary', label: 'Company', date: { year: 2010, month: 4, day: 1 } },
    { type: 'other', date: { text: 'every spring' } },
  ],
  notes: `שלום! مرحبا\n${longNote}`,
  relations: [
    { name: 'Hanako Yamada', type: 'spouse' },
    { name: 'Ken', type: 'child' },
    { name: 'Boss, The', type: 'manager' },
    { name: 'Aunt May', type: 'Godmother' },
    { name: 'Friendly', type: 'friend' },
  ],
  imAddresses: [
    { value: 'taro.skype', type: 'skype', primary: true },
    { value: 'taro@jabber.example', type: 'xmpp' },
    { value: 'taro.y', type: 'yahoo' },
    { value: 'taro.gtalk', type: 'google-talk' },
    { value: 'taro.line', type: 'line', label: 'LINE app' },
    { value: 'nobody', label: 'Unknown service' },
  ],
  sipAddresses: [{ value: 'taro@sip.example.jp', type: 'work' }, { value: 'taro.home@sip.example.jp' }],
  customFields: [
    { key: 'X-EMPLOYEE-ID', value: 'E-1234' },
    { key: 'Favourite colour', value: 'blue, green; red' },
    { key: 'X-AIM', value: 'not an IM handle' },
  ],
  gender: 'nonbinary',
};

const photo = { mediaType: 'image/png', bytes: makeIdenticonPng(4242) };

describe('writeVcard → parseVcard round trip', () => {
  for (const version of versions) {
    it(`keeps every field of a rich contact in vCard ${version}`, () => {
      const text = writeVcard(rich, { version, uid: 'uid-1', photo, categories: ['Family', 'Work, Tokyo'] });
      const card = parseVcard(text);
      expect(card.version).toBe(version);
      expect(card.uid).toBe('uid-1');
      expect(card.categories).toEqual(['Family', 'Work, Tokyo']);
      expect(card.contact).toEqual(rich);
      expect(card.photo?.mediaType).toBe('image/png');
      expect(Buffer.from(card.photo!.bytes).equals(Buffer.from(photo.bytes))).toBe(true);
    });

    it(`keeps birthdays with and without a year and free-text birthdays in vCard ${version}`, () => {
      const birthdays = [
        { year: 1980, month: 12, day: 31 },
        { month: 2, day: 29 },
        { text: 'around Easter' },
      ];
      for (const birthday of birthdays) {
        const contact = { ...emptyContact('B'), birthday };
        expect(parseVcard(writeVcard(contact, { version })).contact.birthday).toEqual(birthday);
      }
    });

    it(`round-trips 500 generated contacts exactly in vCard ${version}`, () => {
      const generated = generateContacts(500, { seed: 99, photoShare: 0.2 });
      const text = generated
        .map((item) =>
          writeVcard(item.contact, {
            version,
            uid: item.uid,
            categories: item.folderNames,
            photo: item.photo,
          }),
        )
        .join('');
      const { cards, errors } = parseVcards(text);
      expect(errors).toEqual([]);
      expect(cards).toHaveLength(500);
      cards.forEach((card, index) => {
        expect(card.contact).toEqual(generated[index].contact);
        expect(card.categories).toEqual(generated[index].folderNames);
        expect(card.uid).toBe(generated[index].uid);
        expect(card.photo?.bytes).toEqual(generated[index].photo?.bytes);
      });
    });
  }

  it('writes partial 4.0 dates in RFC 6350 basic form', () => {
    const contact = {
      ...emptyContact('D'),
      birthday: { year: 1985, month: 4 },
      events: [
        { type: 'anniversary', date: { month: 4, day: 12 } },
        { type: 'x', date: { year: 1985 } },
      ],
    };
    const text = writeVcard(contact, { version: '4.0' });
    expect(text).toContain('\r\nBDAY:1985-04\r\n');
    expect(text).toContain('\r\nANNIVERSARY:--0412\r\n');
    expect(parseVcard(text).contact).toEqual(contact);
  });
});

describe('writeVcard output format', () => {
  it('escapes commas, semicolons, backslashes and newlines (3.0) and keeps ; plain in 4.0 text', () => {
    const contact = { ...emptyContact('A, B; C \\ D'), notes: 'one\ntwo, three; four\\' };
    const v3 = writeVcard(contact, { version: '3.0' });
    expect(v3).toContain('\r\nFN:A\\, B\\; C \\\\ D\r\n');
    expect(v3).toContain('\r\nNOTE:one\\ntwo\\, three\\; four\\\\\r\n');
    const v4 = writeVcard(contact, { version: '4.0' });
    expect(v4).toContain('\r\nFN:A\\, B; C \\\\ D\r\n');
    expect(v4).toContain('\r\nNOTE:one\\ntwo\\, three; four\\\\\r\n');
  });

  it('writes a birthday without a year as --MMDD in 4.0 and as --MM-DD in 3.0 (never a year 1604)', () => {
    const contact = { ...emptyContact('B'), birthday: { month: 3, day: 5 } };
    expect(writeVcard(contact, { version: '4.0' })).toContain('\r\nBDAY:--0305\r\n');
    const v3 = writeVcard(contact, { version: '3.0' });
    expect(v3).toContain('\r\nBDAY:--03-05\r\n');
    expect(v3).not.toMatch(/1604|X-APPLE-OMIT-YEAR/);
    // ical.js reads it as month and day with no year, in both versions.
    for (const text of [v3, writeVcard(contact, { version: '4.0' })]) {
      const bday = new ICAL.Component(ICAL.parse(text)).getFirstProperty('bday')!.getFirstValue() as {
        year: number | null;
        month: number;
        day: number;
      };
      expect({ year: bday.year, month: bday.month, day: bday.day }).toEqual({ year: null, month: 3, day: 5 });
    }
    // python vobject keeps BDAY as the ISO 8601 text: month and day, no year to misread.
    const script = 'import sys, vobject; print(vobject.readOne(sys.stdin.read()).bday.value)';
    expect(execFileSync('/usr/bin/python3', ['-c', script], { input: v3, encoding: 'utf8' }).trim()).toBe(
      '--03-05',
    );
    // Our own reader too.
    expect(parseVcard(v3).contact.birthday).toMatchObject({ month: 3, day: 5 });
    expect(parseVcard(v3).contact.birthday?.year).toBeUndefined();
  });

  for (const version of versions) {
    it(`folds at 75 octets with CRLF + space, never inside a UTF-8 sequence (${version})`, () => {
      const text = writeVcard(rich, { version, photo });
      expect(text.endsWith('END:VCARD\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      const bytes = Buffer.from(text, 'utf8');
      const physical: Buffer[] = [];
      let start = 0;
      for (let index = 0; index < bytes.length - 1; index++) {
        if (bytes[index] === 0x0d && bytes[index + 1] === 0x0a) {
          physical.push(bytes.subarray(start, index));
          start = index + 2;
        }
      }
      expect(physical.length).toBeGreaterThan(40);
      const strict = new TextDecoder('utf-8', { fatal: true });
      let folded = 0;
      for (const line of physical) {
        expect(line.length).toBeLessThanOrEqual(75);
        expect(() => strict.decode(line)).not.toThrow();
        if (line[0] === 0x20) folded++;
      }
      expect(folded).toBeGreaterThan(5);
    });
  }

  it('lists what a vCard cannot carry', () => {
    const contact: Contact = {
      ...emptyContact('U'),
      organizations: [{ name: 'O', location: 'Building 4', primary: true }],
      birthday: { year: 1990, month: 1, day: 2, text: 'Jan 2nd' },
      extra: { 'google.clientData': [{ key: 'a', value: 'b' }] },
    };
    expect(vcardUnsupportedFields(contact, '4.0')).toEqual([
      'organizations[0].location',
      'organizations[0].primary',
      'birthday.text',
      'extra.google.clientData',
    ]);
    expect(vcardUnsupportedFields({ ...emptyContact('Y'), birthday: { year: 1990 } }, '3.0')).toEqual([
      'birthday',
    ]);
    expect(vcardUnsupportedFields(rich, '4.0')).toEqual([]);
  });
});

describe('independent parsers read what we write', () => {
  const cards = generateContacts(60, { seed: 5, photoShare: 0.1 });
  const tricky: Contact = {
    ...emptyContact('Ада, Love; "x" \\ lace'),
    name: { given: 'Ада', family: 'Lovelace; Byron', middle: 'A,B' },
    emails: [{ value: 'ada@example.org', type: 'work' }],
    phones: [{ value: '+1 555,,12', type: 'mobile' }],
    notes: 'Line 1\nLine, 2; end \\ מקום',
    birthday: { month: 3, day: 5 },
  };
  const all = [{ contact: tricky, folderNames: ['A, B'], uid: 'tricky' }, ...cards];
  const directory = mkdtempSync(join(tmpdir(), 'vcard-write-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  for (const version of versions) {
    it(`ical.js parses our vCard ${version} and decodes the same values`, () => {
      for (const item of all) {
        const text = writeVcard(item.contact, { version, uid: item.uid, categories: item.folderNames });
        const component = new ICAL.Component(ICAL.parse(text) as unknown[]);
        // ical.js keeps the backslash of a 3.0 `\;` (valid in RFC 2426 text): undo it before comparing.
        const fn = String(component.getFirstPropertyValue('fn'));
        expect(version === '3.0' ? fn.replaceAll('\\;', ';') : fn).toBe(item.contact.displayName);
        expect(component.getAllProperties('email').map((property) => property.getFirstValue())).toEqual(
          item.contact.emails.map((email) => email.value),
        );
        expect(component.getAllProperties('tel').map((property) => property.getFirstValue())).toEqual(
          item.contact.phones.map((phone) => phone.value),
        );
        if (version === '4.0') {
          // ical.js follows RFC 6350 text rules, which 4.0 output must meet exactly (3.0 `\;` it keeps).
          expect(component.getFirstPropertyValue('note') ?? undefined).toBe(item.contact.notes);
        }
        const categories = component.getFirstProperty('categories')?.getValues() ?? [];
        expect(categories).toEqual(item.folderNames);
      }
    });

    it(`python vobject reads names, emails, phones, notes and birthdays of our vCard ${version}`, () => {
      const path = join(directory, `all-${version}.vcf`);
      writeFileSync(
        path,
        all
          .map((item) => writeVcard(item.contact, { version, uid: item.uid, categories: item.folderNames }))
          .join(''),
      );
      const script = [
        'import sys, json, vobject',
        'out = []',
        "for card in vobject.readComponents(open(sys.argv[1], encoding='utf-8').read()):",
        "    n = card.n.value if hasattr(card, 'n') else None",
        '    out.append({',
        "        'fn': card.fn.value,",
        "        'family': n.family if n else None, 'given': n.given if n else None,",
        "        'emails': [e.value for e in card.contents.get('email', [])],",
        "        'tels': [t.value for t in card.contents.get('tel', [])],",
        "        'note': card.note.value if hasattr(card, 'note') else None,",
        "        'bday': card.bday.value if hasattr(card, 'bday') else None,",
        '    })',
        'print(json.dumps(out))',
      ].join('\n');
      const output = execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' });
      const read = JSON.parse(output) as {
        fn: string;
        family: string | null;
        given: string | null;
        emails: string[];
        tels: string[];
        note: string | null;
        bday: string | null;
      }[];
      expect(read).toHaveLength(all.length);
      read.forEach((card, index) => {
        const { contact } = all[index];
        expect(card.fn).toBe(contact.displayName);
        expect(card.family ?? '').toBe(
          version === '4.0' && !contact.name.family ? '' : (contact.name.family ?? ''),
        );
        expect(card.given ?? '').toBe(contact.name.given ?? '');
        expect(card.emails).toEqual(contact.emails.map((email) => email.value));
        expect(card.tels).toEqual(contact.phones.map((phone) => phone.value));
        // vobject applies 3.0 rules to 4.0 too, where `;` is left plain: compare notes for 3.0 only.
        if (version === '3.0') expect(card.note ?? undefined).toBe(contact.notes);
        expect(card.bday ?? undefined).toBe(expectedBirthday(contact, version));
      });
    });
  }
});

function expectedBirthday(contact: Contact, version: VcardVersion): string | undefined {
  const birthday = contact.birthday;
  if (birthday?.text && version === '4.0') return birthday.text;
  if (!birthday || birthday.month === undefined || birthday.day === undefined) return undefined;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  if (version === '4.0') {
    return birthday.year !== undefined
      ? `${pad(birthday.year, 4)}${pad(birthday.month)}${pad(birthday.day)}`
      : `--${pad(birthday.month)}${pad(birthday.day)}`;
  }
  return birthday.year !== undefined
    ? `${pad(birthday.year, 4)}-${pad(birthday.month)}-${pad(birthday.day)}`
    : `--${pad(birthday.month)}-${pad(birthday.day)}`;
}
