/** `licence show|install`, `users list|disable|enable`, `profile switch|lock` through the real bin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LicenceView } from '../../../main/core/contract/contract-types';
import { runCli, runCliJson } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { TEST_PUBLIC_KEY_PATH, licenceKey, useTestLicenceKey } from './harness';

beforeAll(useTestLicenceKey);
afterAll(removeTempDirs);

const env = { CONTACTS_BACKUP_LICENCE_PUBLIC_KEY: TEST_PUBLIC_KEY_PATH };

describe('licence and users commands', () => {
  it('installs and shows a licence, refuses a tampered key, and switches the default profile', async () => {
    const home = await tempDir();
    expect((await runCli(home, ['init', '--name', 'Alice'], env)).code).toBe(0);
    expect((await runCli(home, ['account', 'add', 'sample'], env)).code).toBe(0);

    const none = await runCliJson<LicenceView>(home, ['licence', 'show'], env);
    expect(none).toMatchObject({ edition: 'personal', state: 'none', seats: 0 });

    const keyFile = join(home, 'key.txt');
    const key = licenceKey({ seats: 5, licensee: 'Acme Ltd' });
    await writeFile(keyFile, `${key.slice(0, 30)}\n${key.slice(30)}\n`);
    const installed = await runCli(home, ['licence', 'install', keyFile], env);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toMatch(
      /Licence installed\.[\s\S]*Edition:\s+business[\s\S]*0 used, 5 free of 5/,
    );

    const [prefix, keyId, payload, signature] = key.split('.');
    const flipped = payload.slice(0, -2) + (payload.at(-2) === 'A' ? 'B' : 'A') + payload.at(-1);
    await writeFile(keyFile, [prefix, keyId, flipped, signature].join('.'));
    const refused = await runCli(home, ['licence', 'install', keyFile], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/changed since it was issued|not a Contacts Backup licence key/);
    expect(await runCliJson<LicenceView>(home, ['licence', 'show'], env)).toMatchObject({
      state: 'valid',
      licensee: 'Acme Ltd',
      seats: 5,
    });

    const list = await runCli(home, ['users', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/ENABLED/);
    expect((await runCli(home, ['users', 'disable', '--all'], env)).code).toBe(0);
    const accounts = await runCliJson<{ users: { enabled: boolean; blockedReason?: string }[] }[]>(
      home,
      ['users', 'list'],
      env,
    );
    expect(
      accounts[0].users.every((user) => !user.enabled && /not enabled/.test(user.blockedReason ?? '')),
    ).toBe(true);
    expect((await runCli(home, ['users', 'enable', '--all'], env)).code).toBe(0);

    // Two profiles: commands need --profile until one is chosen with `profile switch`.
    expect((await runCli(home, ['profile', 'add', 'Bob'], env)).code).toBe(0);
    expect((await runCli(home, ['profile', 'switch', 'Bob'], env)).code).toBe(0);
    const locked = await runCli(home, ['profile', 'lock'], env);
    expect(locked.code).toBe(0);
    expect(locked.stdout).toMatch(/Profile "Bob" is locked/);
    expect((await runCli(home, ['profile', 'switch', 'Carol'], env)).code).toBe(1);
  });
});
