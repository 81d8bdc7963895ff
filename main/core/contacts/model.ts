/**
 * The one normalized contact model. Every provider maps into it and out of it, the vault stores it,
 * the exporters write it. It is a superset of what Google People and Microsoft Graph carry, so a
 * contact backed up from either can be given back without loss (product.md B8).
 *
 * Rules that keep revisions comparable (see content-hash.ts):
 * - Lists keep the order the source gave (order is meaningful: the first email is the primary one).
 * - Absent optional fields are `undefined`, never empty strings; empty lists are `[]`.
 * - Provider noise (etags, update times, resource-name churn) never goes in here.
 */

/** A date that may lack its year (birthdays) or be free text only (Google `birthdays[].text`). */
export interface PartialDate {
  readonly year?: number;
  readonly month?: number;
  readonly day?: number;
  /** Free-form text when the source had no structured date, or kept beside it. */
  readonly text?: string;
}

/** An email, phone, URL, IM or SIP value with its kind. */
export interface TypedValue {
  readonly value: string;
  /**
   * Kind in lower case. Emails: home, work, other. Phones: mobile, home, work, main, home-fax,
   * work-fax, other-fax, pager, car, radio, callback, isdn, telex, tty, assistant, company-main,
   * work-mobile, work-pager, google-voice, other. URLs: home-page, work, blog, profile, other.
   * IM: the protocol (skype, xmpp, ...). Anything else is a custom label (see `label`).
   */
  readonly type?: string;
  /** A user's own label when the source had one that is not a known kind. */
  readonly label?: string;
  readonly primary?: boolean;
}

export interface ContactName {
  readonly given?: string;
  readonly family?: string;
  readonly middle?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly phoneticGiven?: string;
  readonly phoneticFamily?: string;
  readonly phoneticMiddle?: string;
}

export interface PostalAddress {
  /** home, work, other, or a custom label in `label`. */
  readonly type?: string;
  readonly label?: string;
  readonly street?: string;
  /** Second address line / extended address. */
  readonly extended?: string;
  readonly poBox?: string;
  readonly city?: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country?: string;
  readonly countryCode?: string;
  /** The formatted, printable address if the source kept one. */
  readonly formatted?: string;
  readonly primary?: boolean;
}

export interface Organization {
  readonly name?: string;
  readonly department?: string;
  readonly title?: string;
  /** Microsoft `officeLocation`, Google `location`. */
  readonly location?: string;
  /** Microsoft `profession`. */
  readonly profession?: string;
  readonly primary?: boolean;
}

export interface ContactEvent {
  /** anniversary, other, or a custom label in `label`. */
  readonly type: string;
  readonly label?: string;
  readonly date: PartialDate;
}

export interface Relation {
  readonly name: string;
  /** spouse, child, manager, assistant, mother, father, friend, ... or a custom label. */
  readonly type: string;
}

/** A key/value the user added (Google userDefined, Outlook custom fields). */
export interface CustomField {
  readonly key: string;
  readonly value: string;
}

/** A photo kept in the encrypted blob store; `hash` is the blob id (SHA-256 of the bytes, hex). */
/** Bytes of a photo as a source gave them (or as an export writes them). */
export interface PhotoBytes {
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

export interface PhotoRef {
  readonly hash: string;
  readonly mediaType: string;
}

/** Everything one contact holds, independent of where it came from. */
export interface Contact {
  readonly displayName: string;
  readonly name: ContactName;
  readonly nicknames: readonly string[];
  /** Outlook "File as"; left undefined when the source did not set one. */
  readonly fileAs?: string;
  readonly emails: readonly TypedValue[];
  readonly phones: readonly TypedValue[];
  readonly addresses: readonly PostalAddress[];
  readonly urls: readonly TypedValue[];
  readonly organizations: readonly Organization[];
  readonly birthday?: PartialDate;
  readonly events: readonly ContactEvent[];
  readonly notes?: string;
  readonly relations: readonly Relation[];
  readonly imAddresses: readonly TypedValue[];
  readonly sipAddresses: readonly TypedValue[];
  readonly customFields: readonly CustomField[];
  /** Source folder (group) ids this contact belongs to, in the source's id space. */
  readonly folderIds: readonly string[];
  readonly photo?: PhotoRef;
  readonly gender?: string;
  /**
   * Source-specific values with no field above (Google clientData/externalIds/locations/...,
   * Graph `children`, `yomiCompanyName`, ...), keyed `google.externalIds`, `microsoft.children`.
   * Kept so a same-provider restore loses nothing; cross-provider restores list them as not mapped.
   */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A folder (Google contact group, Microsoft contact folder, vCard CATEGORY or sub-folder). */
export interface ContactFolder {
  /** Id in the source's id space (resource name, Graph id, category name). */
  readonly id: string;
  readonly name: string;
  /** Parent folder id for nested folders (Microsoft, PST, vCard folders); undefined at top level. */
  readonly parentId?: string;
  /**
   * Set for folders the source owns and that cannot be created or renamed: Google `myContacts` and
   * `starred`, Microsoft's default Contacts folder. Values: 'default', 'starred'.
   */
  readonly system?: 'default' | 'starred';
}

/** An empty contact, so mappers only fill what they have. */
export function emptyContact(displayName = ''): Contact {
  return {
    displayName,
    name: {},
    nicknames: [],
    emails: [],
    phones: [],
    addresses: [],
    urls: [],
    organizations: [],
    events: [],
    relations: [],
    imAddresses: [],
    sipAddresses: [],
    customFields: [],
    folderIds: [],
    extra: {},
  };
}

/**
 * A copy of a string that holds nothing else alive. A value the vCard parser sliced out of a card
 * keeps the whole card's text in memory while it lives: the history index kept every card read
 * by a backup that way (8 KB a contact, issue 20).
 */
export function ownCopy<T extends string | undefined>(text: T): T {
  return (text === undefined ? text : ` ${text}`.slice(1)) as T;
}

/** The name people see in lists: display name, else built from the parts, else the first email or phone. */
export function bestDisplayName(contact: Contact): string {
  if (contact.displayName.trim()) return contact.displayName.trim();
  const { prefix, given, middle, family, suffix } = contact.name;
  const built = [prefix, given, middle, family, suffix].filter(Boolean).join(' ').trim();
  if (built) return built;
  const organization = contact.organizations[0]?.name;
  return organization ?? contact.emails[0]?.value ?? contact.phones[0]?.value ?? '(no name)';
}
