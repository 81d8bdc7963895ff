/**
 * contactGroups methods (providers.md 1.1, 1.3, 1.4): list with paging and sync tokens (default page
 * 30), get/batchGet with `maxMembers` defaulting to 0, create/update/delete with unique names (409),
 * and members.modify (at most 1000 names, never removing a contact's last membership).
 */
import { randomBytes } from 'node:crypto';
import { FakeGoogleError, failedPrecondition, invalidArgument, notFound } from './errors';
import { contactScopes, contactWriteScopes, type FakeEnvironment, type Route } from './http-types';
import { pageSizeOf } from './paging';
import { proto3 } from './person-fields';
import { groupNamesOf, membershipItem } from './person-ops';
import { etagOf, type FakeUser, type GroupRecord } from './store';

const groupFieldList = ['clientData', 'groupType', 'memberCount', 'metadata', 'name'];
const defaultGroupFields = new Set(['metadata', 'groupType', 'memberCount', 'name']);
const modifyLimit = 1000;
const batchGetLimit = 200;

function groupFieldsOf(value: string | null | undefined): Set<string> {
  if (!value) return defaultGroupFields;
  const fields = new Set(value.split(',').map((field) => field.trim()));
  for (const field of fields)
    if (!groupFieldList.includes(field)) throw invalidArgument(`Invalid groupFields path: "${field}".`);
  return fields;
}

function groupOf(user: FakeUser, resourceName: string): GroupRecord {
  const group = user.groups.get(resourceName);
  if (!group || group.deleted) throw notFound();
  return group;
}

function members(user: FakeUser, group: GroupRecord): string[] {
  const names: string[] = [];
  for (const record of user.persons.values()) {
    if (!record.deleted && groupNamesOf(record).includes(group.resourceName)) names.push(record.resourceName);
  }
  return names;
}

/** A group as the API returns it. */
export function renderGroup(
  user: FakeUser,
  group: GroupRecord,
  fields: ReadonlySet<string>,
  maxMembers = 0,
): Record<string, unknown> {
  const etag = etagOf(group.id, group.etagVersion);
  if (group.deleted) return { resourceName: group.resourceName, etag, metadata: { deleted: true } };
  const memberNames = fields.has('memberCount') || maxMembers > 0 ? members(user, group) : [];
  const system = group.kind !== 'user';
  return proto3({
    resourceName: group.resourceName,
    etag,
    metadata: fields.has('metadata') ? { updateTime: new Date(group.updateTime).toISOString() } : undefined,
    groupType: fields.has('groupType') ? (system ? 'SYSTEM_CONTACT_GROUP' : 'USER_CONTACT_GROUP') : undefined,
    name: fields.has('name') ? group.name : undefined,
    formattedName: fields.has('name') ? (system ? localizedName(group.id) : group.name) : undefined,
    memberCount: fields.has('memberCount') ? memberNames.length : undefined,
    memberResourceNames: maxMembers > 0 ? memberNames.slice(0, maxMembers) : undefined,
    clientData: fields.has('clientData') ? group.clientData : undefined,
  }) as Record<string, unknown>;
}

function localizedName(id: string): string {
  const names: Record<string, string> = {
    myContacts: 'My Contacts',
    starred: 'Starred',
    friends: 'Friends',
    family: 'Family',
    coworkers: 'Coworkers',
    chatBuddies: 'Chat contacts',
    all: 'All Contacts',
    blocked: 'Blocked',
  };
  return names[id] ?? id;
}

function checkName(user: FakeUser, name: unknown, except?: GroupRecord): string {
  if (typeof name !== 'string' || !name.trim())
    throw invalidArgument('Contact group name must not be empty.');
  for (const group of user.groups.values()) {
    if (group !== except && !group.deleted && group.kind === 'user' && group.name === name) {
      throw new FakeGoogleError(409, 'ALREADY_EXISTS', 'Contact group name already exists.', 'duplicateName');
    }
  }
  return name;
}

/** Builds the contact group routes. */
export function groupRoutes(env: FakeEnvironment): Route[] {
  const { store, paging } = env;
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/contactGroups$/,
      op: 'contactGroups.list',
      scopes: contactScopes,
      quota: 'read',
      handle: ({ query, user }) => {
        const fields = groupFieldsOf(query.get('groupFields'));
        const pageSize = pageSizeOf(query.get('pageSize'), 30);
        const page = paging.page({
          user: user.email,
          collection: 'contactGroups',
          map: user.groups,
          paramsKey: JSON.stringify([[...fields].sort(), pageSize]),
          pageSize,
          pageToken: query.get('pageToken'),
          syncToken: query.get('syncToken'),
          requestSyncToken: false,
          alwaysSyncToken: true,
          currentSeq: user.seq,
        });
        return {
          json: proto3({
            contactGroups: page.items.map((group) => renderGroup(user, group, fields)),
            totalItems: page.totalItems,
            nextPageToken: page.nextPageToken,
            nextSyncToken: page.nextSyncToken,
          }),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/contactGroups:batchGet$/,
      op: 'contactGroups.batchGet',
      scopes: contactScopes,
      quota: 'read',
      handle: ({ query, user }) => {
        const names = query.getAll('resourceNames');
        if (names.length === 0) throw invalidArgument('resourceNames must not be empty.');
        if (names.length > batchGetLimit)
          throw invalidArgument(`resourceNames must have at most ${batchGetLimit} entries.`);
        const fields = groupFieldsOf(query.get('groupFields'));
        const maxMembers = Number(query.get('maxMembers') ?? 0);
        return {
          json: proto3({
            responses: names.map((name) => {
              const group = user.groups.get(name);
              if (!group || group.deleted)
                return { requestedResourceName: name, status: { code: 5, message: 'Not found' } };
              return {
                requestedResourceName: name,
                contactGroup: renderGroup(user, group, fields, maxMembers),
                status: {},
              };
            }),
          }),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/(contactGroups\/[^/:]+)$/,
      op: 'contactGroups.get',
      scopes: contactScopes,
      quota: 'read',
      handle: ({ query, user }, match) => {
        const maxMembers = Number(query.get('maxMembers') ?? 0);
        return {
          json: renderGroup(
            user,
            groupOf(user, match[1]),
            groupFieldsOf(query.get('groupFields')),
            maxMembers,
          ),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/contactGroups$/,
      op: 'contactGroups.create',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ body, user }) => {
        const input = (body.contactGroup ?? {}) as { name?: unknown; clientData?: unknown[] };
        const name = checkName(user, input.name);
        const id = randomBytes(8).toString('hex');
        const group: GroupRecord = {
          id,
          resourceName: `contactGroups/${id}`,
          name,
          kind: 'user',
          etagVersion: 0,
          seq: 0,
          updateTime: store.now(),
          deleted: false,
          clientData: input.clientData as GroupRecord['clientData'],
        };
        user.groups.set(group.resourceName, group);
        store.touchGroup(user, group);
        return { json: renderGroup(user, group, groupFieldsOf(body.readGroupFields as string | undefined)) };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/v1\/(contactGroups\/[^/:]+)$/,
      op: 'contactGroups.update',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ body, user }, match) => {
        const group = groupOf(user, match[1]);
        if (group.kind !== 'user') throw failedPrecondition('System contact groups cannot be changed.');
        const input = (body.contactGroup ?? {}) as { name?: unknown; etag?: string; clientData?: unknown[] };
        if (input.etag && input.etag !== etagOf(group.id, group.etagVersion)) {
          throw failedPrecondition(
            'Request contactGroup.etag is different than the current contactGroup.etag.',
          );
        }
        const updateFields =
          typeof body.updateGroupFields === 'string' ? body.updateGroupFields.split(',') : ['name'];
        if (updateFields.includes('name')) group.name = checkName(user, input.name, group);
        if (updateFields.includes('clientData'))
          group.clientData = input.clientData as GroupRecord['clientData'];
        store.touchGroup(user, group);
        return { json: renderGroup(user, group, groupFieldsOf(body.readGroupFields as string | undefined)) };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/(contactGroups\/[^/:]+)$/,
      op: 'contactGroups.delete',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ query, user }, match) => {
        const group = groupOf(user, match[1]);
        if (group.kind !== 'user') throw failedPrecondition('System contact groups cannot be deleted.');
        const deleteContacts = query.get('deleteContacts') === 'true';
        for (const name of members(user, group)) {
          const record = user.persons.get(name);
          if (!record) continue;
          if (deleteContacts) {
            record.deleted = true;
          } else {
            const left = groupNamesOf(record).filter((other) => other !== group.resourceName);
            // The fake's choice: a contact never drops to zero groups, so it falls back to My Contacts.
            record.fields.memberships = (left.length ? left : ['contactGroups/myContacts']).map(
              membershipItem,
            );
          }
          store.touchPerson(user, record);
        }
        group.deleted = true;
        store.touchGroup(user, group);
        return { json: {} };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/(contactGroups\/[^/:]+)\/members:modify$/,
      op: 'contactGroups.members.modify',
      scopes: contactWriteScopes,
      quota: 'write',
      handle: ({ body, user }, match) => {
        const group = groupOf(user, match[1]);
        const add = (body.resourceNamesToAdd ?? []) as string[];
        const remove = (body.resourceNamesToRemove ?? []) as string[];
        if (add.length + remove.length > modifyLimit) {
          throw invalidArgument(
            `At most ${modifyLimit} resource names may be added and removed per request.`,
          );
        }
        if (add.length && group.kind === 'deprecated') {
          throw failedPrecondition('Cannot add contacts to a deprecated system contact group.');
        }
        const notFoundResourceNames: string[] = [];
        const canNotRemoveLastContactGroupResourceNames: string[] = [];
        for (const name of add) {
          const record = user.persons.get(name);
          if (!record || record.deleted) {
            notFoundResourceNames.push(name);
            continue;
          }
          const groups = groupNamesOf(record);
          if (groups.includes(group.resourceName)) continue;
          record.fields.memberships = [...groups, group.resourceName].map(membershipItem);
          store.touchPerson(user, record);
        }
        for (const name of remove) {
          const record = user.persons.get(name);
          if (!record || record.deleted) {
            notFoundResourceNames.push(name);
            continue;
          }
          const groups = groupNamesOf(record);
          if (!groups.includes(group.resourceName)) continue;
          if (groups.length === 1) {
            canNotRemoveLastContactGroupResourceNames.push(name);
            continue;
          }
          record.fields.memberships = groups
            .filter((other) => other !== group.resourceName)
            .map(membershipItem);
          store.touchPerson(user, record);
        }
        return { json: proto3({ notFoundResourceNames, canNotRemoveLastContactGroupResourceNames }) };
      },
    },
  ];
}
