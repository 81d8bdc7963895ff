/**
 * CardDAV benchmark (issue 21): the app and vdirsyncer against the same Radicale, seeded through
 * its storage folder with 1,000 and 5,000 cards (10 % with photos). For each size, two rounds in
 * alternating order (app first, then vdirsyncer first), each from a fresh state: the first backup
 * vs vdirsyncer's first sync, and a no-change backup vs a no-change sync. Prints the ratios;
 * targets at 5,000: first backup <= 1/3 of vdirsyncer's first sync, no-change <= 1/10.
 * Run alone with `node --import tsx bench/carddav.ts`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createApp } from '../main/core/app';
import { connectAccount } from '../main/core/session/account-service';
import { enqueueBackup } from '../main/core/session/backup-service';
import { userKeyOf } from '../main/core/history/types';
import { writeVcard } from '../main/core/contacts/vcard-write';
import { generateContacts } from '../tests/support/generate-contacts';
import { startRadicale, type DavServer } from '../tests/support/dav-servers';

const run = promisify(execFile);

async function hasVdirsyncer(): Promise<boolean> {
  try {
    await run('vdirsyncer', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** The app: a fresh profile, connect, first backup, no-change backup (seconds). */
async function appRound(server: DavServer, base: string): Promise<{ first: number; noChange: number }> {
  const app = createApp({ home: await mkdtemp(join(base, 'app-')), host: 'cli', scheduler: false });
  const session = await app.createProfile('Bench', 'bench password 1');
  const account = await connectAccount(
    session,
    'carddav',
    { preset: 'other', server: server.url, user: server.user },
    server.password,
  );
  const userKey = userKeyOf(account.id, account.users[0].id);
  const timed = async () => {
    const started = performance.now();
    const job = enqueueBackup(session, { userKey }, 'user', true).job;
    const done = await session.jobs.wait(job.id);
    if (done.state !== 'succeeded') throw new Error(`backup ${done.state}: ${done.error?.message}`);
    return (performance.now() - started) / 1000;
  };
  const first = await timed();
  const noChange = await timed();
  await app.lock();
  return { first, noChange };
}

/** vdirsyncer: a fresh status and local folder, discover (untimed), first sync, no-change sync. */
async function vdirsyncerRound(
  server: DavServer,
  base: string,
): Promise<{ first: number; noChange: number }> {
  const dir = await mkdtemp(join(base, 'vdir-'));
  await mkdir(join(dir, 'local'), { recursive: true });
  const config = join(dir, 'config');
  await writeFile(
    config,
    [
      '[general]',
      `status_path = "${join(dir, 'status')}/"`,
      '[pair contacts]',
      'a = "remote"',
      'b = "local"',
      'collections = ["from a"]',
      '[storage remote]',
      'type = "carddav"',
      `url = "${server.url}/"`,
      `username = "${server.user}"`,
      `password = "${server.password}"`,
      '[storage local]',
      'type = "filesystem"',
      `path = "${join(dir, 'local')}/"`,
      'fileext = ".vcf"',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn('vdirsyncer', ['-c', config, 'discover', 'contacts'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.stdin.end('y\ny\ny\ny\n');
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vdirsyncer discover exited ${code}`)),
    );
  });
  const timed = async () => {
    const started = performance.now();
    await run('vdirsyncer', ['-c', config, 'sync'], { maxBuffer: 64 * 1024 * 1024 });
    return (performance.now() - started) / 1000;
  };
  const first = await timed();
  const noChange = await timed();
  return { first, noChange };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export async function benchCardDav(sizes: readonly number[] = [1000, 5000]): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  const withVdirsyncer = await hasVdirsyncer();
  for (const size of sizes) {
    const base = await mkdtemp(join(tmpdir(), 'cb-bench-carddav-'));
    const server = await startRadicale(join(base, 'radicale'));
    try {
      await server.addBook('contacts', 'Contacts');
      const people = generateContacts(size, { seed: 7, photoShare: 0.1 });
      await server.seed(
        'contacts',
        people.map((person) => ({
          name: `${person.uid}.vcf`,
          text: writeVcard(person.contact, {
            version: '3.0',
            uid: person.uid,
            ...(person.photo ? { photo: person.photo } : {}),
          }),
        })),
      );
      // One listing so Radicale's item cache is built before either client is timed.
      await fetch(server.bookUrl('contacts'), {
        method: 'PROPFIND',
        headers: {
          Depth: '1',
          Authorization: `Basic ${Buffer.from(`${server.user}:${server.password}`).toString('base64')}`,
        },
      }).then((response) => response.text());
      const app: { first: number; noChange: number }[] = [];
      const vdir: { first: number; noChange: number }[] = [];
      for (const order of [
        ['app', 'vdir'],
        ['vdir', 'app'],
      ] as const) {
        for (const who of order) {
          if (who === 'app') app.push(await appRound(server, base));
          else if (withVdirsyncer) vdir.push(await vdirsyncerRound(server, base));
        }
      }
      const best = (rows: { first: number; noChange: number }[], key: 'first' | 'noChange') =>
        Math.min(...rows.map((row) => row[key]));
      result[`app_first_backup_s_${size}`] = round3(best(app, 'first'));
      result[`app_no_change_s_${size}`] = round3(best(app, 'noChange'));
      if (vdir.length) {
        result[`vdirsyncer_first_sync_s_${size}`] = round3(best(vdir, 'first'));
        result[`vdirsyncer_no_change_s_${size}`] = round3(best(vdir, 'noChange'));
        result[`ratio_first_${size}`] = round3(best(app, 'first') / best(vdir, 'first'));
        result[`ratio_no_change_${size}`] = round3(best(app, 'noChange') / best(vdir, 'noChange'));
      }
      process.stderr.write(`carddav ${size}: ${JSON.stringify({ app, vdir })}\n`);
    } finally {
      await server.stop();
      await rm(base, { recursive: true, force: true });
    }
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  console.log(await benchCardDav(sizes.length ? sizes : undefined));
}
