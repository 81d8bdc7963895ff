/**
 * The fake's data: users, their contacts, contact groups and photos, a change sequence per user and
 * the fake clock. Route handlers and the test API both work on this, so a change made "at the
 * source" by a test looks exactly like one made through the API.
 */
import { createHash, randomBytes } from 'node:crypto';

/** One stored photo; a new upload gets a new id, hence a new URL. */
export interface StoredPhoto {
  readonly id: string;
  readonly bytes: Buffer;
  readonly mediaType: string;
}

/** A field item as stored, without the per-item metadata Google adds on output. */
export type FieldItem = Record<string, unknown>;

/** A contact (or an "other contact") as the fake keeps it. */
export interface PersonRecord {
  id: string;
  resourceName: string;
  etagVersion: number;
  /** Position in the user's change sequence; higher means changed later. */
  seq: number;
  updateTime: number;
  fields: Record<string, FieldItem[]>;
  photo?: StoredPhoto;
  previousResourceNames: string[];
  deleted: boolean;
  /**
   * The Google profile this contact is linked to: its items are rendered with source PROFILE or
   * DOMAIN_PROFILE beside the contact's own (providers.md 1.4) and are never contact data.
   */
  linkedProfile?: {
    type: 'PROFILE' | 'DOMAIN_PROFILE';
    id: string;
    fields: Record<string, FieldItem[]>;
    photoUrl?: string;
  };
}

/** A contact group. `kind` tells user groups from active and deprecated system groups. */
export interface GroupRecord {
  id: string;
  resourceName: string;
  name: string;
  kind: 'user' | 'system' | 'deprecated';
  etagVersion: number;
  seq: number;
  updateTime: number;
  deleted: boolean;
  clientData?: FieldItem[];
}

/** One Google user (a personal account, or a Workspace user of the fake's domain). */
export interface FakeUser {
  readonly email: string;
  readonly id: string;
  name: string;
  suspended: boolean;
  admin: boolean;
  /** Contacts by resource name, kept in change order (a write moves a record to the end). */
  readonly persons: Map<string, PersonRecord>;
  readonly others: Map<string, PersonRecord>;
  readonly groups: Map<string, GroupRecord>;
  seq: number;
  /** Photos by id, including replaced ones (old URLs keep working for a while at Google too). */
  readonly photos: Map<string, StoredPhoto>;
}

const systemGroups: readonly { id: string; name: string; kind: 'system' | 'deprecated' }[] = [
  { id: 'myContacts', name: 'myContacts', kind: 'system' },
  { id: 'starred', name: 'starred', kind: 'system' },
  { id: 'friends', name: 'friends', kind: 'deprecated' },
  { id: 'family', name: 'family', kind: 'deprecated' },
  { id: 'coworkers', name: 'coworkers', kind: 'deprecated' },
  { id: 'chatBuddies', name: 'chatBuddies', kind: 'deprecated' },
  { id: 'all', name: 'all', kind: 'deprecated' },
  { id: 'blocked', name: 'blocked', kind: 'deprecated' },
];

/** A controllable clock, in milliseconds. */
export interface FakeClockState {
  now: number;
}

/** Holds every user; hands out ids that look like Google's and never repeat. */
export class FakeStore {
  readonly users = new Map<string, FakeUser>();
  private counter = BigInt(1_000_000_000_000) * BigInt(1 + Math.floor(Math.random() * 8000));
  constructor(readonly clock: FakeClockState) {}

  now(): number {
    return this.clock.now;
  }

  /** An id such as `c8123456789012345`; random start so nothing depends on fixed numbers. */
  nextId(prefix: string): string {
    this.counter += BigInt(1 + Math.floor(Math.random() * 7));
    return `${prefix}${this.counter.toString()}`;
  }

  addUser(email: string, name: string): FakeUser {
    const key = email.toLowerCase();
    if (this.users.has(key)) throw new Error(`fake: user ${email} exists`);
    const user: FakeUser = {
      email: key,
      id: this.nextId('1'),
      name,
      suspended: false,
      admin: false,
      persons: new Map(),
      others: new Map(),
      groups: new Map(),
      seq: 0,
      photos: new Map(),
    };
    for (const group of systemGroups) {
      const resourceName = `contactGroups/${group.id}`;
      user.groups.set(resourceName, {
        id: group.id,
        resourceName,
        name: group.name,
        kind: group.kind,
        etagVersion: 1,
        seq: 0,
        updateTime: this.now(),
        deleted: false,
      });
    }
    this.users.set(key, user);
    return user;
  }

  user(email: string): FakeUser {
    const user = this.users.get(email.toLowerCase());
    if (!user) throw new Error(`fake: no user ${email}`);
    return user;
  }

  /** Marks a person as written: new etag, new place at the end of the change order. */
  touchPerson(
    user: FakeUser,
    record: PersonRecord,
    collection: Map<string, PersonRecord> = user.persons,
  ): void {
    record.etagVersion += 1;
    record.seq = ++user.seq;
    record.updateTime = this.now();
    collection.delete(record.resourceName);
    collection.set(record.resourceName, record);
  }

  touchGroup(user: FakeUser, group: GroupRecord): void {
    group.etagVersion += 1;
    group.seq = ++user.seq;
    group.updateTime = this.now();
  }

  newPerson(user: FakeUser, prefix: 'people/c' | 'otherContacts/c'): PersonRecord {
    const id = this.nextId('c');
    return {
      id,
      resourceName: `${prefix.slice(0, -1)}${id}`,
      etagVersion: 0,
      seq: 0,
      updateTime: this.now(),
      fields: {},
      previousResourceNames: [],
      deleted: false,
    };
  }

  storePhoto(user: FakeUser, bytes: Buffer, mediaType: string): StoredPhoto {
    const photo = { id: randomBytes(12).toString('base64url'), bytes, mediaType };
    user.photos.set(photo.id, photo);
    return photo;
  }
}

/** An etag that changes with every version of the entity. */
export function etagOf(id: string, version: number): string {
  return `%Eg${createHash('sha256').update(`${id}:${version}`).digest('base64url').slice(0, 18)}`;
}

/** Opaque random tokens (page tokens, sync tokens, codes, access tokens). */
export function opaqueToken(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
