/**
 * Person ⇄ Contact (providers.md 1.6 backup set). Every field of the backup set lands in a Contact
 * field or, when the model has none, in `contact.extra['google.<field>']`; per-item details the model
 * cannot hold (an email's display name, an organization's type...) go to `extra['google.itemDetails']`
 * so a same-provider restore gives back what was there. Output-only values Google computes
 * (formattedType, displayName, metadata) are dropped: they would only make revisions differ.
 */
import { RESTORE_ID_KEY } from '../restore-identity';
import type { people_v1 } from '@googleapis/people';
import {
  emptyContact,
  type Contact,
  type ContactEvent,
  type ContactName,
  type Organization,
  type PartialDate,
  type PostalAddress,
  type Relation,
  type TypedValue,
} from '../../contacts/model';

export type Person = people_v1.Schema$Person;
type Item = Record<string, unknown>;

/** Fields read on every sync and fetch. `metadata` is needed to see deletions and renames. */
export const readPersonFields = [
  'addresses',
  'biographies',
  'birthdays',
  'calendarUrls',
  'clientData',
  'emailAddresses',
  'events',
  'externalIds',
  'genders',
  'imClients',
  'interests',
  'locales',
  'locations',
  'memberships',
  'metadata',
  'miscKeywords',
  'names',
  'nicknames',
  'occupations',
  'organizations',
  'phoneNumbers',
  'photos',
  'relations',
  'sipAddresses',
  'urls',
  'userDefined',
] as const;

/** Fields every write replaces wholesale (updatePersonFields / updateMask). */
export const writePersonFields = readPersonFields.filter(
  (field) => field !== 'metadata' && field !== 'photos',
);

/** Fields with no Contact counterpart, kept whole under `extra['google.<field>']`. */
export const extraFields = [
  'externalIds',
  'calendarUrls',
  'clientData',
  'occupations',
  'interests',
  'locations',
  'miscKeywords',
  'locales',
] as const;

export const itemDetailsKey = 'google.itemDetails';

/** Deprecated system groups: memberships there can only be removed, so they are not folders. */
export const deprecatedSystemGroups = new Set(
  ['friends', 'family', 'coworkers', 'chatBuddies', 'all', 'blocked'].map((id) => `contactGroups/${id}`),
);

const outputOnly = new Set(['metadata', 'formattedType', 'formattedProtocol', 'canonicalForm']);

// Google's kinds, camelCase; the model uses the same words in kebab-case.
const phoneKinds = [
  'home',
  'work',
  'mobile',
  'homeFax',
  'workFax',
  'otherFax',
  'pager',
  'workMobile',
  'workPager',
  'main',
  'googleVoice',
  'other',
];
const emailKinds = ['home', 'work', 'other'];
const addressKinds = ['home', 'work', 'other'];
const urlKinds = [
  'home',
  'work',
  'blog',
  'profile',
  'homePage',
  'ftp',
  'reservations',
  'appInstallPage',
  'other',
];
const sipKinds = ['home', 'work', 'mobile', 'other'];
const eventKinds = ['anniversary', 'other'];
const imProtocols = ['aim', 'msn', 'yahoo', 'skype', 'qq', 'googleTalk', 'icq', 'jabber', 'netMeeting'];
const relationKinds = [
  'spouse',
  'child',
  'mother',
  'father',
  'parent',
  'brother',
  'sister',
  'friend',
  'relative',
  'domesticPartner',
  'manager',
  'assistant',
  'referredBy',
  'partner',
];

function kebab(value: string): string {
  return value.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function camel(value: string): string {
  return value.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Google kind → model kind, or a custom label when Google's value is not one of its kinds. */
function kindIn(kinds: readonly string[], value: unknown): { type?: string; label?: string } {
  if (typeof value !== 'string' || !value) return {};
  if (kinds.includes(value)) return { type: value === 'jabber' ? 'xmpp' : kebab(value) };
  return { label: value };
}

/** Model kind (or label) → Google kind. */
function kindOut(
  kinds: readonly string[],
  type: string | undefined,
  label: string | undefined,
): string | undefined {
  if (label) return label;
  if (!type) return undefined;
  if (type === 'xmpp' && kinds.includes('jabber')) return 'jabber';
  const candidate = camel(type);
  return kinds.includes(candidate) ? candidate : type;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function primaryOf(item: Item): boolean | undefined {
  return (item.metadata as { primary?: boolean } | undefined)?.primary ? true : undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function itemsOf(person: Person, field: string): Item[] {
  const value = (person as Record<string, unknown>)[field];
  return Array.isArray(value) ? (value as Item[]) : [];
}

/** Keys of `item` that no mapping covers; undefined when there are none. */
function leftover(item: Item, mapped: readonly string[]): Item | undefined {
  const rest: Item = {};
  for (const [key, value] of Object.entries(item)) {
    if (!outputOnly.has(key) && !mapped.includes(key) && value !== undefined) rest[key] = value;
  }
  return Object.keys(rest).length ? rest : undefined;
}

function stripOutputOnly(item: Item): Item {
  return leftover(item, []) ?? {};
}

function dateOf(item: Item): PartialDate | undefined {
  const date = (item.date ?? {}) as { year?: number; month?: number; day?: number };
  const result = withoutUndefined({
    // Year 0 means "no year" (providers.md 1.6); proto3 usually drops it anyway.
    year: date.year ? date.year : undefined,
    month: date.month ? date.month : undefined,
    day: date.day ? date.day : undefined,
    text: text(item.text),
  });
  return Object.keys(result).length ? result : undefined;
}

function dateOut(date: PartialDate): Item {
  const structured = withoutUndefined({ year: date.year, month: date.month, day: date.day });
  return withoutUndefined({ date: Object.keys(structured).length ? structured : undefined, text: date.text });
}

/** The keys each mapped field consumes; the rest of an item is kept as item details. */
const mappedKeys: Record<string, readonly string[]> = {
  names: [
    'displayName',
    'displayNameLastFirst',
    'unstructuredName',
    'givenName',
    'familyName',
    'middleName',
    'honorificPrefix',
    'honorificSuffix',
    'phoneticGivenName',
    'phoneticFamilyName',
    'phoneticMiddleName',
  ],
  nicknames: ['value'],
  emailAddresses: ['value', 'type'],
  phoneNumbers: ['value', 'type'],
  addresses: [
    'type',
    'formattedValue',
    'streetAddress',
    'extendedAddress',
    'poBox',
    'city',
    'region',
    'postalCode',
    'country',
    'countryCode',
  ],
  urls: ['value', 'type'],
  organizations: ['name', 'department', 'title', 'location'],
  birthdays: ['date', 'text'],
  events: ['date', 'type'],
  biographies: ['value'],
  relations: ['person', 'type'],
  userDefined: ['key', 'value'],
  imClients: ['username', 'protocol'],
  sipAddresses: ['value', 'type'],
  genders: ['value', 'formattedValue'],
};

function typedValues(
  person: Person,
  field: string,
  kinds: readonly string[],
  valueKey = 'value',
  kindKey = 'type',
): TypedValue[] {
  return itemsOf(person, field).flatMap((item) => {
    const value = text(item[valueKey]);
    if (!value) return [];
    const kind = kindIn(kinds, item[kindKey]);
    // For IM the kind is the protocol, so an unlisted protocol ("matrix") is still the type, not a label.
    const typed = field === 'imClients' && kind.label ? { type: kind.label } : kind;
    return [withoutUndefined({ value, ...typed, primary: primaryOf(item) })];
  });
}

/** Where a linked Google profile's items come from (providers.md 1.4): never contact data. */
const profileSourceTypes = new Set(['PROFILE', 'DOMAIN_PROFILE']);

/** Key of `contact.extra` holding what a linked profile shows, shown apart as "from their Google profile". */
export const profileKey = 'google.profile';

/** True for an item Google filled from the person's own (or their domain's) profile. */
export function isProfileItem(item: unknown): boolean {
  const type = (item as { metadata?: { source?: { type?: unknown } } } | undefined)?.metadata?.source?.type;
  return typeof type === 'string' && profileSourceTypes.has(type);
}

/**
 * Splits a person into its contact-sourced part and the items its linked profile adds. The profile
 * part is not the user's data: it is kept apart and never written back as contact fields.
 */
export function splitProfileItems(person: Person): { contact: Person; profile: Record<string, Item[]> } {
  const contact: Record<string, unknown> = {};
  const profile: Record<string, Item[]> = {};
  for (const [field, value] of Object.entries(person)) {
    if (field === 'metadata' || field === 'resourceName' || field === 'etag' || !Array.isArray(value)) {
      contact[field] = value;
      continue;
    }
    const own = (value as Item[]).filter((item) => !isProfileItem(item));
    const linked = (value as Item[]).filter((item) => isProfileItem(item));
    if (own.length) contact[field] = own;
    if (linked.length && field !== 'photos') profile[field] = linked.map(stripOutputOnly);
  }
  return { contact: contact as Person, profile };
}

/**
 * A Person (as read with `readPersonFields`) as a Contact. `contact.photo` stays unset. Items from a
 * linked profile (source PROFILE / DOMAIN_PROFILE) go to `extra['google.profile']`, not to fields.
 */
export function personToContact(source: Person): Contact {
  const { contact: person, profile } = splitProfileItems(source);
  const name = itemsOf(person, 'names')[0] ?? {};
  const contactName: ContactName = withoutUndefined({
    given: text(name.givenName),
    family: text(name.familyName),
    middle: text(name.middleName),
    prefix: text(name.honorificPrefix),
    suffix: text(name.honorificSuffix),
    phoneticGiven: text(name.phoneticGivenName),
    phoneticFamily: text(name.phoneticFamilyName),
    phoneticMiddle: text(name.phoneticMiddleName),
  });
  const addresses: PostalAddress[] = itemsOf(person, 'addresses').map((item) =>
    withoutUndefined({
      ...kindIn(addressKinds, item.type),
      street: text(item.streetAddress),
      extended: text(item.extendedAddress),
      poBox: text(item.poBox),
      city: text(item.city),
      region: text(item.region),
      postalCode: text(item.postalCode),
      country: text(item.country),
      countryCode: text(item.countryCode),
      formatted: text(item.formattedValue),
      primary: primaryOf(item),
    }),
  );
  const organizations: Organization[] = itemsOf(person, 'organizations').map((item) =>
    withoutUndefined({
      name: text(item.name),
      department: text(item.department),
      title: text(item.title),
      location: text(item.location),
      primary: primaryOf(item),
    }),
  );
  const events: ContactEvent[] = itemsOf(person, 'events').flatMap((item) => {
    const date = dateOf(item);
    if (!date) return [];
    const kind = kindIn(eventKinds, item.type);
    return [withoutUndefined({ type: kind.type ?? 'other', label: kind.label, date })];
  });
  const relations: Relation[] = itemsOf(person, 'relations').flatMap((item) => {
    const relative = text(item.person);
    if (!relative) return [];
    const kind = kindIn(relationKinds, item.type);
    return [{ name: relative, type: kind.type ?? kind.label ?? '' }];
  });
  const extra: Record<string, unknown> = {};
  for (const field of extraFields) {
    const items = itemsOf(person, field)
      .map(stripOutputOnly)
      // A restore's own identity entry is bookkeeping (restore/restore-engine.ts), not the person's data.
      .filter((item) => field !== 'clientData' || item.key !== RESTORE_ID_KEY);
    if (items.length) extra[`google.${field}`] = items;
  }
  const details: Record<string, (Item | null)[]> = {};
  for (const [field, keys] of Object.entries(mappedKeys)) {
    const rests = itemsOf(person, field).map((item) => leftover(item, keys) ?? null);
    if (rests.some((rest) => rest !== null)) details[field] = rests;
  }
  if (Object.keys(details).length) extra[itemDetailsKey] = details;
  if (Object.keys(profile).length) extra[profileKey] = profile;
  const folderIds = itemsOf(person, 'memberships').flatMap((item) => {
    const membership = item.contactGroupMembership as
      { contactGroupResourceName?: string; contactGroupId?: string } | undefined;
    const group =
      membership?.contactGroupResourceName ??
      (membership?.contactGroupId ? `contactGroups/${membership.contactGroupId}` : undefined);
    return group && !deprecatedSystemGroups.has(group) ? [group] : [];
  });
  const birthday = itemsOf(person, 'birthdays')[0];
  return {
    ...emptyContact(text(name.unstructuredName) ?? text(name.displayName) ?? ''),
    name: contactName,
    nicknames: itemsOf(person, 'nicknames').flatMap((item) =>
      text(item.value) ? [item.value as string] : [],
    ),
    emails: typedValues(person, 'emailAddresses', emailKinds),
    phones: typedValues(person, 'phoneNumbers', phoneKinds),
    addresses,
    urls: typedValues(person, 'urls', urlKinds),
    organizations,
    birthday: birthday ? dateOf(birthday) : undefined,
    events,
    notes: text(itemsOf(person, 'biographies')[0]?.value),
    relations,
    imAddresses: typedValues(person, 'imClients', imProtocols, 'username', 'protocol'),
    sipAddresses: typedValues(person, 'sipAddresses', sipKinds),
    customFields: itemsOf(person, 'userDefined').flatMap((item) =>
      text(item.key) !== undefined || text(item.value) !== undefined
        ? [{ key: String(item.key ?? ''), value: String(item.value ?? '') }]
        : [],
    ),
    folderIds,
    gender: text(itemsOf(person, 'genders')[0]?.value),
    extra,
  };
}

/**
 * A Contact as the writable Person fields (`writePersonFields`). `groups` become the memberships;
 * with none, the field is left out so Google files the contact under My Contacts.
 */
export function contactToPerson(contact: Contact, groups: readonly string[]): Person {
  const details = (contact.extra[itemDetailsKey] ?? {}) as Record<string, (Item | null)[] | undefined>;
  const more = (field: string, index: number): Item => details[field]?.[index] ?? {};
  const typed = (
    field: string,
    values: readonly TypedValue[],
    kinds: readonly string[],
    valueKey = 'value',
    kindKey = 'type',
  ) =>
    values.map((value, index) =>
      withoutUndefined({
        ...more(field, index),
        [valueKey]: value.value,
        [kindKey]: kindOut(kinds, value.type, value.label),
      }),
    );
  const person: Record<string, unknown> = {};
  const { name } = contact;
  const nameItem = withoutUndefined({
    ...more('names', 0),
    unstructuredName: contact.displayName || undefined,
    givenName: name.given,
    familyName: name.family,
    middleName: name.middle,
    honorificPrefix: name.prefix,
    honorificSuffix: name.suffix,
    phoneticGivenName: name.phoneticGiven,
    phoneticFamilyName: name.phoneticFamily,
    phoneticMiddleName: name.phoneticMiddle,
  });
  person.names = Object.keys(nameItem).length ? [nameItem] : [];
  person.nicknames = contact.nicknames.map((value, index) => ({ ...more('nicknames', index), value }));
  person.emailAddresses = typed('emailAddresses', contact.emails, emailKinds);
  // A Graph backup keeps an email's display name beside the address: Google's item has the same field.
  const graphEmails = contact.extra['microsoft.emailAddresses'];
  if (Array.isArray(graphEmails)) {
    (person.emailAddresses as Item[]).forEach((item, index) => {
      const saved = graphEmails[index] as { name?: unknown; address?: unknown } | undefined;
      if (item.displayName === undefined && saved?.address === item.value && typeof saved?.name === 'string')
        item.displayName = saved.name;
    });
  }
  person.phoneNumbers = typed('phoneNumbers', contact.phones, phoneKinds);
  person.addresses = contact.addresses.map((address, index) =>
    withoutUndefined({
      ...more('addresses', index),
      type: kindOut(addressKinds, address.type, address.label),
      streetAddress: address.street,
      extendedAddress: address.extended,
      poBox: address.poBox,
      city: address.city,
      region: address.region,
      postalCode: address.postalCode,
      country: address.country,
      countryCode: address.countryCode,
      formattedValue: address.formatted,
    }),
  );
  person.urls = typed('urls', contact.urls, urlKinds);
  person.organizations = contact.organizations.map((organization, index) =>
    withoutUndefined({
      ...more('organizations', index),
      name: organization.name,
      department: organization.department,
      title: organization.title,
      location: organization.location,
    }),
  );
  person.birthdays = contact.birthday ? [{ ...more('birthdays', 0), ...dateOut(contact.birthday) }] : [];
  person.events = contact.events.map((event, index) => ({
    ...more('events', index),
    ...dateOut(event.date),
    type: kindOut(eventKinds, event.type, event.label),
  }));
  person.biographies = contact.notes ? [{ ...more('biographies', 0), value: contact.notes }] : [];
  person.relations = contact.relations.map((relation, index) =>
    withoutUndefined({
      ...more('relations', index),
      person: relation.name,
      type: kindOut(relationKinds, relation.type || undefined, undefined),
    }),
  );
  person.userDefined = contact.customFields.map((field, index) => ({
    ...more('userDefined', index),
    key: field.key,
    value: field.value,
  }));
  person.imClients = typed('imClients', contact.imAddresses, imProtocols, 'username', 'protocol');
  person.sipAddresses = typed('sipAddresses', contact.sipAddresses, sipKinds);
  person.genders = contact.gender ? [{ ...more('genders', 0), value: contact.gender }] : [];
  for (const field of extraFields) {
    const value = contact.extra[`google.${field}`];
    person[field] = Array.isArray(value) ? value : [];
  }
  person.memberships = groups.map((group) => ({
    contactGroupMembership: { contactGroupResourceName: group },
  }));
  if (groups.length === 0) delete person.memberships;
  return person as Person;
}

/** What of `contact` a Google account cannot hold, for the cross-provider report. */
export function unsupportedGoogleFields(contact: Contact): string[] {
  const missing: string[] = [];
  if (contact.fileAs) missing.push('fileAs');
  contact.organizations.forEach((organization, index) => {
    if (organization.profession) missing.push(`organizations[${index}].profession`);
  });
  for (const key of Object.keys(contact.extra)) {
    // Graph's email display names are carried over to Google's email items.
    if (!key.startsWith('google.') && key !== 'microsoft.emailAddresses') missing.push(`extra.${key}`);
  }
  return missing;
}
