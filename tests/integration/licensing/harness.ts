/**
 * Licensing tests' app: an AppCore on a temp folder with a movable clock, test licence keys signed
 * with tests/fixtures/licensing/test-private-key.pem, and in-memory accounts that are either a
 * person's own address book or a Workspace/tenant directory of several users (`mode` in settings).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp, type AppCore } from '../../../main/core/app';
import type { AccountRecord } from '../../../main/core/accounts/types';
import { emptyContact } from '../../../main/core/contacts/model';
import { signLicence, type Licence } from '../../../main/core/licensing/licence';
import { LICENCE_PUBLIC_KEY_ENV } from '../../../main/core/licensing/public-key';
import { addAccount } from '../../../main/core/session/account-service';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import type { ProfileSession } from '../../../main/core/session/profile-session';
import type { AccountUser, ContactProvider } from '../../../main/core/providers/provider';
import { userKeyOf } from '../../../main/core/history/types';
import { MemoryBook, memoryProvider } from '../../support/memory-provider';
import { tempDir } from '../../support/temp-dir';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/licensing/${name}`, import.meta.url));

export const TEST_PUBLIC_KEY_PATH = fixture('test-public-key.pem');
export const TEST_PRIVATE_KEY = readFileSync(fixture('test-private-key.pem'), 'utf8');

/** Makes every session of this test process verify keys with the test public key. */
export function useTestLicenceKey(): void {
  process.env[LICENCE_PUBLIC_KEY_ENV] = TEST_PUBLIC_KEY_PATH;
  delete process.env.CONTACTS_BACKUP_PACKAGED;
}

export const START = new Date('2026-11-25T09:00:00.000Z');
export const DAY = 86_400_000;

export function licence(overrides: Partial<Licence> = {}): Licence {
  return {
    product: 'contacts-backup',
    licensee: 'Acme Ltd',
    edition: 'business',
    seats: 3,
    issuedAt: START.toISOString(),
    expiresAt: new Date(START.getTime() + 365 * DAY).toISOString(),
    id: 'lic-test-0001',
    ...overrides,
  };
}

export function licenceKey(overrides: Partial<Licence> = {}, privateKey = TEST_PRIVATE_KEY): string {
  return signLicence(licence(overrides), privateKey);
}

/** A directory whose users can be added or suspended between refreshes; each user has a book. */
export class FakeDirectory {
  readonly users: AccountUser[] = [];
  readonly books = new Map<string, MemoryBook>();

  add(id: string, contacts = 2, active = true): this {
    this.users.push({ id, email: `${id}@acme.example`, displayName: id.toUpperCase(), active });
    const book = new MemoryBook();
    for (let index = 0; index < contacts; index += 1) {
      book.put(`${id}-c${index}`, {
        ...emptyContact(`${id} contact ${index}`),
        emails: [{ value: `${id}.friend${index}@example.org` }],
      });
    }
    this.books.set(id, book);
    return this;
  }

  provider(): ContactProvider {
    return {
      ...memoryProvider(new MemoryBook()),
      listUsers: async () => [...this.users],
      sync: (userId, cursor, sink, context) =>
        memoryProvider(this.books.get(userId)!).sync(userId, cursor, sink, context),
      fetchContacts: (userId, ids, context) =>
        memoryProvider(this.books.get(userId)!).fetchContacts(userId, ids, context),
      writer: (userId) => memoryProvider(this.books.get(userId)!).writer!(userId),
    };
  }
}

export interface LicensingApp {
  readonly app: AppCore;
  readonly home: string;
  readonly clock: { now(): Date; advance(ms: number): void; set(date: Date): void };
  session(): ProfileSession;
  /** A person's own in-memory address book (personal mode); returns its user key. */
  addOwnBook(label: string, book?: MemoryBook): Promise<string>;
  /** Any provider as an account in the given mode; returns the first user's key. */
  addProvider(label: string, provider: ContactProvider, mode?: string): Promise<string>;
  /** A Workspace domain (or tenant) listing the directory's users. */
  addDirectory(
    label: string,
    directory: FakeDirectory,
    mode?: 'workspace' | 'tenant',
  ): Promise<AccountRecord>;
}

/** An app with an unlocked profile "Tester" (password `test password 1`) unless `profile` is false. */
export async function createLicensingApp(
  options: { home?: string; profile?: string | false; password?: string } = {},
): Promise<LicensingApp> {
  const home = options.home;
  const folder = home ?? (await tempDir('cb-licence-'));
  let now = START.getTime();
  const clock = {
    now: () => new Date(now),
    advance: (ms: number) => void (now += ms),
    set: (date: Date) => void (now = date.getTime()),
  };
  const providers = new Map<string, ContactProvider>();
  const app = createApp({
    home: folder,
    host: 'cli',
    clock,
    providerOverride: (account) => (account.kind === 'test' ? providers.get(account.label) : undefined),
  });
  if (options.profile !== false) {
    await app.createProfile(options.profile ?? 'Tester', options.password ?? 'test password 1');
  }
  const session = () => app.requireSession();
  return {
    app,
    home: folder,
    clock,
    session,
    async addOwnBook(label, book = new MemoryBook()) {
      providers.set(label, memoryProvider(book));
      const account = await addAccount(session(), 'test', label, { mode: 'personal' });
      return userKeyOf(account.id, account.users[0].id);
    },
    async addProvider(label, provider, mode = 'personal') {
      providers.set(label, provider);
      const account = await addAccount(session(), 'test', label, { mode });
      return userKeyOf(account.id, account.users[0].id);
    },
    async addDirectory(label, directory, mode = 'workspace') {
      providers.set(label, directory.provider());
      return addAccount(session(), 'test', label, { mode });
    },
  };
}

/** Runs a backup of one user to the end and returns the finished job. */
export async function backUp(session: ProfileSession, userKey: string) {
  return session.jobs.wait(enqueueBackup(session, { userKey }, 'user', true).job.id);
}
