/**
 * Person rules: what a write may carry (singletons, memberships, etags), and how a stored person is
 * rendered (per-item metadata, computed display names, photo URLs, proto3 defaults dropped).
 */
import { failedPrecondition, invalidArgument } from './errors';
import { proto3, singletonFields, writablePersonFields } from './person-fields';
import { etagOf, type FakeUser, type FieldItem, type PersonRecord } from './store';

/** Keys Google computes on output; a client may send them back, the fake ignores them. */
const outputOnlyKeys = new Set([
  'metadata',
  'formattedType',
  'formattedProtocol',
  'canonicalForm',
  'displayNameLastFirst',
]);

/** How the fake builds URLs it serves (photos). */
export interface RenderContext {
  readonly origin: string;
  /** True on sync-token reads: only then does Google fill previousResourceNames (providers.md 1.2). */
  readonly incremental?: boolean;
  /**
   * connections.list caps `emailAddresses` and `phoneNumbers` at this many items per person
   * (providers.md 1.2); people.get and getBatchGet return all of them.
   */
  readonly listCap?: number;
}

/** The fields connections.list caps, and the cap (providers.md 1.2). */
export const cappedListFields = ['emailAddresses', 'phoneNumbers'];
export const listItemCap = 100;

/** Reads the writable fields `fields` out of a request Person, checking Google's rules. */
export function readPersonBody(
  user: FakeUser,
  body: Record<string, unknown>,
  fields: Iterable<string>,
  previous?: PersonRecord,
): Record<string, FieldItem[]> {
  const out: Record<string, FieldItem[]> = {};
  for (const field of fields) {
    if (!writablePersonFields.includes(field)) throw invalidArgument(`Field "${field}" cannot be written.`);
    const raw = body[field];
    if (raw === undefined || raw === null) {
      out[field] = [];
      continue;
    }
    if (!Array.isArray(raw)) throw invalidArgument(`Invalid value at 'person.${field}', expected a list.`);
    if (singletonFields.has(field) && raw.length > 1) {
      throw invalidArgument(
        `Invalid value at 'person.${field}': contacts can have at most one ${field} value.`,
      );
    }
    out[field] = raw.map((item: unknown) => cleanItem(item, field));
  }
  if ('memberships' in out) out.memberships = checkMemberships(user, out.memberships, previous);
  return out;
}

function cleanItem(item: unknown, field: string): FieldItem {
  if (!item || typeof item !== 'object') throw invalidArgument(`Invalid value at 'person.${field}'.`);
  const clean: FieldItem = {};
  for (const [key, value] of Object.entries(item)) {
    if (outputOnlyKeys.has(key)) continue;
    if (field === 'names' && key === 'displayName') continue;
    clean[key] = value;
  }
  return clean;
}

/**
 * Memberships: only `contactGroupResourceName` is writable; additions only to user groups,
 * myContacts and starred; a contact keeps at least one (providers.md 1.3, 1.4).
 */
function checkMemberships(user: FakeUser, items: FieldItem[], previous?: PersonRecord): FieldItem[] {
  const before = new Set(previous ? groupNamesOf(previous) : []);
  const names: string[] = [];
  for (const item of items) {
    const membership = item.contactGroupMembership as
      { contactGroupResourceName?: string; contactGroupId?: string } | undefined;
    if (!membership) continue; // domainMembership is output-only
    const name =
      membership.contactGroupResourceName ??
      (membership.contactGroupId ? `contactGroups/${membership.contactGroupId}` : undefined);
    const group = name ? user.groups.get(name) : undefined;
    if (!name || !group || group.deleted)
      throw invalidArgument(`Contact group "${name ?? ''}" was not found.`);
    if (group.kind === 'deprecated' && !before.has(name)) {
      throw failedPrecondition(
        `Cannot add contacts to the deprecated system group "${name}".`,
        'failedPrecondition',
      );
    }
    if (!names.includes(name)) names.push(name);
  }
  if (names.length === 0) {
    throw invalidArgument('Memberships must contain at least one contact group membership.');
  }
  return names.map((name) => membershipItem(name));
}

export function membershipItem(resourceName: string): FieldItem {
  return {
    contactGroupMembership: {
      contactGroupId: resourceName.slice('contactGroups/'.length),
      contactGroupResourceName: resourceName,
    },
  };
}

/** The group resource names a person belongs to. */
export function groupNamesOf(record: PersonRecord): string[] {
  return (record.fields.memberships ?? []).flatMap((item) => {
    const membership = item.contactGroupMembership as { contactGroupResourceName?: string } | undefined;
    return membership?.contactGroupResourceName ? [membership.contactGroupResourceName] : [];
  });
}

/** The etag a client must send back on update. */
export function personEtag(record: PersonRecord): string {
  return etagOf(record.id, record.etagVersion);
}

/** The etag a write request carries: top-level, or the CONTACT source's (providers.md 1.3). */
export function requestEtag(body: Record<string, unknown>): string | undefined {
  if (typeof body.etag === 'string') return body.etag;
  const metadata = body.metadata as { sources?: { type?: string; etag?: string }[] } | undefined;
  return metadata?.sources?.find((source) => source.type === 'CONTACT')?.etag;
}

/** Rejects an update whose etag is missing or stale: 400 failedPrecondition, as Google does. */
export function checkEtag(record: PersonRecord, body: Record<string, unknown>): void {
  const metadata = body.metadata as { sources?: unknown[] } | undefined;
  if (!metadata?.sources?.length) {
    throw invalidArgument('Request person must have metadata.sources with the contact source and etag.');
  }
  const etag = requestEtag(body);
  if (!etag) throw invalidArgument('Request person must have an etag.');
  if (etag !== personEtag(record)) {
    throw failedPrecondition(
      'Request person.etag is different than the current person.etag. Clear local cache and get the latest person.',
    );
  }
}

function displayNameOf(name: FieldItem): string {
  const parts = [name.honorificPrefix, name.givenName, name.middleName, name.familyName, name.honorificSuffix]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(' ');
  return parts || (typeof name.unstructuredName === 'string' ? name.unstructuredName : '');
}

function lastFirstOf(name: FieldItem): string {
  const family = typeof name.familyName === 'string' ? name.familyName : '';
  const rest = [name.givenName, name.middleName].filter((part) => typeof part === 'string' && part).join(' ');
  return family && rest ? `${family}, ${rest}` : family || rest || displayNameOf(name);
}

function titleCase(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return value.charAt(0).toUpperCase() + value.slice(1).replace(/([A-Z])/g, ' $1');
}

/** A person as the API returns it, limited to `fields`, in proto3 JSON. */
export function renderPerson(
  user: FakeUser,
  record: PersonRecord,
  fields: ReadonlySet<string>,
  context: RenderContext,
): Record<string, unknown> {
  const etag = personEtag(record);
  const source = {
    type: record.resourceName.startsWith('otherContacts/') ? 'OTHER_CONTACT' : 'CONTACT',
    id: record.id,
  };
  if (record.deleted) {
    const tombstone: Record<string, unknown> = { resourceName: record.resourceName, etag };
    if (fields.has('metadata')) tombstone.metadata = { deleted: true };
    return tombstone;
  }
  const out: Record<string, unknown> = { resourceName: record.resourceName, etag };
  const profile = record.linkedProfile;
  const profileSource = profile ? { type: profile.type, id: profile.id } : undefined;
  for (const field of fields) {
    if (field === 'metadata') {
      out.metadata = {
        sources: [
          { ...source, etag, updateTime: new Date(record.updateTime).toISOString() },
          ...(profileSource ? [{ ...profileSource, etag: `%${profileSource.id}` }] : []),
        ],
        previousResourceNames: context.incremental ? record.previousResourceNames : undefined,
        objectType: 'PERSON',
      };
      continue;
    }
    if (field === 'photos') {
      // The contact's own picture first; a linked profile's picture beside it (source PROFILE), and
      // Google's generated placeholder only when there is neither.
      const profilePhoto =
        profile?.photoUrl && profileSource
          ? [{ metadata: { primary: !record.photo, source: profileSource }, url: profile.photoUrl }]
          : [];
      const own = record.photo
        ? [
            {
              metadata: { primary: true, source },
              url: `${context.origin}/photos/${encodeURIComponent(user.email)}/${record.photo.id}`,
            },
          ]
        : [];
      const placeholder = {
        metadata: { primary: true, source },
        url: `${context.origin}/photos/default/${record.id.slice(-1)}`,
        default: true,
      };
      out.photos = own.length || profilePhoto.length ? [...own, ...profilePhoto] : [placeholder];
      continue;
    }
    const own = record.fields[field] ?? [];
    const linked = profile?.fields[field] ?? [];
    let items = [
      ...own.map((item) => ({ item, from: source })),
      ...linked.map((item) => ({ item, from: profileSource! })),
    ];
    if (context.listCap !== undefined && cappedListFields.includes(field))
      items = items.slice(0, context.listCap);
    if (!items.length) continue;
    out[field] = items.map(({ item, from }, index) => {
      const rendered: FieldItem = {
        metadata: { primary: index === 0, sourcePrimary: index === 0, source: from },
        ...item,
      };
      if (field === 'names') {
        rendered.displayName = displayNameOf(item);
        rendered.displayNameLastFirst = lastFirstOf(item);
      }
      if ('type' in item && field !== 'memberships') rendered.formattedType = titleCase(item.type);
      if (field === 'imClients') rendered.formattedProtocol = titleCase(item.protocol);
      return rendered;
    });
  }
  return proto3(out) as Record<string, unknown>;
}
