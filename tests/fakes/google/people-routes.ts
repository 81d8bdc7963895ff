/**
 * People API person methods (providers.md 1.1): connections.list, get, getBatchGet, create/update/
 * delete (single and batch), contact photos and otherContacts.list.
 */
import { FakeGoogleError, invalidArgument, notFound } from './errors';
import {
  contactScopes,
  contactWriteScopes,
  otherContactScopes,
  type FakeEnvironment,
  type FakeRequest,
  type Route,
} from './http-types';
import { pageSizeOf } from './paging';
import {
  otherContactFields,
  parseFieldMask,
  proto3,
  readablePersonFields,
  writablePersonFields,
} from './person-fields';
import { checkEtag, listItemCap, membershipItem, readPersonBody, renderPerson } from './person-ops';
import type { FakeUser, PersonRecord } from './store';

const batchCreateLimit = 200;
const batchUpdateLimit = 200;
const batchDeleteLimit = 500;
const batchGetLimit = 200;
const sortOrders = [
  'LAST_MODIFIED_ASCENDING',
  'LAST_MODIFIED_DESCENDING',
  'FIRST_NAME_ASCENDING',
  'LAST_NAME_ASCENDING',
];

function personOf(user: FakeUser, resourceName: string): PersonRecord {
  const record = user.persons.get(resourceName);
  if (!record || record.deleted) throw notFound();
  return record;
}

function fieldsPresent(body: Record<string, unknown>): string[] {
  return writablePersonFields.filter((field) => body[field] !== undefined);
}

/** Builds the person routes over the shared environment. */
export function peopleRoutes(env: FakeEnvironment): Route[] {
  const { store, paging } = env;
  const render = (
    user: FakeUser,
    record: PersonRecord,
    fields: ReadonlySet<string>,
    incremental = false,
    listCap?: number,
  ) => renderPerson(user, record, fields, { origin: env.origin(), incremental, listCap });

  const create = (user: FakeUser, body: Record<string, unknown>): PersonRecord => {
    const record = store.newPerson(user, 'people/c');
    record.fields = readPersonBody(user, body, fieldsPresent(body));
    // New contacts land in "My Contacts" unless the request names groups (providers.md 4).
    if (!record.fields.memberships?.length)
      record.fields.memberships = [membershipItem('contactGroups/myContacts')];
    store.touchPerson(user, record);
    return record;
  };

  const nameSorter = (user: FakeUser, key: 'givenName' | 'familyName') => (names: string[]) =>
    [...names].sort((a, b) => {
      const nameOf = (name: string) => String(user.persons.get(name)?.fields.names?.[0]?.[key] ?? '');
      return nameOf(a).localeCompare(nameOf(b));
    });

  const list = (request: FakeRequest) => {
    const { query, user } = request;
    const fields = parseFieldMask(query.get('personFields'), readablePersonFields, 'personFields');
    const pageSize = pageSizeOf(query.get('pageSize'), 100);
    const sortOrder = query.get('sortOrder') ?? 'LAST_MODIFIED_ASCENDING';
    if (!sortOrders.includes(sortOrder)) throw invalidArgument(`Invalid sortOrder: ${sortOrder}`);
    const requestSyncToken = query.get('requestSyncToken') === 'true';
    const paramsKey = JSON.stringify([
      [...fields].sort(),
      pageSize,
      sortOrder,
      query.getAll('sources').sort(),
      requestSyncToken,
    ]);
    const order =
      sortOrder === 'LAST_MODIFIED_DESCENDING'
        ? (names: string[]) => [...names].reverse()
        : sortOrder === 'FIRST_NAME_ASCENDING'
          ? nameSorter(user, 'givenName')
          : sortOrder === 'LAST_NAME_ASCENDING'
            ? nameSorter(user, 'familyName')
            : undefined;
    const page = paging.page({
      user: user.email,
      collection: 'connections',
      map: user.persons,
      paramsKey,
      pageSize,
      pageToken: query.get('pageToken'),
      syncToken: query.get('syncToken'),
      requestSyncToken,
      order,
      currentSeq: user.seq,
    });
    return {
      json: proto3({
        connections: page.items.map((record) => render(user, record, fields, page.incremental, listItemCap)),
        nextPageToken: page.nextPageToken,
        nextSyncToken: page.nextSyncToken,
        totalItems: page.totalItems,
        totalPeople: page.totalItems,
      }),
    };
  };

  const otherList = (request: FakeRequest) => {
    const { query, user } = request;
    const fields = parseFieldMask(query.get('readMask'), otherContactFields, 'readMask');
    const pageSize = pageSizeOf(query.get('pageSize'), 100);
    const requestSyncToken = query.get('requestSyncToken') === 'true';
    const paramsKey = JSON.stringify([
      [...fields].sort(),
      pageSize,
      query.getAll('sources').sort(),
      requestSyncToken,
    ]);
    const page = paging.page({
      user: user.email,
      collection: 'otherContacts',
      map: user.others,
      paramsKey,
      pageSize,
      pageToken: query.get('pageToken'),
      syncToken: query.get('syncToken'),
      requestSyncToken,
      currentSeq: user.seq,
    });
    return {
      json: proto3({
        otherContacts: page.items.map((record) => render(user, record, fields, page.incremental)),
        nextPageToken: page.nextPageToken,
        nextSyncToken: page.nextSyncToken,
        totalSize: page.totalItems,
      }),
    };
  };

  const readMaskOf = (value: unknown): Set<string> | undefined =>
    typeof value === 'string' && value ? parseFieldMask(value, readablePersonFields, 'readMask') : undefined;

  const personResponse = (
    user: FakeUser,
    record: PersonRecord,
    mask: Set<string> | undefined,
    requested?: string,
  ) => ({
    requestedResourceName: requested,
    httpStatusCode: 200,
    person: mask
      ? render(user, record, mask)
      : { resourceName: record.resourceName, etag: render(user, record, new Set()).etag },
    status: {},
  });

  return [
    {
      method: 'GET',
      pattern: /^\/v1\/people\/me\/connections$/,
      op: 'people.connections.list',
      scopes: contactScopes,
      quota: 'read',
      handle: list,
    },
    {
      method: 'GET',
      pattern: /^\/v1\/people:batchGet$/,
      op: 'people.getBatchGet',
      scopes: contactScopes,
      quota: 'read',
      handle: ({ query, user }) => {
        const fields = parseFieldMask(query.get('personFields'), readablePersonFields, 'personFields');
        const names = query.getAll('resourceNames');
        if (names.length === 0) throw invalidArgument('resourceNames must not be empty.');
        if (names.length > batchGetLimit)
          throw invalidArgument(`resourceNames must have at most ${batchGetLimit} entries.`);
        return {
          json: proto3({
            responses: names.map((name) => {
              const record = user.persons.get(name);
              if (!record || record.deleted) {
                return {
                  requestedResourceName: name,
                  httpStatusCode: 404,
                  status: { code: 5, message: 'Requested entity was not found.' },
                };
              }
              return {
                requestedResourceName: name,
                httpStatusCode: 200,
                person: render(user, record, fields),
                status: {},
              };
            }),
          }),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/people:createContact$/,
      op: 'people.createContact',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ query, body, user }) => {
        const record = create(user, body);
        const fields = query.get('personFields')
          ? parseFieldMask(query.get('personFields'), readablePersonFields, 'personFields')
          : new Set(fieldsPresent(body).concat('metadata'));
        return { json: render(user, record, fields) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/people:batchCreateContacts$/,
      op: 'people.batchCreateContacts',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ body, user }) => {
        const contacts = body.contacts as { contactPerson?: Record<string, unknown> }[] | undefined;
        if (!Array.isArray(contacts) || contacts.length === 0)
          throw invalidArgument('contacts must not be empty.');
        if (contacts.length > batchCreateLimit)
          throw invalidArgument(`Too many contacts: at most ${batchCreateLimit} per request.`);
        const mask = readMaskOf(body.readMask);
        // Validate every person before writing any, so a 400 leaves the account unchanged.
        for (const contact of contacts)
          readPersonBody(user, contact.contactPerson ?? {}, fieldsPresent(contact.contactPerson ?? {}));
        const created = contacts.map((contact) => create(user, contact.contactPerson ?? {}));
        return {
          json: proto3({ createdPeople: created.map((record) => personResponse(user, record, mask)) }),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/people:batchUpdateContacts$/,
      op: 'people.batchUpdateContacts',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ body, user }) => {
        const contacts = body.contacts as Record<string, Record<string, unknown>> | undefined;
        const entries = Object.entries(contacts ?? {});
        if (entries.length === 0) throw invalidArgument('contacts must not be empty.');
        if (entries.length > batchUpdateLimit)
          throw invalidArgument(`Too many contacts: at most ${batchUpdateLimit} per request.`);
        if (typeof body.updateMask !== 'string' || !body.updateMask)
          throw invalidArgument('updateMask is required.');
        const updateFields = parseFieldMask(body.updateMask, writablePersonFields, 'updateMask');
        const mask = readMaskOf(body.readMask);
        const planned = entries.map(([name, person]) => {
          const record = personOf(user, name);
          checkEtag(record, person);
          return { record, fields: readPersonBody(user, person, updateFields, record) };
        });
        const updateResult: Record<string, unknown> = {};
        for (const { record, fields } of planned) {
          Object.assign(record.fields, fields);
          store.touchPerson(user, record);
          updateResult[record.resourceName] = personResponse(user, record, mask, record.resourceName);
        }
        return { json: proto3({ updateResult }) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/people:batchDeleteContacts$/,
      op: 'people.batchDeleteContacts',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ body, user }) => {
        const names = body.resourceNames as string[] | undefined;
        if (!Array.isArray(names) || names.length === 0)
          throw invalidArgument('resourceNames must not be empty.');
        if (names.length > batchDeleteLimit)
          throw invalidArgument(`Too many resourceNames: at most ${batchDeleteLimit} per request.`);
        const records = names.map((name) => personOf(user, name));
        for (const record of records) {
          record.deleted = true;
          store.touchPerson(user, record);
        }
        return { json: {} };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/otherContacts$/,
      op: 'otherContacts.list',
      scopes: otherContactScopes,
      quota: 'read',
      handle: otherList,
    },
    {
      method: 'GET',
      pattern: /^\/v1\/(people\/[^/:]+)$/,
      op: 'people.get',
      scopes: contactScopes,
      quota: 'read',
      handle: ({ query, user }, match) => {
        const fields = parseFieldMask(query.get('personFields'), readablePersonFields, 'personFields');
        if (match[1] === 'people/me') {
          return {
            json: proto3({
              resourceName: `people/${user.id}`,
              etag: `%${user.id}`,
              names: fields.has('names') ? [{ displayName: user.name }] : undefined,
              emailAddresses: fields.has('emailAddresses') ? [{ value: user.email }] : undefined,
            }),
          };
        }
        return { json: render(user, personOf(user, match[1]), fields) };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/v1\/(people\/[^/:]+):updateContact$/,
      op: 'people.updateContact',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ query, body, user }, match) => {
        const updateFields = parseFieldMask(
          query.get('updatePersonFields'),
          writablePersonFields,
          'updatePersonFields',
        );
        const record = personOf(user, match[1]);
        checkEtag(record, body);
        Object.assign(record.fields, readPersonBody(user, body, updateFields, record));
        store.touchPerson(user, record);
        const fields = query.get('personFields')
          ? parseFieldMask(query.get('personFields'), readablePersonFields, 'personFields')
          : new Set([...updateFields, 'metadata']);
        return { json: render(user, record, fields) };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/(people\/[^/:]+):deleteContact$/,
      op: 'people.deleteContact',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ user }, match) => {
        const record = personOf(user, match[1]);
        record.deleted = true;
        store.touchPerson(user, record);
        return { json: {} };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/v1\/(people\/[^/:]+):updateContactPhoto$/,
      op: 'people.updateContactPhoto',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ body, user }, match) => {
        const record = personOf(user, match[1]);
        if (typeof body.photoBytes !== 'string' || !body.photoBytes)
          throw invalidArgument('photoBytes is required.');
        const bytes = Buffer.from(body.photoBytes, 'base64');
        const mediaType = sniffImage(bytes);
        if (!mediaType) throw invalidArgument('Invalid photo: the bytes are not a supported image.');
        record.photo = store.storePhoto(user, bytes, mediaType);
        store.touchPerson(user, record);
        return { json: photoReply(user, record, body.personFields) };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/(people\/[^/:]+):deleteContactPhoto$/,
      op: 'people.deleteContactPhoto',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ query, user }, match) => {
        const record = personOf(user, match[1]);
        record.photo = undefined;
        store.touchPerson(user, record);
        return { json: photoReply(user, record, query.get('personFields')) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/photos\/([^/]+)\/([^/]+)$/,
      op: 'photos.get',
      handle: (_request, match) => {
        if (match[1] === 'default') return { bytes: defaultPhoto, contentType: 'image/png' };
        const photo = store.users.get(decodeURIComponent(match[1]))?.photos.get(match[2]);
        if (!photo) throw new FakeGoogleError(404, 'NOT_FOUND', 'No such photo.');
        return { bytes: photo.bytes, contentType: photo.mediaType };
      },
    },
  ];

  function photoReply(user: FakeUser, record: PersonRecord, personFields: unknown): unknown {
    // An empty personFields skips the post-write read (providers.md 1.1).
    if (typeof personFields !== 'string' || !personFields) return {};
    return {
      person: render(user, record, parseFieldMask(personFields, readablePersonFields, 'personFields')),
    };
  }
}

/** The media type of JPEG, PNG, GIF or WebP bytes; undefined for anything else. */
export function sniffImage(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('hex') === '89504e47') return 'image/png';
  if (bytes.subarray(0, 3).toString('ascii') === 'GIF') return 'image/gif';
  if (bytes.subarray(8, 12).toString('ascii') === 'WEBP') return 'image/webp';
  return undefined;
}

// A 1x1 grey PNG: Google's generated letter placeholder stands in as any small image.
const defaultPhoto = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==',
  'base64',
);
