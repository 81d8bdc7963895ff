/**
 * Contact groups as folders. `myContacts` and `starred` are the system folders 'default' and
 * 'starred'; the deprecated system groups (friends, family, ...) only allow removal, so they are not
 * offered as folders. "Other contacts" get a synthetic folder of their own (product.md B12).
 */
import type { people_v1 } from '@googleapis/people';
import type { ContactFolder } from '../../contacts/model';
import type { WorkContext } from '../provider';
import type { UserApi } from './google-api';

export type ContactGroup = people_v1.Schema$ContactGroup;

/** The folder "Other contacts" are kept in; no Google group has this id. */
export const otherContactsFolder: ContactFolder = { id: 'otherContacts', name: 'Other contacts' };

export const myContactsGroup = 'contactGroups/myContacts';
const starredGroup = 'contactGroups/starred';

/** All live contact groups of the user (every page). */
export async function listGroups(api: UserApi, context: WorkContext): Promise<ContactGroup[]> {
  const groups: ContactGroup[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const data = await api.call(
      'contactGroups.list',
      (options) =>
        api.people.contactGroups.list(
          { pageSize: 1000, pageToken: token, groupFields: 'name,groupType,metadata' },
          options,
        ),
      context,
    );
    groups.push(...(data.contactGroups ?? []).filter((group) => !group.metadata?.deleted));
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return groups;
}

/** The folder a group stands for, or undefined for groups that are not folders. */
export function groupToFolder(group: ContactGroup): ContactFolder | undefined {
  const id = group.resourceName;
  if (!id || group.metadata?.deleted) return undefined;
  if (id === myContactsGroup) return { id, name: group.formattedName ?? 'My Contacts', system: 'default' };
  if (id === starredGroup) return { id, name: group.formattedName ?? 'Starred', system: 'starred' };
  if (group.groupType === 'SYSTEM_CONTACT_GROUP') return undefined;
  return { id, name: group.name ?? group.formattedName ?? id };
}

/** Folders of the user's groups, system folders first. */
export function foldersOf(groups: readonly ContactGroup[]): ContactFolder[] {
  const folders = groups.flatMap((group) => {
    const folder = groupToFolder(group);
    return folder ? [folder] : [];
  });
  return [...folders.filter((folder) => folder.system), ...folders.filter((folder) => !folder.system)];
}
