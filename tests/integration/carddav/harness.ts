/**
 * A real CardDAV server (Radicale or Xandikos) seeded with generated cards, and an unlocked app
 * with that server connected as a CardDAV account through the registry's form connect.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { createApp, type AppCore } from '../../../main/core/app';
import type { ProfileSession } from '../../../main/core/session/profile-session';
import { connectAccount } from '../../../main/core/session/account-service';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { enqueueRestore } from '../../../main/core/session/restore-service';
import type { RestoreReport } from '../../../main/core/restore/restore-engine';
import { userKeyOf } from '../../../main/core/history/types';
import { writeVcard } from '../../../main/core/contacts/vcard-write';
import { generateContacts, type GeneratedContact } from '../../support/generate-contacts';
import { startRadicale, startXandikos, type DavServer } from '../../support/dav-servers';
import { tempDir } from '../../support/temp-dir';

export type ServerKind = 'radicale' | 'xandikos';

/** The default book each server starts with (Radicale's is created by the helper). */
export const MAIN_BOOK: Record<ServerKind, string> = { radicale: 'contacts', xandikos: 'addressbook' };

export async function startServer(kind: ServerKind): Promise<DavServer> {
  const dir = await tempDir(`cb-${kind}-`);
  if (kind === 'xandikos') return startXandikos(dir);
  const server = await startRadicale(dir);
  await server.addBook(MAIN_BOOK.radicale, 'Contacts');
  return server;
}

/** A card file for a generated contact (vCard 4.0 with UID and inline photo). */
export function cardOf(generated: GeneratedContact): { name: string; text: string } {
  return {
    name: `${generated.uid}.vcf`,
    text: writeVcard(generated.contact, {
      version: '4.0',
      uid: generated.uid,
      ...(generated.photo ? { photo: generated.photo } : {}),
    }),
  };
}

export function generated(count: number, seed: number): GeneratedContact[] {
  return generateContacts(count, { seed, photoShare: 0.3 });
}

export interface Connected {
  readonly app: AppCore;
  readonly session: ProfileSession;
  readonly accountId: string;
  readonly userKey: string;
}

export async function connect(server: DavServer): Promise<Connected> {
  const home = await tempDir();
  const app = createApp({ home, host: 'cli', scheduler: false });
  const session = await app.createProfile('Tester', 'test password 1');
  const account = await connectAccount(
    session,
    'carddav',
    { preset: 'other', server: server.url, user: server.user },
    server.password,
  );
  return { app, session, accountId: account.id, userKey: userKeyOf(account.id, account.users[0].id) };
}

export async function backup(connected: Connected) {
  const job = enqueueBackup(connected.session, { userKey: connected.userKey }, 'user', true).job;
  const done = await connected.session.jobs.wait(job.id);
  if (done.state !== 'succeeded') throw new Error(`backup ${done.state}: ${done.error?.message}`);
  return done.result as { counts: Record<string, number>; full: boolean };
}

export async function restore(
  connected: Connected,
  request: Omit<Parameters<typeof enqueueRestore>[1], 'userKey'>,
) {
  const job = enqueueRestore(connected.session, { userKey: connected.userKey, ...request }, 'user');
  const done = await connected.session.jobs.wait(job.id);
  if (done.state !== 'succeeded') throw new Error(`restore ${done.state}: ${done.error?.message}`);
  return done.result as RestoreReport;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function expectCounts(result: { counts: Record<string, number> }, counts: Record<string, number>) {
  expect(result.counts).toMatchObject(counts);
}
