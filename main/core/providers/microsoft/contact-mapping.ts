/**
 * Graph contact (providers.md 2.2) ⇄ Contact. Graph has fixed slots (3 emails, 2 business and 2 home
 * phones, one mobile, 3 addresses, one web page, one company), so the write side plans slots once
 * and `unsupportedFields` reports exactly what the plan leaves out. Properties with no Contact field
 * travel in `extra['microsoft.<property>']` and are written back by a same-provider restore.
 */
import {
  emptyContact,
  type Contact,
  type PartialDate,
  type PostalAddress,
  type TypedValue,
} from '../../contacts/model';

export type GraphContact = Record<string, unknown>;

/** Every property a contact carries (providers.md 2.2), asked for with `$select`. */
export const CONTACT_SELECT = [
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'categories',
  'parentFolderId',
  'birthday',
  'displayName',
  'fileAs',
  'givenName',
  'middleName',
  'surname',
  'initials',
  'nickName',
  'title',
  'generation',
  'yomiGivenName',
  'yomiSurname',
  'yomiCompanyName',
  'emailAddresses',
  'imAddresses',
  'businessPhones',
  'homePhones',
  'mobilePhone',
  'homeAddress',
  'businessAddress',
  'otherAddress',
  'jobTitle',
  'companyName',
  'department',
  'officeLocation',
  'profession',
  'businessHomePage',
  'assistantName',
  'manager',
  'spouseName',
  'children',
  'personalNotes',
] as const;

/** Properties kept in `extra` and written back as they are. */
const EXTRA_WRITABLE = ['categories', 'initials', 'yomiCompanyName'] as const;
/**
 * Properties mapped to Contact fields, plus service-maintained noise (id, changeKey, times,
 * parentFolderId → folderIds) that model.ts keeps out of the Contact. Anything else goes to extra.
 */
const HANDLED = new Set<string>([...CONTACT_SELECT]);

/** Outlook's year for dates stored without one. */
const NO_YEAR = 1604;
const LIMITS = { emails: 3, business: 2, home: 2, im: 3 } as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function readAddress(value: unknown, type: string): PostalAddress | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const a = value as Record<string, unknown>;
  const address: PostalAddress = compact({
    type,
    street: text(a.street),
    city: text(a.city),
    region: text(a.state),
    postalCode: text(a.postalCode),
    country: text(a.countryOrRegion),
  });
  return Object.keys(address).length > 1 ? address : undefined;
}

function readBirthday(value: unknown): PartialDate | undefined {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  if (!match) return undefined;
  const year = Number(match[1]);
  return compact({
    year: year === NO_YEAR ? undefined : year,
    month: Number(match[2]),
    day: Number(match[3]),
  });
}

/** Maps a Graph contact (full or `$select`ed JSON) into the normalized model. */
export function graphToContact(graph: GraphContact): Contact {
  const base = emptyContact(text(graph.displayName) ?? '');
  const extra: Record<string, unknown> = {};
  const emailEntries = Array.isArray(graph.emailAddresses)
    ? (graph.emailAddresses as { name?: unknown; address?: unknown }[]).filter((e) => text(e?.address))
    : [];
  if (emailEntries.some((e) => text(e.name) && e.name !== e.address)) {
    extra['microsoft.emailAddresses'] = emailEntries.map((e) =>
      compact({ name: text(e.name), address: text(e.address) }),
    );
  }
  for (const key of EXTRA_WRITABLE) {
    const value = graph[key];
    if (Array.isArray(value) ? value.length > 0 : text(value) !== undefined)
      extra[`microsoft.${key}`] = value;
  }
  for (const [key, value] of Object.entries(graph)) {
    if (HANDLED.has(key) || key.startsWith('@') || value === null || value === undefined) continue;
    extra[`microsoft.${key}`] = value;
  }
  const phones: TypedValue[] = [
    ...strings(graph.businessPhones).map((value) => ({ value, type: 'work' })),
    ...strings(graph.homePhones).map((value) => ({ value, type: 'home' })),
    ...(text(graph.mobilePhone) ? [{ value: graph.mobilePhone as string, type: 'mobile' }] : []),
  ];
  const addresses = [
    readAddress(graph.homeAddress, 'home'),
    readAddress(graph.businessAddress, 'work'),
    readAddress(graph.otherAddress, 'other'),
  ].filter((a): a is PostalAddress => a !== undefined);
  const organization = compact({
    name: text(graph.companyName),
    title: text(graph.jobTitle),
    department: text(graph.department),
    location: text(graph.officeLocation),
    profession: text(graph.profession),
  });
  const relations = [
    ...(text(graph.spouseName) ? [{ name: graph.spouseName as string, type: 'spouse' }] : []),
    ...strings(graph.children).map((name) => ({ name, type: 'child' })),
    ...(text(graph.manager) ? [{ name: graph.manager as string, type: 'manager' }] : []),
    ...(text(graph.assistantName) ? [{ name: graph.assistantName as string, type: 'assistant' }] : []),
  ];
  const contact: Contact = {
    ...base,
    name: compact({
      given: text(graph.givenName),
      family: text(graph.surname),
      middle: text(graph.middleName),
      prefix: text(graph.title),
      suffix: text(graph.generation),
      phoneticGiven: text(graph.yomiGivenName),
      phoneticFamily: text(graph.yomiSurname),
    }),
    nicknames: text(graph.nickName) ? [graph.nickName as string] : [],
    emails: emailEntries.map((e) => ({ value: e.address as string })),
    phones,
    addresses,
    urls: text(graph.businessHomePage) ? [{ value: graph.businessHomePage as string, type: 'work' }] : [],
    organizations: Object.keys(organization).length > 0 ? [organization] : [],
    notes: text(graph.personalNotes),
    relations,
    imAddresses: strings(graph.imAddresses).map((value) => ({ value })),
    folderIds: text(graph.parentFolderId) ? [graph.parentFolderId as string] : [],
    extra,
  };
  const birthday = readBirthday(graph.birthday);
  const fileAs = text(graph.fileAs);
  return compact({ ...contact, birthday, fileAs });
}

interface SlotPlan {
  readonly business: string[];
  readonly home: string[];
  mobile?: string;
  /** Indexes into contact.phones that have no slot. */
  readonly droppedPhones: number[];
  readonly addresses: { home?: PostalAddress; business?: PostalAddress; other?: PostalAddress };
  readonly droppedAddresses: number[];
}

/** Assigns phones and addresses to Graph's fixed slots; untyped values take the first free slot. */
function planSlots(contact: Contact): SlotPlan {
  const plan: SlotPlan = { business: [], home: [], droppedPhones: [], addresses: {}, droppedAddresses: [] };
  const loose: number[] = [];
  const main: number[] = [];
  contact.phones.forEach((phone, index) => {
    const type = phone.type ?? '';
    if (type === 'work' && plan.business.length < LIMITS.business) plan.business.push(phone.value);
    else if (type === 'home' && plan.home.length < LIMITS.home) plan.home.push(phone.value);
    else if (type === 'mobile' && plan.mobile === undefined) plan.mobile = phone.value;
    else if (type === 'main') main.push(index);
    else if (type === '' || type === 'other') loose.push(index);
    else plan.droppedPhones.push(index);
  });
  // A "main" number (Google's) is a landline: a business slot, else a home one, never the mobile.
  for (const index of main) {
    const value = contact.phones[index].value;
    if (plan.business.length < LIMITS.business) plan.business.push(value);
    else if (plan.home.length < LIMITS.home) plan.home.push(value);
    else plan.droppedPhones.push(index);
  }
  for (const index of loose) {
    const value = contact.phones[index].value;
    if (plan.mobile === undefined) plan.mobile = value;
    else if (plan.home.length < LIMITS.home) plan.home.push(value);
    else if (plan.business.length < LIMITS.business) plan.business.push(value);
    else plan.droppedPhones.push(index);
  }
  const slotOf = { home: 'home', work: 'business', other: 'other' } as const;
  const looseAddresses: number[] = [];
  contact.addresses.forEach((address, index) => {
    const slot = slotOf[(address.type ?? '') as keyof typeof slotOf];
    if (slot && !plan.addresses[slot]) plan.addresses[slot] = address;
    else if (!slot) looseAddresses.push(index);
    else plan.droppedAddresses.push(index);
  });
  for (const index of looseAddresses) {
    const free = (['home', 'business', 'other'] as const).find((slot) => !plan.addresses[slot]);
    if (free) plan.addresses[free] = contact.addresses[index];
    else plan.droppedAddresses.push(index);
  }
  plan.droppedPhones.sort((a, b) => a - b);
  return plan;
}

function writeAddress(address: PostalAddress | undefined): Record<string, string> {
  if (!address) return {};
  return compact({
    street: address.street,
    city: address.city,
    state: address.region,
    postalCode: address.postalCode,
    countryOrRegion: address.country ?? address.countryCode,
  }) as Record<string, string>;
}

function writeBirthday(date: PartialDate | undefined): string | undefined {
  if (!date?.month || !date.day) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  // Noon UTC keeps the calendar day the same in every time zone Outlook may render it in.
  return `${String(date.year ?? NO_YEAR).padStart(4, '0')}-${pad(date.month)}-${pad(date.day)}T11:59:00Z`;
}

/**
 * The Graph body for a contact. `replace` (updates) sends null / [] / {} for empty values so the
 * PATCH replaces the whole contact; creates leave them out.
 */
export function contactToGraph(contact: Contact, replace: boolean): GraphContact {
  const plan = planSlots(contact);
  const organization = contact.organizations[0];
  const relation = (type: string) => contact.relations.find((r) => r.type === type)?.name;
  const savedEmails = contact.extra['microsoft.emailAddresses'];
  // A Google backup keeps an email's display name in its item details (issue 14, item 7).
  const googleEmails = (contact.extra['google.itemDetails'] as { emailAddresses?: unknown } | undefined)
    ?.emailAddresses;
  const emails = contact.emails.slice(0, LIMITS.emails).map((email, index) => {
    const saved = Array.isArray(savedEmails)
      ? (savedEmails[index] as { name?: string; address?: string })
      : undefined;
    if (saved?.address === email.value && saved.name) return { name: saved.name, address: email.value };
    const google = Array.isArray(googleEmails)
      ? (googleEmails[index] as { displayName?: unknown } | null)
      : undefined;
    return typeof google?.displayName === 'string' && google.displayName
      ? { name: google.displayName, address: email.value }
      : { address: email.value };
  });
  const body: GraphContact = {
    displayName: contact.displayName || undefined,
    givenName: contact.name.given,
    surname: contact.name.family,
    middleName: contact.name.middle,
    title: contact.name.prefix,
    generation: contact.name.suffix,
    yomiGivenName: contact.name.phoneticGiven,
    yomiSurname: contact.name.phoneticFamily,
    nickName: contact.nicknames[0],
    fileAs: contact.fileAs,
    emailAddresses: emails,
    imAddresses: contact.imAddresses.slice(0, LIMITS.im).map((im) => im.value),
    businessPhones: plan.business,
    homePhones: plan.home,
    mobilePhone: plan.mobile,
    homeAddress: writeAddress(plan.addresses.home),
    businessAddress: writeAddress(plan.addresses.business),
    otherAddress: writeAddress(plan.addresses.other),
    companyName: organization?.name,
    jobTitle: organization?.title,
    department: organization?.department,
    officeLocation: organization?.location,
    profession: organization?.profession,
    businessHomePage: contact.urls[0]?.value,
    birthday: writeBirthday(contact.birthday),
    personalNotes: contact.notes,
    spouseName: relation('spouse'),
    children: contact.relations.filter((r) => r.type === 'child').map((r) => r.name),
    manager: relation('manager'),
    assistantName: relation('assistant'),
  };
  for (const key of EXTRA_WRITABLE) body[key] = contact.extra[`microsoft.${key}`];
  if (!body.categories) body.categories = [];
  const out: GraphContact = {};
  for (const [key, value] of Object.entries(body)) {
    const empty =
      value === undefined ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length === 0);
    if (!empty) out[key] = value;
    else if (replace) out[key] = Array.isArray(value) ? [] : key.endsWith('Address') ? {} : null;
  }
  return out;
}

/** What of `contact` a Graph contact cannot hold (for the cross-provider restore report). */
export function unsupportedGraphFields(contact: Contact): string[] {
  const out: string[] = [];
  const plan = planSlots(contact);
  contact.emails.forEach(
    (_, i) => i >= LIMITS.emails && out.push(`emails[${i}] (Graph keeps 3 email addresses)`),
  );
  for (const i of plan.droppedPhones) {
    const type = contact.phones[i].type ?? 'other';
    const why =
      type === 'work'
        ? 'Graph keeps 2 business phones'
        : type === 'home'
          ? 'Graph keeps 2 home phones'
          : type === 'mobile'
            ? 'Graph keeps 1 mobile phone'
            : `Graph has no ${type} phone`;
    out.push(`phones[${i}] (${why})`);
  }
  for (const i of plan.droppedAddresses)
    out.push(`addresses[${i}] (Graph keeps one home, work and other address)`);
  contact.addresses.forEach((a, i) => {
    for (const field of ['extended', 'poBox', 'formatted', 'label'] as const)
      if (a[field]) out.push(`addresses[${i}].${field}`);
  });
  contact.imAddresses.forEach(
    (_, i) => i >= LIMITS.im && out.push(`imAddresses[${i}] (Graph keeps 3 IM addresses)`),
  );
  contact.urls.forEach((_, i) => i >= 1 && out.push(`urls[${i}] (Graph keeps one web page)`));
  contact.organizations.forEach(
    (_, i) => i >= 1 && out.push(`organizations[${i}] (Graph keeps one company)`),
  );
  contact.nicknames.forEach((_, i) => i >= 1 && out.push(`nicknames[${i}] (Graph keeps one nickname)`));
  if (contact.name.phoneticMiddle) out.push('name.phoneticMiddle');
  if (contact.birthday && (!contact.birthday.month || !contact.birthday.day))
    out.push('birthday (no month and day)');
  else if (contact.birthday?.text) out.push('birthday.text');
  const seen = new Map<string, number>();
  contact.relations.forEach((r, i) => {
    const count = (seen.get(r.type) ?? 0) + 1;
    seen.set(r.type, count);
    const single = r.type === 'spouse' || r.type === 'manager' || r.type === 'assistant';
    if (r.type !== 'child' && (!single || count > 1)) out.push(`relations[${i}] (${r.type})`);
  });
  if (contact.events.length > 0) out.push('events');
  if (contact.sipAddresses.length > 0) out.push('sipAddresses');
  if (contact.customFields.length > 0) out.push('customFields');
  if (contact.gender) out.push('gender');
  const writableExtra = new Set([...EXTRA_WRITABLE.map((k) => `microsoft.${k}`), 'microsoft.emailAddresses']);
  // A linked Google profile's values are not contact data: they are never written anywhere.
  for (const key of Object.keys(contact.extra))
    if (!writableExtra.has(key) && key !== 'google.profile') out.push(`extra.${key}`);
  return out;
}
