/**
 * An unlocked AppCore on a temporary data folder whose 'test' accounts are in-memory address books,
 * for restore, delete and job tests that need a writable source with switchable failures.
 */
import { createApp, type AppCore, type AppPorts } from '../../main/core/app';
import { addAccount } from '../../main/core/session/account-service';
import type { ProfileSession } from '../../main/core/session/profile-session';
import { userKeyOf } from '../../main/core/history/types';
import type { ContactProvider } from '../../main/core/providers/provider';
import { MemoryBook, memoryProvider } from './memory-provider';
import { tempDir } from './temp-dir';

export interface TestApp {
  readonly app: AppCore;
  readonly session: ProfileSession;
  readonly home: string;
  /** Adds an in-memory account (labels must be unique); returns its user key. */
  addBook(label: string, book?: MemoryBook, make?: (book: MemoryBook) => ContactProvider): Promise<string>;
}

export async function createTestApp(
  options: { clock?: { now(): Date }; scheduler?: AppPorts['scheduler'] } = {},
): Promise<TestApp> {
  const home = await tempDir();
  // Test accounts are found by label, which the test chooses before the account id exists.
  const providers = new Map<string, ContactProvider>();
  const app = createApp({
    home,
    host: 'cli',
    clock: options.clock,
    scheduler: options.scheduler,
    providerOverride: (account) => (account.kind === 'test' ? providers.get(account.label) : undefined),
  });
  const session = await app.createProfile('Tester', 'test password 1');
  return {
    app,
    session,
    home,
    async addBook(label, book = new MemoryBook(), make = memoryProvider) {
      providers.set(label, make(book));
      const account = await addAccount(session, 'test', label, {});
      return userKeyOf(account.id, account.users[0].id);
    },
  };
}
