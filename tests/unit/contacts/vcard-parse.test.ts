import { emptyContact } from '../../../main/core/contacts/model';
import { describe, expect, it } from 'vitest';
import {
  decodeVcardBytes,
  decodeVcardChunks,
  parseVcard,
  parseVcards,
} from '../../../main/core/contacts/vcard-parse';
import { VcardSyntaxError } from '../../../main/core/contacts/vcard-syntax';

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';

describe('parseVcards: Apple Contacts 3.0 export', () => {
  const apple = crlf([
    'BEGIN:VCARD',
    'VERSION:3.0',
    'PRODID:-//Apple Inc.//macOS 14.0//EN',
    'N:Appleseed;John;Q.;Dr.;Jr.',
    'FN:John Appleseed',
    'X-PHONETIC-FIRST-NAME:Jon',
    'ORG:Apple Inc.;',
    'TITLE:Engineer',
    'EMAIL;type=INTERNET;type=WORK;type=pref:john@example.com',
    'item1.EMAIL;type=INTERNET:john.school@example.com',
    'item1.X-ABLabel:School',
    'TEL;type=CELL;type=VOICE;type=pref:+1 555 0100',
    'TEL;type=IPHONE;type=CELL;type=VOICE:+1 555 0101',
    'item2.TEL:+1 555 0102',
    'item2.X-ABLabel:_$!<Other>!$_',
    'item3.ADR;type=WORK;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United States',
    'item3.X-ABADR:us',
    'item4.URL;type=pref:https://www.apple.com',
    'item4.X-ABLabel:_$!<HomePage>!$_',
    'BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-05',
    'item5.X-ABDATE;type=pref:2010-06-22',
    'item5.X-ABLabel:_$!<Anniversary>!$_',
    'item6.X-ABDATE:2015-01-02',
    'item6.X-ABLabel:Graduation',
    'item7.X-ABRELATEDNAMES;type=pref:Jane Appleseed',
    'item7.X-ABLabel:_$!<Spouse>!$_',
    'item8.X-ABRELATEDNAMES:Bob',
    'item8.X-ABLabel:Godfather',
    'IMPP;X-SERVICE-TYPE=Skype;type=HOME;type=pref:skype:johnny.a',
    'IMPP;X-SERVICE-TYPE=Jabber;type=WORK:xmpp:john@jabber.example',
    'X-SOCIALPROFILE;type=twitter:https://twitter.com/johnny',
    'NOTE:First line\\nSecond line\\, with comma\\; and semicolon',
    'X-ABUID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson',
    'CATEGORIES:Work,Friends',
    'END:VCARD',
  ]);

  it('reads labels, Apple built-in labels, groups and the country code', () => {
    const { cards, errors } = parseVcards(apple);
    expect(errors).toEqual([]);
    const { contact, categories, version } = cards[0];
    expect(version).toBe('3.0');
    expect(categories).toEqual(['Work', 'Friends']);
    expect(contact.displayName).toBe('John Appleseed');
    expect(contact.name).toEqual({
      family: 'Appleseed',
      given: 'John',
      middle: 'Q.',
      prefix: 'Dr.',
      suffix: 'Jr.',
      phoneticGiven: 'Jon',
    });
    expect(contact.organizations).toEqual([{ name: 'Apple Inc.', title: 'Engineer' }]);
    expect(contact.emails).toEqual([
      { value: 'john@example.com', type: 'work', primary: true },
      { value: 'john.school@example.com', label: 'School' },
    ]);
    expect(contact.phones).toEqual([
      { value: '+1 555 0100', type: 'mobile', primary: true },
      { value: '+1 555 0101', type: 'mobile' },
      { value: '+1 555 0102', type: 'other' },
    ]);
    expect(contact.addresses).toEqual([
      {
        type: 'work',
        primary: true,
        street: '1 Infinite Loop',
        city: 'Cupertino',
        region: 'CA',
        postalCode: '95014',
        country: 'United States',
        countryCode: 'us',
      },
    ]);
    expect(contact.urls).toEqual([
      { value: 'https://www.apple.com', type: 'home-page', primary: true },
      { value: 'https://twitter.com/johnny', type: 'profile', label: 'twitter' },
    ]);
  });

  it('reads a birthday without a year, events, relations, IM and the note', () => {
    const { contact } = parseVcard(apple);
    expect(contact.birthday).toEqual({ month: 3, day: 5 });
    expect(contact.events).toEqual([
      { type: 'anniversary', date: { year: 2010, month: 6, day: 22 } },
      { type: 'Graduation', date: { year: 2015, month: 1, day: 2 } },
    ]);
    expect(contact.relations).toEqual([
      { name: 'Jane Appleseed', type: 'spouse' },
      { name: 'Bob', type: 'Godfather' },
    ]);
    expect(contact.imAddresses).toEqual([
      { value: 'johnny.a', type: 'skype', primary: true },
      { value: 'john@jabber.example', type: 'jabber' },
    ]);
    expect(contact.notes).toBe('First line\nSecond line, with comma; and semicolon');
    expect(contact.customFields).toEqual([]);
  });
});

describe('parseVcards: Google Contacts 3.0 export', () => {
  it('reads escaped colons in URLs, --MM-DD birthdays, empty labels and group labels', () => {
    const google = crlf([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:María José García',
      'N:García;María José;;;',
      'NICKNAME:Majo',
      'EMAIL;TYPE=INTERNET;TYPE=HOME:majo@example.es',
      'EMAIL;TYPE=INTERNET:majo.other@example.es',
      'TEL;TYPE=CELL:+34 600 000 000',
      'TEL;TYPE=WORK;TYPE=FAX:+34 910 000 000',
      'ADR;TYPE=HOME:;;Calle Mayor 1;Madrid;;28013;ES',
      'item1.ORG:Ayuntamiento',
      'item1.X-ABLabel:',
      'item1.TITLE:Arquitecta',
      'BDAY:--12-09',
      'item2.URL:https\\://example.es/majo',
      'item2.X-ABLabel:PROFILE',
      'item3.X-ABDATE:2001-05-06',
      'item3.X-ABLabel:_$!<Anniversary>!$_',
      'CATEGORIES:myContacts,Familia',
      'END:VCARD',
    ]);
    const card = parseVcard(google);
    expect(card.contact.displayName).toBe('María José García');
    expect(card.contact.nicknames).toEqual(['Majo']);
    expect(card.contact.emails).toEqual([
      { value: 'majo@example.es', type: 'home' },
      { value: 'majo.other@example.es' },
    ]);
    expect(card.contact.phones).toEqual([
      { value: '+34 600 000 000', type: 'mobile' },
      { value: '+34 910 000 000', type: 'work-fax' },
    ]);
    expect(card.contact.organizations).toEqual([{ name: 'Ayuntamiento', title: 'Arquitecta' }]);
    expect(card.contact.birthday).toEqual({ month: 12, day: 9 });
    expect(card.contact.urls).toEqual([{ value: 'https://example.es/majo', label: 'PROFILE' }]);
    expect(card.contact.events).toEqual([{ type: 'anniversary', date: { year: 2001, month: 5, day: 6 } }]);
    expect(card.categories).toEqual(['myContacts', 'Familia']);
  });
});

describe('parseVcards: Outlook 2.1 export', () => {
  it('decodes QUOTED-PRINTABLE with soft line breaks in windows-1252 and UTF-8, bare TYPE parameters and LABEL', () => {
    const outlook = crlf([
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N;LANGUAGE=de;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:M=FCller;J=F6rg',
      'FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:J=F6rg M=FCller',
      'ORG:Contoso;Sales;North',
      'TITLE:Manager',
      'NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=utf-8:Erste Zeile=0D=0AZweite Zeile mit =C3=BC und einer sehr langen=',
      'Fortsetzung',
      'TEL;WORK;VOICE:(425) 555-0100',
      'TEL;HOME;VOICE:(425) 555-0101',
      'TEL;CELL;VOICE:(425) 555-0102',
      'TEL;WORK;FAX:(425) 555-0103',
      'ADR;WORK;PREF:;;1 Microsoft Way;Redmond;WA;98052;United States of America',
      'LABEL;WORK;PREF;ENCODING=QUOTED-PRINTABLE:1 Microsoft Way=0D=0A=',
      'Redmond, WA 98052',
      'URL;WORK:http://www.contoso.com',
      'EMAIL;PREF;INTERNET:joerg@contoso.com',
      'X-MS-OL-DESIGN;CHARSET=utf-8:<card xmlns="http://schemas.microsoft.com/office/outlook/12/electronicbusinesscards" ver="1.0"/>',
      'REV:20240101T120000Z',
      'END:VCARD',
    ]);
    const card = parseVcard(outlook);
    expect(card.version).toBe('2.1');
    expect(card.contact.displayName).toBe('Jörg Müller');
    expect(card.contact.name).toEqual({ family: 'Müller', given: 'Jörg' });
    expect(card.contact.organizations).toEqual([
      { name: 'Contoso', department: 'Sales, North', title: 'Manager' },
    ]);
    expect(card.contact.notes).toBe('Erste Zeile\nZweite Zeile mit ü und einer sehr langenFortsetzung');
    expect(card.contact.phones.map((phone) => phone.type)).toEqual(['work', 'home', 'mobile', 'work-fax']);
    expect(card.contact.addresses).toEqual([
      {
        type: 'work',
        primary: true,
        street: '1 Microsoft Way',
        city: 'Redmond',
        region: 'WA',
        postalCode: '98052',
        country: 'United States of America',
        formatted: '1 Microsoft Way\nRedmond, WA 98052',
      },
    ]);
    expect(card.contact.urls).toEqual([{ value: 'http://www.contoso.com', type: 'work' }]);
    expect(card.contact.emails).toEqual([{ value: 'joerg@contoso.com', primary: true }]);
    expect(card.contact.customFields).toEqual([]);
  });

  it('reads a multi-line BASE64 photo ended by a blank line', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const base64 = png.toString('base64');
    const text = crlf([
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N:Doe;Jane',
      'PHOTO;TYPE=PNG;ENCODING=BASE64:',
      `    ${base64.slice(0, 10)}`,
      `    ${base64.slice(10)}`,
      '',
      'END:VCARD',
    ]);
    const card = parseVcard(text);
    expect(card.photo?.mediaType).toBe('image/png');
    expect(Buffer.from(card.photo!.bytes).equals(png)).toBe(true);
  });

  it('decodes a file in windows-1252 that is not valid UTF-8', () => {
    const bytes = new Uint8Array([
      ...Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jos'),
      0xe9,
      ...Buffer.from('\r\nEND:VCARD\r\n'),
    ]);
    expect(parseVcard(decodeVcardBytes(bytes)).contact.displayName).toBe('José');
  });

  it('drops a UTF-8 byte order mark and reads UTF-16 with one', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ωmega\r\nEND:VCARD\r\n';
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text, 'utf8')]);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    expect(parseVcard(decodeVcardBytes(utf8)).contact.displayName).toBe('Ωmega');
    expect(parseVcard(decodeVcardBytes(utf16)).contact.displayName).toBe('Ωmega');
  });
});

describe('parseVcards: vCard 4.0', () => {
  const v4 = crlf([
    'BEGIN:VCARD',
    'VERSION:4.0',
    'UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1',
    'FN;LANGUAGE=ar:محمد العلي',
    'N:العلي;محمد;;;',
    'GENDER:M',
    'BDAY:--0412',
    'ANNIVERSARY:19960415',
    'TEL;VALUE=uri;TYPE="voice,cell";PREF=1:tel:+1-555-555-5555',
    'TEL;TYPE=work,textphone:+1 555 0199',
    'EMAIL;TYPE=work:m@example.com',
    'ADR;TYPE=home;LABEL="Street 1\\nCity";PREF=1:;;Street 1;City;;;',
    'RELATED;TYPE=friend;VALUE=text:Layla',
    'RELATED;TYPE=co-worker:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af',
    'IMPP;PREF=1:xmpp:alice@example.com',
    'IMPP;TYPE=work:sip:alice@sip.example.com',
    'X-CUSTOM-FIELD;X-IGNORED=1:42',
    'X-Shoe-Size:44',
    'PHOTO:data:image/png;base64,iVBORw0KGgo=',
    'KIND:individual',
    'END:VCARD',
  ]);

  it('reads UID, RTL names, GENDER, dates, TYPE lists, LABEL parameters, RELATED, IMPP sip: and custom X- fields', () => {
    const card = parseVcard(v4);
    expect(card.uid).toBe('urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1');
    expect(card.contact.displayName).toBe('محمد العلي');
    expect(card.contact.name).toEqual({ family: 'العلي', given: 'محمد' });
    expect(card.contact.gender).toBe('male');
    expect(card.contact.birthday).toEqual({ month: 4, day: 12 });
    expect(card.contact.events).toEqual([{ type: 'anniversary', date: { year: 1996, month: 4, day: 15 } }]);
    expect(card.contact.phones).toEqual([
      { value: '+1-555-555-5555', type: 'mobile', primary: true },
      { value: '+1 555 0199', type: 'tty' },
    ]);
    expect(card.contact.addresses).toEqual([
      { type: 'home', primary: true, street: 'Street 1', city: 'City', formatted: 'Street 1\nCity' },
    ]);
    expect(card.contact.relations).toEqual([
      { name: 'Layla', type: 'friend' },
      { name: 'urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af', type: 'co-worker' },
    ]);
    expect(card.contact.imAddresses).toEqual([{ value: 'alice@example.com', type: 'xmpp', primary: true }]);
    expect(card.contact.sipAddresses).toEqual([{ value: 'alice@sip.example.com', type: 'work' }]);
    expect(card.contact.customFields).toEqual([
      { key: 'X-CUSTOM-FIELD', value: '42' },
      { key: 'X-Shoe-Size', value: '44' },
    ]);
    expect(card.photo?.mediaType).toBe('image/png');
    expect(Buffer.from(card.photo!.bytes).subarray(0, 4).toString('hex')).toBe('89504e47');
  });

  it('reads every RFC 6350 date form and keeps anything else as text', () => {
    const bday = (value: string, params = '') =>
      parseVcard(crlf(['BEGIN:VCARD', 'VERSION:4.0', 'FN:X', `BDAY${params}:${value}`, 'END:VCARD'])).contact
        .birthday;
    expect(bday('19850412')).toEqual({ year: 1985, month: 4, day: 12 });
    expect(bday('1985-04-12')).toEqual({ year: 1985, month: 4, day: 12 });
    expect(bday('1985-04')).toEqual({ year: 1985, month: 4 });
    expect(bday('1985')).toEqual({ year: 1985 });
    expect(bday('--04')).toEqual({ month: 4 });
    expect(bday('---12')).toEqual({ day: 12 });
    expect(bday('19531015T231000Z')).toEqual({ year: 1953, month: 10, day: 15 });
    expect(bday('circa 1800', ';VALUE=text')).toEqual({ text: 'circa 1800' });
    expect(bday('1985-13-40')).toEqual({ text: '1985-13-40' });
    expect(bday('1604-02-29')).toEqual({ month: 2, day: 29 });
  });
});

describe('parseVcards: structure and errors', () => {
  it('unfolds lines folded with a space or a tab, also inside multi-byte text', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Αλέξ\r\n ανδρος Παπα\r\n\tδόπουλος\r\nEND:VCARD\r\n';
    expect(parseVcard(text).contact.displayName).toBe('Αλέξανδρος Παπαδόπουλος');
  });

  it('accepts LF-only line ends and lower-case BEGIN/END', () => {
    const text = 'begin:vcard\nversion:3.0\nfn:Lower Case\nend:vcard\n';
    expect(parseVcard(text).contact.displayName).toBe('Lower Case');
  });

  it('reports a bad card with its line and still returns the others', () => {
    const text = crlf([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:First',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Broken',
      'THIS LINE HAS NO COLON',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Third',
      'END:VCARD',
    ]);
    const { cards, errors } = parseVcards(text);
    expect(cards.map((card) => card.contact.displayName)).toEqual(['First', 'Third']);
    expect(errors).toEqual([
      { line: 8, message: "Line 8 has no ':' between the property name and its value." },
    ]);
  });

  it('reports a card without END:VCARD, an unclosed quote, a bad name and stray text', () => {
    const text = crlf([
      'garbage before',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:No end',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'TEL;TYPE="home:1',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'BAD NAME:x',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Good',
      'END:VCARD',
      'BEGIN:VCARD',
      'FN:Unfinished',
    ]);
    const { cards, errors } = parseVcards(text);
    expect(cards.map((card) => card.contact.displayName)).toEqual(['Good']);
    expect(errors.map((error) => error.message)).toEqual([
      'Line 1 is outside any BEGIN:VCARD ... END:VCARD block.',
      'The card starting at line 2 has no END:VCARD before the next BEGIN:VCARD at line 5.',
      'Line 7 has a parameter quote that is never closed.',
      'Line 11 has an invalid property name "BAD NAME".',
      'The card starting at line 17 ends without END:VCARD.',
    ]);
  });

  it('parseVcard throws a VcardSyntaxError naming the line', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN\r\nEND:VCARD\r\n';
    expect(() => parseVcard(text)).toThrow(VcardSyntaxError);
    expect(() => parseVcard(text)).toThrow("Line 3 has no ':' between the property name and its value.");
    expect(() => parseVcard('')).toThrow('Expected one vCard but found 0.');
  });

  it('keeps undefined for absent fields and [] for empty lists', () => {
    const { contact } = parseVcard(
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Only\r\nN:;;;;\r\nORG:;\r\nEND:VCARD\r\n',
    );
    expect(contact).toEqual(emptyContact('Only'));
  });

  it('maps legacy per-service IM, spouse and anniversary properties', () => {
    const { contact } = parseVcard(
      crlf([
        'BEGIN:VCARD',
        'VERSION:3.0',
        'FN:Legacy',
        'X-AIM:legacy.aim',
        'X-SKYPE-USERNAME:legacy.skype',
        'X-SIP:legacy@sip.example',
        'X-SPOUSE:Pat',
        'X-EVOLUTION-ANNIVERSARY:1999-09-09',
        'X-GENDER:Female',
        'END:VCARD',
      ]),
    );
    expect(contact.imAddresses).toEqual([
      { value: 'legacy.aim', type: 'aim' },
      { value: 'legacy.skype', type: 'skype' },
    ]);
    expect(contact.sipAddresses).toEqual([{ value: 'legacy@sip.example' }]);
    expect(contact.relations).toEqual([{ name: 'Pat', type: 'spouse' }]);
    expect(contact.events).toEqual([{ type: 'anniversary', date: { year: 1999, month: 9, day: 9 } }]);
    expect(contact.gender).toBe('female');
  });
});

describe('decodeVcardChunks', () => {
  it('decodes a large file in pieces exactly as in one piece, characters across pieces included', async () => {
    // 'é' and '€' are 2 and 3 bytes: some fall across the 2 MB piece boundaries.
    const text = 'BEGIN:VCARD\nFN:José €uro\nEND:VCARD\n'.repeat(120_000);
    let pauses = 0;
    const pause = () => {
      pauses += 1;
      return Promise.resolve();
    };
    const cases = [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      // Not UTF-8 (a lone 0xE9): read as windows-1252, like the one-piece decoder.
      Buffer.from(text.replaceAll('€', 'E'), 'latin1'),
    ];
    for (const bytes of cases) {
      const chunks: string[] = [];
      for await (const chunk of decodeVcardChunks(bytes, pause)) chunks.push(chunk);
      // Never the whole text at once.
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(decodeVcardBytes(bytes));
    }
    expect(pauses).toBeGreaterThan(3);
  });
});
