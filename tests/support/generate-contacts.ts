/**
 * Deterministic, varied contacts for benchmarks, the sample address book and tests: the same seed
 * always gives the same contacts, so benchmark runs compare and the committed sample can be rebuilt
 * byte for byte. Covers what real address books hold: several emails/phones/addresses, birthdays
 * with and without a year, anniversaries, multi-line and long notes, organizations, IM/SIP,
 * relations, custom fields, small photos and names in Latin, Greek, Cyrillic, Chinese, Japanese,
 * Hindi, Arabic and Hebrew scripts.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type {
  Contact,
  ContactEvent,
  CustomField,
  Organization,
  PartialDate,
  PostalAddress,
  Relation,
  TypedValue,
} from '../../main/core/contacts/model';
import { emptyContact } from '../../main/core/contacts/model';
import { writeVcard, type VcardVersion } from '../../main/core/contacts/vcard-write';
import type { PhotoBytes } from '../../main/core/providers/provider';

export interface GenerateOptions {
  readonly seed?: number;
  /** Share of contacts with a photo, 0..1 (default 0.1). */
  readonly photoShare?: number;
  /** How many folders to spread contacts over (default 5, at most 12). */
  readonly folders?: number;
}

export interface GeneratedContact {
  /** `folderIds` is empty: folder ids belong to the source; `folderNames` says where it belongs. */
  readonly contact: Contact;
  readonly photo?: PhotoBytes;
  readonly folderNames: string[];
  /** A stable UID derived from the seed and position. */
  readonly uid: string;
}

/** The folder names used, in order; `folders: n` takes the first n. */
export const GENERATED_FOLDER_NAMES = [
  'Family',
  'Friends',
  'Work',
  'Clients',
  'Suppliers',
  'Neighbours',
  'Sports club',
  'Book club',
  'School',
  'Doctors',
  'Travel',
  'Volunteers',
] as const;

/** mulberry32: small, fast and good enough for test data. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (share: number) => next() < share,
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
  };
}

type Random = ReturnType<typeof createRandom>;

interface Person {
  given: string;
  family: string;
  display: string;
  handle: string;
  phoneticGiven?: string;
  phoneticFamily?: string;
}

const latinGiven = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Tim',
  'Barbara',
  'Dennis',
  'Frances',
  'Ken',
  'Hedy',
  'Claude',
  'Katherine',
  'John',
  'Radia',
  'Donald',
  'Sophie',
  'Lukas',
  'Élodie',
  'François',
  'Zoë',
  'Søren',
  'Björn',
  'Małgorzata',
  'Jiří',
  'Ünal',
  'Nuño',
  'Aoife',
  'Siobhán',
  'José',
  'María',
  'Chloé',
  'Łukasz',
  'Oğuz',
];
const latinFamily = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Berners-Lee',
  'Liskov',
  'Ritchie',
  'Allen',
  'Thompson',
  'Lamarr',
  'Shannon',
  'Johnson',
  'McCarthy',
  'Perlman',
  'Knuth',
  "O'Brien",
  'Müller',
  'Dubois',
  'Kierkegaard',
  'Nowak',
  'Dvořák',
  'Yılmaz',
  'García Márquez',
  'van der Berg',
  'de la Cruz',
  'Ó Súilleabháin',
];
const greek: [string, string, string][] = [
  ['Αλέξανδρος', 'Παπαδόπουλος', 'alexandros'],
  ['Ελένη', 'Γεωργίου', 'eleni'],
  ['Νίκος', 'Κωνσταντίνου', 'nikos'],
  ['Σοφία', 'Δημητρίου', 'sofia'],
];
const cyrillic: [string, string, string][] = [
  ['Иван', 'Петров', 'ivan'],
  ['Наталья', 'Смирнова', 'natalya'],
  ['Дмитрий', 'Иванов', 'dmitry'],
  ['Олена', 'Шевченко', 'olena'],
];
const chinese: [string, string, string, string, string][] = [
  ['伟', '王', 'wei', 'Wei', 'Wang'],
  ['芳', '李', 'fang', 'Fang', 'Li'],
  ['静', '张', 'jing', 'Jing', 'Zhang'],
  ['磊', '刘', 'lei', 'Lei', 'Liu'],
];
const japanese: [string, string, string, string, string][] = [
  ['太郎', '山田', 'taro', 'たろう', 'やまだ'],
  ['花子', '佐藤', 'hanako', 'はなこ', 'さとう'],
  ['健', '鈴木', 'ken', 'けん', 'すずき'],
  ['美咲', '高橋', 'misaki', 'みさき', 'たかはし'],
];
const hindi: [string, string, string][] = [
  ['अमित', 'शर्मा', 'amit'],
  ['प्रिया', 'पटेल', 'priya'],
  ['राहुल', 'वर्मा', 'rahul'],
  ['सुनीता', 'गुप्ता', 'sunita'],
];
const arabic: [string, string, string][] = [
  ['محمد', 'العلي', 'mohammed'],
  ['فاطمة', 'الزهراء', 'fatima'],
  ['أحمد', 'حسن', 'ahmed'],
  ['ليلى', 'منصور', 'layla'],
];
const hebrew: [string, string, string][] = [
  ['דוד', 'כהן', 'david'],
  ['שרה', 'לוי', 'sarah'],
  ['יוסף', 'מזרחי', 'yosef'],
  ['רחל', 'פרץ', 'rachel'],
];

const companies = [
  'Acme Corporation',
  'Globex',
  'Initech',
  'Umbrella Ltd',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises',
  'Smith, Jones & Partners',
  'Müller GmbH',
  'Société Générale des Eaux',
  'Yamada Shoji 山田商事',
  'Northwind Traders',
  'Contoso; Ltd',
  'Fabrikam',
  'Tailspin Toys',
  'Μεσόγειος Α.Ε.',
  'ООО Ромашка',
];
const departments = [
  'Sales',
  'Engineering',
  'Finance',
  'Legal',
  'R&D',
  'Customer Care',
  'Marketing, EMEA',
  'IT',
];
const titles = [
  'Manager',
  'Engineer',
  'Director',
  'Accountant',
  'Consultant',
  'CEO',
  'Head of Support',
  'Intern',
];
const professions = ['Chartered accountant', 'Architect', 'Nurse', 'Teacher', 'Project lead'];
const streets = [
  'Main Street',
  'Rue de Rivoli',
  'Hauptstraße',
  'Calle Mayor',
  'Baker Street',
  'Nevsky Prospekt',
];
const places: [string, string, string, string][] = [
  ['Springfield', 'IL', 'United States', 'us'],
  ['Paris', 'Île-de-France', 'France', 'fr'],
  ['Berlin', 'Berlin', 'Germany', 'de'],
  ['Madrid', 'Madrid', 'Spain', 'es'],
  ['London', 'Greater London', 'United Kingdom', 'gb'],
  ['Saint Petersburg', '', 'Russia', 'ru'],
  ['東京', '東京都', '日本', 'jp'],
  ['Athens', 'Attica', 'Greece', 'gr'],
];
const domains = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example'];
const phoneKinds = [
  'mobile',
  'home',
  'work',
  'main',
  'work-fax',
  'home-fax',
  'pager',
  'work-mobile',
  'other',
];
const relationTypes = [
  'spouse',
  'child',
  'mother',
  'father',
  'friend',
  'manager',
  'assistant',
  'sister',
  'Godmother',
];
const imProtocols = ['skype', 'xmpp', 'aim', 'yahoo', 'msn', 'icq', 'qq'];
const customKeys = ['X-EMPLOYEE-ID', 'Favourite colour', 'Shoe size', 'X-LOYALTY-CARD', 'Customer number'];
const shortNotes = [
  'Met at the conference in Lisbon.',
  'Prefers phone calls in the morning.',
  'Allergic to peanuts; bring a cake without nuts.',
  'Call back about the invoice, ref. 2024/117.',
  'Ключ от дачи у соседа.',
  'لا تنسَ عيد ميلاده',
  'יום הולדת בקיץ',
];

function nameFor(random: Random, index: number): Person {
  const script = index % 10;
  if (script <= 3 || script === 9) {
    const given = random.pick(latinGiven);
    const family = random.pick(latinFamily);
    const handle = `${given}.${family}`
      .normalize('NFD')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase();
    return { given, family, display: `${given} ${family}`, handle };
  }
  const pickPair = (list: [string, string, string][]): Person => {
    const [given, family, handle] = random.pick(list);
    return { given, family, display: `${given} ${family}`, handle };
  };
  switch (script) {
    case 4:
      return pickPair(greek);
    case 5:
      return pickPair(cyrillic);
    case 6: {
      if (index % 20 < 10) {
        const [given, family, handle, pinyinGiven, pinyinFamily] = random.pick(chinese);
        return {
          given,
          family,
          display: `${family}${given}`,
          handle,
          phoneticGiven: pinyinGiven,
          phoneticFamily: pinyinFamily,
        };
      }
      const [given, family, handle, kanaGiven, kanaFamily] = random.pick(japanese);
      return {
        given,
        family,
        display: `${family} ${given}`,
        handle,
        phoneticGiven: kanaGiven,
        phoneticFamily: kanaFamily,
      };
    }
    case 7:
      return pickPair(hindi);
    default:
      return index % 20 < 10 ? pickPair(arabic) : pickPair(hebrew);
  }
}

function partialDate(random: Random, withYear: boolean, fromYear: number, toYear: number): PartialDate {
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return withYear ? { year: random.int(fromYear, toYear), month, day } : { month, day };
}

function uidFor(seed: number, index: number): string {
  const random = createRandom((seed * 2654435761 + index * 40503) >>> 0);
  const hex = Array.from({ length: 32 }, () => Math.floor(random.next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Generates `count` contacts; the same arguments always give the same result. */
export function generateContacts(count: number, options: GenerateOptions = {}): GeneratedContact[] {
  const seed = options.seed ?? 1;
  const photoShare = options.photoShare ?? 0.1;
  const folderNames = GENERATED_FOLDER_NAMES.slice(
    0,
    Math.max(0, Math.min(options.folders ?? 5, GENERATED_FOLDER_NAMES.length)),
  );
  const random = createRandom(seed);
  const result: GeneratedContact[] = [];
  const photoEvery = photoShare > 0 ? 1 / photoShare : Infinity;
  let nextPhoto = 0;
  for (let index = 0; index < count; index++) {
    const person = nameFor(random, index);
    const contact = buildContact(random, index, person);
    const folders: string[] = [];
    if (folderNames.length > 0 && !random.chance(0.1)) {
      folders.push(folderNames[index % folderNames.length]);
      if (random.chance(0.15) && folderNames.length > 1) {
        const second = folderNames[(index + 1 + random.int(0, folderNames.length - 2)) % folderNames.length];
        if (!folders.includes(second)) folders.push(second);
      }
    }
    let photo: PhotoBytes | undefined;
    if (index >= nextPhoto && photoShare > 0) {
      photo = { mediaType: 'image/png', bytes: makeIdenticonPng(seed * 100003 + index) };
      nextPhoto += photoEvery;
    }
    result.push({ contact, ...(photo ? { photo } : {}), folderNames: folders, uid: uidFor(seed, index) });
  }
  return result;
}

function buildContact(random: Random, index: number, person: Person): Contact {
  const name: Contact['name'] = {
    given: person.given,
    family: person.family,
    ...(random.chance(0.1) ? { middle: random.pick(['Marie', 'J.', 'Augusta', 'Lee']) } : {}),
    ...(random.chance(0.08) ? { prefix: random.pick(['Dr.', 'Mrs.', 'Mr.', 'Prof.']) } : {}),
    ...(random.chance(0.05) ? { suffix: random.pick(['Jr.', 'PhD', 'III']) } : {}),
    ...(person.phoneticGiven ? { phoneticGiven: person.phoneticGiven } : {}),
    ...(person.phoneticFamily ? { phoneticFamily: person.phoneticFamily } : {}),
  };
  const domain = random.pick(domains);
  const emails: TypedValue[] = [];
  const emailCount = random.int(0, 3);
  for (let n = 0; n < emailCount; n++) {
    const kind = random.pick(['home', 'work', 'other']);
    const label = random.chance(0.1) ? { label: random.pick(['School', 'Old address', 'Newsletter']) } : {};
    emails.push({
      value: `${person.handle}${n ? n + 1 : ''}.${index}@${domain}`,
      ...(random.chance(0.9) ? { type: kind } : {}),
      ...label,
      ...(n === 0 && emailCount > 1 ? { primary: true } : {}),
    });
  }
  const phones: TypedValue[] = [];
  const phoneCount = random.int(index % 7 === 0 ? 0 : 1, 4);
  for (let n = 0; n < phoneCount; n++) {
    const value = `+${random.int(1, 99)} ${random.int(100, 999)} ${random.int(100, 999)} ${random.int(1000, 9999)}`;
    const custom = random.chance(0.05);
    phones.push({
      value: random.chance(0.05) ? `${value},,${random.int(10, 99)}` : value,
      ...(custom
        ? { label: 'Boat' }
        : { type: n === 0 && random.chance(0.6) ? 'mobile' : random.pick(phoneKinds) }),
      ...(n === 0 && phoneCount > 1 && random.chance(0.5) ? { primary: true } : {}),
    });
  }
  const addresses: PostalAddress[] = [];
  const addressCount = random.chance(0.45) ? random.int(1, 2) : 0;
  for (let n = 0; n < addressCount; n++) {
    const [city, region, country, countryCode] = random.pick(places);
    const street = `${random.int(1, 250)} ${random.pick(streets)}`;
    const postalCode = String(random.int(10000, 99999));
    const full = random.chance(0.7);
    addresses.push({
      type: n === 0 ? 'home' : random.pick(['work', 'other']),
      street: random.chance(0.1) ? `${street}\nBuilding B` : street,
      ...(random.chance(0.2) ? { extended: `Apt ${random.int(1, 90)}` } : {}),
      ...(random.chance(0.05) ? { poBox: `PO Box ${random.int(1, 999)}` } : {}),
      city,
      ...(region && full ? { region } : {}),
      ...(full ? { postalCode, country } : {}),
      ...(full && random.chance(0.5) ? { countryCode } : {}),
      ...(random.chance(0.2) ? { formatted: `${street}\n${postalCode} ${city}\n${country}` } : {}),
      ...(n === 0 && random.chance(0.3) ? { primary: true } : {}),
    });
  }
  const organizations: Organization[] = [];
  if (random.chance(0.45)) {
    organizations.push({
      name: random.pick(companies),
      ...(random.chance(0.6) ? { department: random.pick(departments) } : {}),
      ...(random.chance(0.8) ? { title: random.pick(titles) } : {}),
      ...(random.chance(0.1) ? { profession: random.pick(professions) } : {}),
    });
    if (random.chance(0.08)) organizations.push({ name: random.pick(companies), title: 'Board member' });
  }
  const urls: TypedValue[] = [];
  if (random.chance(0.2)) urls.push({ value: `https://www.${domain}/~${person.handle}`, type: 'home-page' });
  if (random.chance(0.08))
    urls.push({ value: `https://blog.${domain}/${person.handle}?a=1&b=2`, type: 'blog' });
  let birthday: PartialDate | undefined;
  if (random.chance(0.5)) {
    birthday = random.chance(0.03)
      ? { text: 'sometime in spring' }
      : partialDate(random, random.chance(0.7), 1930, 2015);
  }
  const events: ContactEvent[] = [];
  if (random.chance(0.12))
    events.push({ type: 'anniversary', date: partialDate(random, random.chance(0.8), 1960, 2023) });
  if (random.chance(0.05))
    events.push({ type: 'other', label: 'First met', date: partialDate(random, true, 1990, 2023) });
  let notes: string | undefined;
  const noteRoll = random.next();
  if (noteRoll < 0.2) notes = random.pick(shortNotes);
  else if (noteRoll < 0.28)
    notes = `${random.pick(shortNotes)}\n${random.pick(shortNotes)}\n\n– signed, ${person.given}`;
  else if (noteRoll < 0.3)
    notes = Array.from({ length: 40 }, (_, n) => `Line ${n + 1}: ${random.pick(shortNotes)}`).join('\n');
  const relations: Relation[] = [];
  if (random.chance(0.15)) {
    relations.push({ name: `${random.pick(latinGiven)} ${person.family}`, type: random.pick(relationTypes) });
  }
  const imAddresses: TypedValue[] = random.chance(0.1)
    ? [{ value: `${person.handle}${index}`, type: random.pick(imProtocols) }]
    : [];
  const sipAddresses: TypedValue[] = random.chance(0.05)
    ? [{ value: `${person.handle}.${index}@sip.${domain}`, type: 'work' }]
    : [];
  const customFields: CustomField[] = random.chance(0.1)
    ? [{ key: random.pick(customKeys), value: `${random.int(1000, 99999)}` }]
    : [];
  return {
    ...emptyContact(person.display),
    name,
    nicknames: random.chance(0.12)
      ? [random.pick(['Bobby', 'Doc', 'Ace', 'Кот', 'たろちゃん', 'Sunny, the Great'])]
      : [],
    ...(random.chance(0.04) ? { fileAs: `${person.family}, ${person.given}` } : {}),
    emails,
    phones,
    addresses,
    urls,
    organizations,
    ...(birthday ? { birthday } : {}),
    events,
    ...(notes ? { notes } : {}),
    relations,
    imAddresses,
    sipAddresses,
    customFields,
    ...(random.chance(0.1) ? { gender: random.pick(['male', 'female', 'other', 'nonbinary']) } : {}),
  };
}

/**
 * Writes `count` generated contacts to one .vcf file (folders as CATEGORIES, photos inline) and
 * returns them, so a test can compare what a provider reads with what was written.
 */
export function writeVcfSource(
  path: string,
  count: number,
  options: GenerateOptions & { version?: VcardVersion } = {},
): GeneratedContact[] {
  const generated = generateContacts(count, options);
  const text = generated
    .map((item) =>
      writeVcard(item.contact, {
        version: options.version ?? '3.0',
        uid: item.uid,
        categories: item.folderNames,
        ...(item.photo ? { photo: item.photo } : {}),
      }),
    )
    .join('');
  writeFileSync(path, text, 'utf8');
  return generated;
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(new TextEncoder().encode(type), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

/**
 * A small valid PNG (40×40 RGB): a mirrored 5×5 pattern in a colour derived from `seed`, like the
 * identicons apps show for contacts without a picture. Different seeds give different images.
 */
export function makeIdenticonPng(seed: number): Uint8Array {
  const random = createRandom(seed >>> 0);
  const size = 40;
  const cell = 8;
  const background = [235, 235, 235];
  const foreground = [random.int(20, 200), random.int(20, 200), random.int(20, 200)];
  const cells: boolean[][] = Array.from({ length: 5 }, () =>
    Array.from({ length: 3 }, () => random.chance(0.5)),
  );
  // The seed's low bits are stamped into the first row so two seeds never collide on the pattern alone.
  const raw = new Uint8Array(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const rowStart = y * (1 + size * 3);
    raw[rowStart] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const column = Math.floor(x / cell);
      const on = cells[Math.floor(y / cell)][column < 3 ? column : 4 - column];
      const colour = on ? foreground : background;
      const stamp = y === 0 ? (seed >>> x) & 1 : 0;
      raw[rowStart + 1 + x * 3] = colour[0];
      raw[rowStart + 2 + x * 3] = colour[1];
      raw[rowStart + 3 + x * 3] = colour[2] ^ stamp;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [
    signature,
    pngChunk('IHDR', header),
    pngChunk('IDAT', new Uint8Array(deflateSync(raw))),
    pngChunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
