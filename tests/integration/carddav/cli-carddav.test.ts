import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../support/run-cli';
import type { DavServer } from '../../support/dav-servers';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { cardOf, generated, startServer } from './harness';

let server: DavServer;
beforeAll(async () => {
  server = await startServer('radicale');
  await server.seed('contacts', generated(8, 31).map(cardOf));
});
afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

describe('contacts-backup account add carddav', () => {
  it('takes the app password from standard input or the environment, never from an argument', async () => {
    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    const help = await runCli(home, ['account', 'add', '--help']);
    expect(help.stdout).toMatch(/carddav/);

    const wrong = await runCli(
      home,
      ['account', 'add', 'carddav', '--server', server.url, '--user', server.user, '--secret-stdin'],
      {},
      'not the password\n',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/refused the user name or password/);

    const added = await runCli(
      home,
      ['account', 'add', 'carddav', '--server', server.url, '--user', server.user],
      { CONTACTS_BACKUP_CLIENT_SECRET: server.password },
    );
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/Added account \S+ \(alice \(127\.0\.0\.1:\d+\)\) with 1 user/);
    const backup = await runCli(home, ['backup']);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/8 added/);
    const accounts = await runCliJson<{ kind: string; kindName: string }[]>(home, ['account', 'list']);
    expect(accounts).toMatchObject([{ kind: 'carddav', kindName: expect.stringMatching(/^CardDAV/) }]);
  });
});
