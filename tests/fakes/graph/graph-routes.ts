/**
 * Routing of the Graph v1.0 fake: `/me/...` and `/users/{id}/...` (the signed-in user's mailbox or
 * one in the app's tenant), `/users` listing, and nested `contactFolders/{id}/childFolders/{id}/...`.
 */
import type { CloudState, Principal } from './cloud-state';
import {
  contactItem,
  contactsInFolder,
  deltaRequest,
  folderChildren,
  folderResource,
  pagedList,
} from './graph-contacts';
import { graphError, type FakeRequest, type FakeResponse } from './http-util';
import type { Mailbox } from './mailbox';

function userJson(mailbox: Mailbox): Record<string, unknown> {
  return {
    id: mailbox.id,
    displayName: mailbox.displayName,
    mail: mailbox.email,
    userPrincipalName: mailbox.email,
    accountEnabled: mailbox.accountEnabled,
  };
}

function select(req: FakeRequest, json: Record<string, unknown>): Record<string, unknown> {
  const raw = req.query.get('$select');
  if (!raw) return json;
  const out: Record<string, unknown> = { id: json.id };
  for (const key of raw.split(',')) if (key in json) out[key] = json[key];
  return out;
}

/** Which mailbox a request addresses, or the error to answer. */
export function targetMailbox(
  state: CloudState,
  principal: Principal,
  segments: readonly string[],
):
  | { mailbox: Mailbox; rest: readonly string[] }
  | { status: number; code: string; message: string }
  | undefined {
  if (segments[0] === 'me') {
    if (principal.kind !== 'user') {
      return {
        status: 400,
        code: 'BadRequest',
        message: '/me request is only valid with delegated authentication flow.',
      };
    }
    const mailbox = state.mailboxes.get(principal.mailboxId);
    if (!mailbox) return { status: 404, code: 'ResourceNotFound', message: 'User not found.' };
    return { mailbox, rest: segments.slice(1) };
  }
  if (segments[0] === 'users' && segments.length >= 2) {
    const mailbox = state.mailboxByIdOrEmail(segments[1]);
    if (!mailbox) {
      return {
        status: 404,
        code: 'Request_ResourceNotFound',
        message: `Resource '${segments[1]}' does not exist.`,
      };
    }
    const allowed =
      principal.kind === 'app' ? principal.tenantId === mailbox.tenantId : principal.mailboxId === mailbox.id;
    if (!allowed)
      return {
        status: 403,
        code: 'ErrorAccessDenied',
        message: 'Access is denied. Check credentials and try again.',
      };
    return { mailbox, rest: segments.slice(2) };
  }
  return undefined;
}

/** Handles one request (top-level or a $batch item) once authenticated. */
export function routeGraph(state: CloudState, principal: Principal, req: FakeRequest): FakeResponse {
  let segments: string[];
  try {
    segments = req.path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return graphError(400, 'BadRequest', 'Invalid request URL.', req);
  }
  if (segments.length === 1 && segments[0] === 'users') {
    if (principal.kind !== 'app') {
      return graphError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
        req,
      );
    }
    const users = [...state.mailboxes.values()]
      .filter((m) => m.tenantId === principal.tenantId)
      .map((m) => select(req, userJson(m)));
    return pagedList(req, 'users', users);
  }
  const target = targetMailbox(state, principal, segments);
  if (!target)
    return graphError(400, 'BadRequest', `Resource not found for the segment '${segments[0] ?? ''}'.`, req);
  if ('status' in target) return graphError(target.status, target.code, target.message, req);
  const { mailbox, rest } = target;
  if (rest.length === 0) {
    if (req.method !== 'GET') return graphError(405, 'Request_BadRequest', 'Method not allowed.', req);
    return {
      status: 200,
      json: { '@odata.context': `${req.base}/$metadata#users/$entity`, ...select(req, userJson(mailbox)) },
    };
  }
  if (rest[0] === 'contacts') {
    if (rest.length === 1) return contactsInFolder(state, mailbox, mailbox.defaultFolderId, req);
    if (rest[1] === 'delta') {
      // Undocumented for contacts (providers.md 5); the fake refuses it so clients use the folder form.
      return graphError(400, 'BadRequest', 'Delta is supported only on contactFolders/{id}/contacts.', req);
    }
    return contactItem(mailbox, rest[1], rest.slice(2), undefined, req);
  }
  if (rest[0] !== 'contactFolders')
    return graphError(400, 'BadRequest', `Resource not found for the segment '${rest[0]}'.`, req);
  if (rest.length === 1) return folderChildren(mailbox, mailbox.defaultFolderId, req);
  if (rest[1] === 'delta' && rest.length === 2) return deltaRequest(state, mailbox, '', req);
  let folderId = rest[1] === 'contacts' && state.wellKnownContactsFolder ? mailbox.defaultFolderId : rest[1];
  let index = 2;
  const notFound = graphError(
    404,
    'ErrorItemNotFound',
    'The specified object was not found in the store.',
    req,
  );
  if (!mailbox.folders.has(folderId)) return notFound;
  while (rest[index] === 'childFolders' && rest[index + 1] !== undefined) {
    const child = mailbox.folders.get(rest[index + 1]);
    if (!child || child.parentFolderId !== folderId) return notFound;
    folderId = child.id;
    index += 2;
  }
  const tail = rest.slice(index);
  const folder = mailbox.folders.get(folderId);
  if (!folder) return notFound;
  if (tail.length === 0) return folderResource(mailbox, folder, req);
  if (tail[0] === 'childFolders' && tail.length === 1) return folderChildren(mailbox, folderId, req);
  if (tail[0] === 'contacts') {
    if (tail.length === 1) return contactsInFolder(state, mailbox, folderId, req);
    if (tail[1] === 'delta' && tail.length === 2) return deltaRequest(state, mailbox, folderId, req);
    return contactItem(mailbox, tail[1], tail.slice(2), folderId, req);
  }
  return graphError(400, 'BadRequest', `Resource not found for the segment '${tail[0]}'.`, req);
}
