/**
 * Contact and folder handlers of the Graph fake: lists with paging, item CRUD, photos, and the
 * per-folder delta and contactFolders/delta rounds.
 */
import { expandedPropertyIds, renderContact, type StoredContact } from './contact-json';
import type { CloudState } from './cloud-state';
import type { Mailbox, StoredFolder } from './mailbox';
import {
  graphError,
  parseJsonBody,
  preferredPageSize,
  type FakeRequest,
  type FakeResponse,
} from './http-util';

const MAX_PHOTO_BYTES = 4 * 1024 * 1024;

function selectOf(req: FakeRequest): string[] | undefined {
  const raw = req.query.get('$select');
  return raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

export function renderFolder(folder: StoredFolder): Record<string, unknown> {
  return { id: folder.id, displayName: folder.displayName, parentFolderId: folder.parentFolderId };
}

/** A plain collection with `$top`/`$skip` paging and an absolute nextLink. */
export function pagedList(req: FakeRequest, context: string, items: readonly unknown[]): FakeResponse {
  const top = Number(req.query.get('$top') ?? preferredPageSize(req) ?? 10);
  const skip = Number(req.query.get('$skip') ?? 0);
  const value = items.slice(skip, skip + top);
  const json: Record<string, unknown> = { '@odata.context': `${req.base}/$metadata#${context}`, value };
  if (skip + top < items.length) {
    const next = new URLSearchParams(req.query);
    next.set('$top', String(top));
    next.set('$skip', String(skip + top));
    json['@odata.nextLink'] = `${req.base}${req.path}?${next.toString()}`;
  }
  return { status: 200, json };
}

export function contactsInFolder(
  state: CloudState,
  mailbox: Mailbox,
  folderId: string,
  req: FakeRequest,
): FakeResponse {
  if (req.method === 'GET') {
    const select = selectOf(req);
    const items = [...mailbox.contacts.values()]
      .filter((c) => c.folderId === folderId)
      .map((c) => renderContact(c, select, expandedPropertyIds(req.query.get('$expand'))));
    return pagedList(req, 'Collection(contact)', items);
  }
  if (req.method === 'POST') {
    const body = parseJsonBody(req);
    if (!body.ok) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.', req);
    const created = mailbox.addContact(body.value, folderId);
    if ('error' in created) return graphError(400, 'BadRequest', created.error, req);
    return {
      status: 201,
      json: { '@odata.context': `${req.base}/$metadata#contacts/$entity`, ...renderContact(created) },
    };
  }
  return graphError(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
    req,
  );
}

/** `/contacts/{id}[/photo[/$value]]`, optionally scoped to a folder the contact must be in. */
export function contactItem(
  mailbox: Mailbox,
  id: string,
  tail: readonly string[],
  scopeFolderId: string | undefined,
  req: FakeRequest,
): FakeResponse {
  const contact = mailbox.contacts.get(id);
  if (!contact || (scopeFolderId !== undefined && contact.folderId !== scopeFolderId)) {
    return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.', req);
  }
  if (tail.length === 0) return contactResource(mailbox, contact, req);
  if (tail[0] !== 'photo' || tail.length > 2 || (tail.length === 2 && tail[1] !== '$value')) {
    return graphError(400, 'BadRequest', 'Resource not found for the segment.', req);
  }
  const photo = mailbox.photos.get(id);
  if (req.method === 'GET') {
    if (!photo) return graphError(404, 'ErrorItemNotFound', 'The photo wasn’t found.', req);
    if (tail.length === 2)
      return { status: 200, headers: { 'content-type': photo.contentType }, bytes: photo.bytes };
    return {
      status: 200,
      json: {
        '@odata.context': `${req.base}/$metadata#users('${mailbox.id}')/contacts('${id}')/photo/$entity`,
        '@odata.mediaContentType': photo.contentType,
        '@odata.mediaEtag': `W/"${contact.changeKey}"`,
        id: '240X240',
        width: 240,
        height: 240,
      },
    };
  }
  if ((req.method === 'PUT' || req.method === 'PATCH') && tail.length === 2) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!type.startsWith('image/'))
      return graphError(415, 'UnsupportedMediaType', 'Unsupported media type.', req);
    if (req.body.length === 0) return graphError(400, 'ErrorInvalidRequest', 'The photo is empty.', req);
    if (req.body.length >= MAX_PHOTO_BYTES)
      return graphError(413, 'RequestEntityTooLarge', 'Request too large.', req);
    mailbox.setPhoto(id, { bytes: new Uint8Array(req.body), contentType: type });
    // 200 with an empty body and no JSON content type (providers.md 3.4).
    return { status: 200 };
  }
  return graphError(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
    req,
  );
}

function contactResource(mailbox: Mailbox, contact: StoredContact, req: FakeRequest): FakeResponse {
  if (req.method === 'GET') {
    return {
      status: 200,
      json: {
        '@odata.context': `${req.base}/$metadata#contacts/$entity`,
        ...renderContact(contact, selectOf(req), expandedPropertyIds(req.query.get('$expand'))),
      },
    };
  }
  if (req.method === 'PATCH') {
    const body = parseJsonBody(req);
    if (!body.ok) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.', req);
    const updated = mailbox.updateContact(contact.id, body.value);
    if ('error' in updated) return graphError(400, 'BadRequest', updated.error, req);
    return {
      status: 200,
      json: { '@odata.context': `${req.base}/$metadata#contacts/$entity`, ...renderContact(updated) },
    };
  }
  if (req.method === 'DELETE') {
    mailbox.deleteContact(contact.id);
    return { status: 204 };
  }
  return graphError(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
    req,
  );
}

/** `contactFolders` (children of the default folder) or `{folder}/childFolders`. */
export function folderChildren(mailbox: Mailbox, parentId: string, req: FakeRequest): FakeResponse {
  if (req.method === 'GET') {
    return pagedList(req, 'Collection(contactFolder)', mailbox.childFolders(parentId).map(renderFolder));
  }
  if (req.method === 'POST') {
    const body = parseJsonBody(req);
    const name = body.ok ? body.value.displayName : undefined;
    if (typeof name !== 'string' || !name.trim()) {
      return graphError(400, 'ErrorInvalidRequest', 'The folder name is missing.', req);
    }
    const created = mailbox.addFolder(name, parentId);
    if ('error' in created) {
      return created.error === 'conflict'
        ? graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.', req)
        : graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.', req);
    }
    return {
      status: 201,
      json: { '@odata.context': `${req.base}/$metadata#contactFolders/$entity`, ...renderFolder(created) },
    };
  }
  return graphError(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
    req,
  );
}

export function folderResource(mailbox: Mailbox, folder: StoredFolder, req: FakeRequest): FakeResponse {
  if (req.method === 'GET') {
    return {
      status: 200,
      json: { '@odata.context': `${req.base}/$metadata#contactFolders/$entity`, ...renderFolder(folder) },
    };
  }
  if (req.method === 'PATCH') {
    const body = parseJsonBody(req);
    const name = body.ok ? body.value.displayName : undefined;
    if (typeof name !== 'string' || !name.trim())
      return graphError(400, 'ErrorInvalidRequest', 'Invalid name.', req);
    if (folder.id === mailbox.defaultFolderId)
      return graphError(403, 'ErrorAccessDenied', 'Access is denied.', req);
    mailbox.renameFolder(folder.id, name);
    return { status: 200, json: renderFolder(folder) };
  }
  if (req.method === 'DELETE') {
    if (!mailbox.deleteFolder(folder.id))
      return graphError(
        403,
        'ErrorDeleteDistinguishedFolder',
        'Distinguished folders cannot be deleted.',
        req,
      );
    return { status: 204 };
  }
  return graphError(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
    req,
  );
}

/** One request of a delta round; `folderId` '' means contactFolders/delta. */
export function deltaRequest(
  state: CloudState,
  mailbox: Mailbox,
  folderId: string,
  req: FakeRequest,
): FakeResponse {
  if (req.method !== 'GET') return graphError(405, 'Request_BadRequest', 'Only GET is allowed.', req);
  if (folderId !== '' && !mailbox.folders.has(folderId)) {
    return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.', req);
  }
  const pageSize = preferredPageSize(req) ?? 10;
  let skipToken = req.query.get('$skiptoken') ?? undefined;
  if (!skipToken) {
    const deltaToken = req.query.get('$deltatoken') ?? undefined;
    const started = state.delta.start(mailbox, folderId, deltaToken, selectOf(req));
    if (!started.ok) {
      if ('unknown' in started) return graphError(400, 'BadRequest', 'The delta token is not valid.', req);
      if (started.expired === 'gone') {
        const fresh = `${req.base}${req.path}`;
        return graphError(410, 'SyncStateInvalid', 'The sync state is no longer valid.', req, {
          location: fresh,
        });
      }
      const message =
        started.expired === 'syncStateNotFound'
          ? 'Sync state generation is not found for the given delta token.'
          : 'The delta token has expired; a full resync is required.';
      return graphError(400, started.expired, message, req);
    }
    skipToken = started.skipToken;
  }
  const page = state.delta.page(mailbox, skipToken, pageSize);
  if (!page) return graphError(400, 'BadRequest', 'The skip token is not valid.', req);
  const value = page.entries.map((entry) => {
    if (folderId === '') {
      const folder = mailbox.folders.get(entry.id);
      if (entry.removed || !folder) return { id: entry.id, '@removed': { reason: 'deleted' } };
      return renderFolder(folder);
    }
    const contact = mailbox.contacts.get(entry.id);
    if (entry.removed || !contact || contact.folderId !== folderId) {
      return { '@odata.type': '#microsoft.graph.contact', id: entry.id, '@removed': { reason: 'deleted' } };
    }
    return renderContact(contact, page.select);
  });
  const link = `${req.base}${req.path}`;
  const json: Record<string, unknown> = {
    '@odata.context': `${req.base}/$metadata#Collection(${folderId === '' ? 'contactFolder' : 'contact'})`,
    value,
  };
  if ('skipToken' in page.next) json['@odata.nextLink'] = `${link}?$skiptoken=${page.next.skipToken}`;
  else json['@odata.deltaLink'] = `${link}?$deltatoken=${page.next.deltaToken}`;
  return { status: 200, json };
}
