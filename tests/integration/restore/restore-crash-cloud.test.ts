/**
 * Restores into the Google and Microsoft fakes killed with SIGKILL at several points (the process
 * kills itself as the target reports its N-th written contact, i.e. after the service took the
 * writes but before the journal recorded them, the hardest case), plus one kill at a random
 * moment, then resumed with `tasks resume`: every contact is at the fake exactly once. The resume
 * finds what the killed attempt wrote by its restore id (Google clientData, a Graph extended
 * property), as the real services keep them.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import type { Mailbox } from '../../fakes/graph/mailbox';
import { googleRedirectBrowser, microsoftBrowser, runCliWithSignIn } from '../../support/fake-browser';
import { runCli, runCliJson, startCli } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const KILL = 'CONTACTS_BACKUP_TEST_RESTORE_KILL_AFTER';
const COUNT = 250;

/** Runs `restore --all --mode overwrite` killed at `point` (a number of writes, or 'random'), then resumes it. */
async function killAndResume(home: string, point: number | 'random'): Promise<void> {
  const args = ['restore', '--all', '--mode', 'overwrite'];
  if (point === 'random') {
    const child = startCli(home, args);
    child.stdin!.end();
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    await Promise.race([
      closed,
      new Promise<void>((resolve) => {
        let seen = '';
        child.stderr!.on('data', (chunk) => {
          seen += chunk;
          if (seen.includes('Restoring contacts')) resolve();
        });
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300)));
    child.kill('SIGKILL');
    await closed;
  } else {
    const killed = await runCli(home, args, { [KILL]: String(point) });
    expect(killed.code, killed.stderr).toBeNull();
  }
  const tasks = await runCliJson<{ id: string; kind: string; state: string }[]>(home, ['tasks']);
  const open = tasks.find((task) => task.kind === 'restore' && task.state === 'interrupted');
  // A random kill may land after the job finished: then there is nothing to resume.
  if (!open) {
    expect(point).toBe('random');
    return;
  }
  const resumed = await runCli(home, ['tasks', 'resume', open.id]);
  expect(resumed.code, resumed.stderr).toBe(0);
}

function expectOnce(emails: string[]): void {
  expect(emails).toHaveLength(COUNT);
  expect(new Set(emails).size).toBe(COUNT);
}

describe('restore into the Google fake, killed and resumed', () => {
  const EMAIL = 'ada@example.com';
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser(EMAIL, { name: 'Ada Lovelace' });
    fake.setBrowserUser(EMAIL);
  });
  afterEach(async () => fake.close());

  it('has every contact exactly once after each kill and resume', async () => {
    for (let index = 0; index < COUNT; index += 1) {
      fake.addContact(EMAIL, {
        names: [{ givenName: `Bulk${index}`, familyName: 'Contact' }],
        emailAddresses: [{ value: `bulk${index}@example.org` }],
      });
    }
    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    const { endpoints } = fake;
    const added = await runCliWithSignIn(
      home,
      [
        'account',
        'add',
        'google',
        '--client-id',
        'crash.apps.googleusercontent.com',
        '--root-url',
        endpoints.rootUrl,
        '--auth-url',
        endpoints.authUrl,
        '--token-url',
        endpoints.tokenUrl,
        '--no-browser',
      ],
      googleRedirectBrowser(),
      // Never a command-line argument (issue 18): the client secret comes from the environment.
      { CONTACTS_BACKUP_CLIENT_SECRET: 'not-so-secret' },
    );
    expect(added.code, added.stderr).toBe(0);
    expect((await runCli(home, ['backup'])).code).toBe(0);
    const emails = () =>
      fake
        .contactNames(EMAIL)
        .map((name) => (fake.contact(EMAIL, name)!.emailAddresses as { value: string }[])[0].value);
    for (const point of [1, 150, COUNT, 'random'] as const) {
      for (const name of fake.contactNames(EMAIL)) fake.deleteContact(EMAIL, name);
      await killAndResume(home, point);
      expectOnce(emails());
    }
  }, 300_000);
});

describe('restore into the Microsoft fake, killed and resumed', () => {
  const EMAIL = 'ada@outlook.com';
  const CLIENT_ID = '0b5e7c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d';
  let fake: FakeMicrosoft;
  let mailbox: Mailbox;
  beforeEach(async () => {
    fake = await startFakeMicrosoft();
    fake.registerApp(CLIENT_ID);
    mailbox = fake.addMailbox(EMAIL, { displayName: 'Ada Lovelace' });
    fake.state.signInEmail = EMAIL;
  });
  afterEach(async () => fake.close());

  it('has every contact exactly once after each kill and resume', async () => {
    for (let index = 0; index < COUNT; index += 1) {
      fake.addContact(mailbox, {
        givenName: `Bulk${index}`,
        surname: 'Contact',
        emailAddresses: [{ address: `bulk${index}@example.org`, name: `Bulk${index}` }],
      });
    }
    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    const caFile = join(home, 'fake-ca.pem');
    await writeFile(caFile, fake.caPem);
    const added = await runCliWithSignIn(
      home,
      [
        'account',
        'add',
        'microsoft',
        '--client-id',
        CLIENT_ID,
        '--authority',
        `${fake.identityOrigin}/common`,
        '--graph-url',
        fake.graphBaseUrl,
        '--ca-file',
        caFile,
        '--no-browser',
      ],
      microsoftBrowser(fake),
    );
    expect(added.code, added.stderr).toBe(0);
    expect((await runCli(home, ['backup'])).code).toBe(0);
    const emails = () =>
      [...mailbox.contacts.values()].map(
        (contact) => (contact.props.emailAddresses as { address: string }[])[0].address,
      );
    for (const point of [1, 120, COUNT, 'random'] as const) {
      for (const id of [...mailbox.contacts.keys()]) mailbox.deleteContact(id);
      await killAndResume(home, point);
      expectOnce(emails());
    }
  }, 300_000);
});
