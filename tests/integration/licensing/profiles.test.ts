/**
 * Issue 9 §4: two profiles on one data folder, each with contacts backed up, cannot read each other's
 * contacts (every file of one is opaque to the other's key); lock after idle with a fake clock;
 * "remember me" is per profile.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ApiFailure } from '../../../main/core/contract/api-failure';
import { emptyContact } from '../../../main/core/contacts/model';
import { contactsList } from '../../../main/core/session/browse-service';
import { openBytes } from '../../../main/core/vault/sealed-file';
import { VaultError } from '../../../main/core/vault/errors';
import { memorySecretStore } from '../../../main/core/ports';
import {
  forgetRememberedKey,
  rememberedKeyName,
  startIdleLock,
  type IdleTimers,
} from '../../../main/core/session/idle-lock';
import { MemoryBook, memoryProvider } from '../../support/memory-provider';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { removeTempDirs } from '../../support/temp-dir';
import { backUp, createLicensingApp } from './harness';

afterAll(removeTempDirs);

const MINUTE = 60_000;

function book(...names: string[]): MemoryBook {
  const result = new MemoryBook();
  names.forEach((name, index) =>
    result.put(`c${index}`, {
      ...emptyContact(name),
      emails: [{ value: `${name.toLowerCase().replace(/\s+/g, '.')}@example.org` }],
    }),
  );
  return result;
}

async function filesUnder(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.tmp')) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, await readFile(path));
    }
  }
  return files;
}

/** The logical name a sealed db file was written under: its path below db/ without `.cbs`. */
function sealedName(vaultFolder: string, path: string): string {
  return relative(join(vaultFolder, 'db'), path)
    .split(sep)
    .join('/')
    .replace(/\.cbs$/, '');
}

describe('profiles on a shared desktop', () => {
  it('keeps two profiles on one data folder unreadable to each other, contacts and all', async () => {
    const test = await createLicensingApp({ profile: 'Alice', password: 'alice password 1' });
    const alice = test.session();
    const aliceKey = await test.addOwnBook('Alice book', book('Secret Aardvark', 'Hidden Heron'));
    expect((await backUp(alice, aliceKey)).state).toBe('succeeded');
    await alice.jobs.persistNow();
    const aliceFolder = alice.vault.folder;
    const aliceId = alice.profile.id;

    const bob = await test.app.createProfile('Bob', 'bob password 12');
    expect(test.app.session).toBe(bob);
    const bobKey = await test.addOwnBook('Bob book', book('Private Pelican'));
    expect((await backUp(bob, bobKey)).state).toBe('succeeded');
    await bob.jobs.persistNow();
    const bobFolder = bob.vault.folder;
    expect(aliceFolder).not.toBe(bobFolder);

    // Bob's session sees Bob's contacts only.
    expect(contactsList(bob, {}).items.map((item) => item.displayName)).toEqual(['Private Pelican']);
    const bobFileKey = Buffer.from(bob.vault.fileKey());

    // Every file of Alice's vault: no plain text, and opaque to Bob's keys.
    const aliceFiles = await filesUnder(aliceFolder);
    const sealedFiles = [...aliceFiles.keys()].filter((path) => path.endsWith('.cbs'));
    expect(sealedFiles.length).toBeGreaterThan(3);
    for (const [path, content] of aliceFiles) {
      for (const secret of ['Secret Aardvark', 'secret.aardvark@example.org', 'Hidden Heron', 'Alice book']) {
        expect(content.includes(Buffer.from(secret)), `${path} holds "${secret}"`).toBe(false);
      }
      if (path.endsWith('.cbs')) {
        expect(() => openBytes(bobFileKey, sealedName(aliceFolder, path), content)).toThrow(VaultError);
      }
    }
    // Bob's password does not open Alice's profile.
    await expect(test.app.unlock(aliceId, 'bob password 12')).rejects.toBeInstanceOf(ApiFailure);

    // Alice, with her password, reads every one of her files and only her contacts.
    const aliceAgain = await test.app.unlock('alice', 'alice password 1');
    const aliceFileKey = aliceAgain.vault.fileKey();
    for (const path of sealedFiles) {
      expect(() =>
        openBytes(aliceFileKey, sealedName(aliceFolder, path), aliceFiles.get(path)!),
      ).not.toThrow();
    }
    expect(
      contactsList(aliceAgain, {})
        .items.map((item) => item.displayName)
        .sort(),
    ).toEqual(['Hidden Heron', 'Secret Aardvark']);
    for (const [path, content] of await filesUnder(bobFolder)) {
      if (path.endsWith('.cbs')) {
        expect(() => openBytes(aliceFileKey, sealedName(bobFolder, path), content)).toThrow(VaultError);
      }
      expect(content.includes(Buffer.from('Private Pelican'))).toBe(false);
    }
  });

  it('forgets only the locked profile’s remembered key', async () => {
    const store = memorySecretStore();
    await store.set(rememberedKeyName('alice-id'), 'a-key');
    await store.set(rememberedKeyName('bob-id'), 'b-key');
    expect(await forgetRememberedKey(store, 'alice-id')).toBe(true);
    expect(await forgetRememberedKey(store, 'alice-id')).toBe(false);
    expect(await store.get(rememberedKeyName('alice-id'))).toBeUndefined();
    expect(await store.get(rememberedKeyName('bob-id'))).toBe('b-key');
  });
});

/** Timers driven by the test's clock: `advance` moves time and fires what came due. */
function fakeTimers(clock: { now(): Date; advance(ms: number): void }) {
  let pending: { id: number; due: number; callback: () => void }[] = [];
  let next = 1;
  const timers: IdleTimers = {
    setTimeout: (callback, ms) => {
      const id = next++;
      pending.push({ id, due: clock.now().getTime() + ms, callback });
      return id;
    },
    clearTimeout: (handle) => {
      pending = pending.filter((timer) => timer.id !== handle);
    },
  };
  const advance = async (ms: number) => {
    const end = clock.now().getTime() + ms;
    for (;;) {
      const due = pending.filter((timer) => timer.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!due) break;
      clock.advance(due.due - clock.now().getTime());
      pending = pending.filter((timer) => timer !== due);
      due.callback();
      // Let a lock started by the callback settle.
      await new Promise((resolve) => setImmediate(resolve));
    }
    clock.advance(end - clock.now().getTime());
  };
  return {
    timers,
    advance,
    get pending() {
      return pending.length;
    },
  };
}

describe('idle lock', () => {
  it('locks after the idle minutes of the setting, restarted by activity; 0 never locks', async () => {
    const test = await createLicensingApp();
    const timers = fakeTimers(test.clock);
    const locked: unknown[] = [];
    const idle = startIdleLock(test.app, {
      clock: test.clock,
      timers: timers.timers,
      onLocked: (error) => locked.push(error ?? 'locked'),
    });
    expect(test.app.session?.settings.get().idleLockMinutes ?? 15).toBe(15);

    await timers.advance(14 * MINUTE);
    expect(test.app.session).toBeDefined();
    idle.activity();
    await timers.advance(14 * MINUTE);
    expect(test.app.session).toBeDefined();
    await timers.advance(MINUTE + 1);
    expect(test.app.session).toBeUndefined();
    await vi.waitFor(() => expect(locked).toEqual(['locked']));
    expect(timers.pending).toBe(0);

    // Unlocking starts a new countdown; a shorter setting applies at the next check.
    const session = await test.app.unlock('Tester', 'test password 1');
    await session.settings.update((settings) => {
      settings.idleLockMinutes = 2;
    });
    idle.activity();
    await timers.advance(2 * MINUTE - 1);
    expect(test.app.session).toBe(session);
    await timers.advance(1);
    expect(test.app.session).toBeUndefined();

    const never = await test.app.unlock('Tester', 'test password 1');
    await never.settings.update((settings) => {
      settings.idleLockMinutes = 0;
    });
    idle.activity();
    await timers.advance(24 * 60 * MINUTE);
    expect(test.app.session).toBe(never);

    idle.stop();
    expect(timers.pending).toBe(0);
    await test.app.lock();
    await vi.waitFor(() => expect(locked).toEqual(['locked', 'locked']));
  });

  it('waits for running jobs before locking', async () => {
    const test = await createLicensingApp();
    const timers = fakeTimers(test.clock);
    const locks: unknown[] = [];
    const idle = startIdleLock(test.app, {
      clock: test.clock,
      timers: timers.timers,
      onLocked: (error) => locks.push(error ?? 'locked'),
    });
    const session = test.session();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = memoryProvider(book('Slow Sloth'));
    const userKey = await test.addProvider('Slow book', {
      ...slow,
      sync: async (userId, cursor, sink, context) => {
        await gate;
        return slow.sync(userId, cursor, sink, context);
      },
    });
    const { job } = enqueueBackup(session, { userKey }, 'user', true);
    await timers.advance(20 * MINUTE);
    expect(session.jobs.list().find((candidate) => candidate.id === job.id)?.state).toBe('running');
    expect(test.app.session).toBe(session);
    release();
    expect((await session.jobs.wait(job.id)).state).toBe('succeeded');
    await timers.advance(MINUTE);
    expect(test.app.session).toBeUndefined();
    await vi.waitFor(() => expect(locks).toEqual(['locked']));
    idle.stop();
  });
});
