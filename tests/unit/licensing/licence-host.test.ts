import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { licenceOverrideAllowed } from '../../../main/core/session/licence-state';
import { Profiles } from '../../../main/core/vault/profiles';
import {
  DEFAULT_PROFILE_FILE,
  chooseProfile,
  defaultProfile,
  setDefaultProfile,
} from '../../../main/cli/default-profile';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

describe('licenceOverrideAllowed', () => {
  it('honours the test public key in test builds except the packaged desktop app', () => {
    const test = { NODE_ENV: 'test' };
    const packaged = { ...test, CONTACTS_BACKUP_PACKAGED: '1' };
    expect(licenceOverrideAllowed('electron', test)).toBe(true);
    expect(licenceOverrideAllowed('cli', test)).toBe(true);
    expect(licenceOverrideAllowed('web', test)).toBe(true);
    expect(licenceOverrideAllowed('electron', packaged)).toBe(false);
    // A session whose host was never registered is treated as the desktop app.
    expect(licenceOverrideAllowed(undefined, packaged)).toBe(false);
    expect(licenceOverrideAllowed('cli', packaged)).toBe(true);
  });

  it('refuses the test public key outside a test build (issue 18 item 7)', () => {
    for (const host of ['electron', 'cli', 'web'] as const) {
      expect(licenceOverrideAllowed(host, {})).toBe(false);
      expect(licenceOverrideAllowed(host, { NODE_ENV: 'production' })).toBe(false);
    }
  });
});

describe('CLI default profile', () => {
  it('remembers the switched profile by id, ignores a stale or damaged file, and falls back', async () => {
    const home = await tempDir();
    const profiles = new Profiles(home);
    expect(await defaultProfile(profiles)).toBeUndefined();
    const { profile: alice } = await profiles.create('Alice', 'alice password 1');
    expect((await chooseProfile(profiles, undefined)).id).toBe(alice.id);
    const { profile: bob } = await profiles.create('Bob', 'bob password 12');
    await expect(chooseProfile(profiles, undefined)).rejects.toThrow(/2 profiles; choose one/);

    expect((await setDefaultProfile(profiles, 'bob')).id).toBe(bob.id);
    expect(await defaultProfile(profiles)).toBe(bob.id);
    expect((await chooseProfile(profiles, undefined)).id).toBe(bob.id);
    expect((await chooseProfile(profiles, 'Alice')).id).toBe(alice.id);
    await expect(setDefaultProfile(profiles, 'Carol')).rejects.toThrow(/no profile "Carol"/);
    expect(await defaultProfile(profiles)).toBe(bob.id);

    await writeFile(join(home, DEFAULT_PROFILE_FILE), '{"version":1,"profileId":"gone"}');
    expect(await defaultProfile(profiles)).toBeUndefined();
    await writeFile(join(home, DEFAULT_PROFILE_FILE), 'not json');
    expect(await defaultProfile(profiles)).toBeUndefined();
  });
});
