/**
 * The Graph v1.0 contact resource as the real service renders it (providers.md 2.2): every property
 * present, `null` for unset scalars, `[]` for collections and `{}` for empty addresses.
 */

/** Writable scalar (string) properties. */
export const SCALAR_PROPERTIES = [
  'birthday',
  'displayName',
  'fileAs',
  'givenName',
  'initials',
  'middleName',
  'nickName',
  'surname',
  'title',
  'generation',
  'yomiGivenName',
  'yomiSurname',
  'yomiCompanyName',
  'jobTitle',
  'companyName',
  'department',
  'officeLocation',
  'profession',
  'businessHomePage',
  'assistantName',
  'manager',
  'mobilePhone',
  'spouseName',
  'personalNotes',
] as const;

/** Writable collection properties. */
export const COLLECTION_PROPERTIES = [
  'categories',
  'emailAddresses',
  'imAddresses',
  'businessPhones',
  'homePhones',
  'children',
] as const;

export const ADDRESS_PROPERTIES = ['homeAddress', 'businessAddress', 'otherAddress'] as const;
const ADDRESS_FIELDS = ['street', 'city', 'state', 'countryOrRegion', 'postalCode'] as const;

/** Read-only properties the service maintains. */
export const READ_ONLY_PROPERTIES = [
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'parentFolderId',
] as const;

/** Properties Graph renders as "" rather than null when unset (as in the docs' sample response). */
const EMPTY_STRING_WHEN_UNSET = new Set(['fileAs', 'personalNotes', 'displayName']);

export type GraphProps = Record<string, unknown>;

export interface StoredContact {
  readonly id: string;
  folderId: string;
  changeKey: string;
  readonly createdDateTime: string;
  lastModifiedDateTime: string;
  /** Mailbox change sequence of the last change that delta must report. */
  seq: number;
  props: GraphProps;
  /** Single-value extended properties by id (kept, returned only when `$expand`ed, like Graph). */
  extended?: Record<string, string>;
}

function normalizeAddress(value: unknown): GraphProps {
  if (!value || typeof value !== 'object') return {};
  const out: GraphProps = {};
  for (const field of ADDRESS_FIELDS) {
    const v = (value as GraphProps)[field];
    if (typeof v === 'string' && v !== '') out[field] = v;
  }
  return out;
}

/**
 * Applies a POST or PATCH body: known writable properties only, nulls clear, unknown properties are
 * refused like Graph does (400 with the property name).
 */
export function applyContactWrite(
  current: GraphProps,
  body: GraphProps,
): { props: GraphProps; extended?: Record<string, string> } | { error: string } {
  const next: GraphProps = { ...current };
  let extended: Record<string, string> | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.')) continue;
    if (key === 'singleValueExtendedProperties') {
      if (!Array.isArray(value)) return { error: `Invalid value for property '${key}'.` };
      extended = {};
      for (const entry of value as { id?: unknown; value?: unknown }[]) {
        if (typeof entry?.id !== 'string' || typeof entry.value !== 'string')
          return { error: 'An extended property needs an id and a value.' };
        extended[entry.id] = entry.value;
      }
      continue;
    }
    if ((SCALAR_PROPERTIES as readonly string[]).includes(key)) {
      if (value !== null && typeof value !== 'string')
        return { error: `Invalid value for property '${key}'.` };
      next[key] = value;
    } else if ((COLLECTION_PROPERTIES as readonly string[]).includes(key)) {
      if (value !== null && !Array.isArray(value)) return { error: `Invalid value for property '${key}'.` };
      next[key] = value ?? [];
    } else if ((ADDRESS_PROPERTIES as readonly string[]).includes(key)) {
      next[key] = normalizeAddress(value);
    } else if ((READ_ONLY_PROPERTIES as readonly string[]).includes(key)) {
      if (key === 'id' || key === 'parentFolderId') continue;
      return { error: `Property '${key}' is read-only.` };
    } else {
      return { error: `Could not find a property named '${key}' on type 'microsoft.graph.contact'.` };
    }
  }
  return extended ? { props: next, extended } : { props: next };
}

/** The extended-property ids asked for by `$expand=singleValueExtendedProperties($filter=id eq '…')`. */
export function expandedPropertyIds(expand: string | null): string[] | undefined {
  if (!expand) return undefined;
  const match = /singleValueExtendedProperties\(\$filter=id eq '([^']+)'\)/i.exec(expand);
  return match ? [match[1]] : undefined;
}

/** Birthdays come back as a DateTimeOffset even when written as a date (providers.md 2.2). */
function renderBirthday(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T11:59:00Z` : value;
}

/** Renders the full JSON of a contact, optionally cut down by `$select` (id and etag always stay). */
export function renderContact(
  contact: StoredContact,
  select?: readonly string[],
  expandIds?: readonly string[],
): GraphProps {
  const rendered = renderContactProps(contact, select);
  if (expandIds) {
    const wanted = new Set(expandIds.map((id) => id.toLowerCase()));
    rendered.singleValueExtendedProperties = Object.entries(contact.extended ?? {})
      .filter(([id]) => wanted.has(id.toLowerCase()))
      .map(([id, value]) => ({ id, value }));
  }
  return rendered;
}

function renderContactProps(contact: StoredContact, select?: readonly string[]): GraphProps {
  const full: GraphProps = {
    '@odata.etag': `W/"${contact.changeKey}"`,
    id: contact.id,
    createdDateTime: contact.createdDateTime,
    lastModifiedDateTime: contact.lastModifiedDateTime,
    changeKey: contact.changeKey,
    categories: [],
    parentFolderId: contact.folderId,
  };
  for (const key of SCALAR_PROPERTIES) {
    const value = contact.props[key];
    full[key] =
      key === 'birthday'
        ? renderBirthday(value)
        : typeof value === 'string'
          ? value
          : EMPTY_STRING_WHEN_UNSET.has(key)
            ? ''
            : null;
  }
  for (const key of COLLECTION_PROPERTIES)
    full[key] = Array.isArray(contact.props[key]) ? contact.props[key] : [];
  for (const key of ADDRESS_PROPERTIES) full[key] = normalizeAddress(contact.props[key]);
  if (!select || select.length === 0) return full;
  const out: GraphProps = { '@odata.etag': full['@odata.etag'], id: contact.id };
  for (const key of select) if (key in full) out[key] = full[key];
  return out;
}
