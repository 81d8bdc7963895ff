import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli';
import { REPO_ROOT } from '../../support/repo-paths';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

describe('contacts-backup --version and diagnostics', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { version: string };
    const result = await runCli(await tempDir(), ['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('reports versions and the backup’s log lines without the password or any contact data', async () => {
    const home = await tempDir();
    await runCli(home, ['init']);
    await runCli(home, ['account', 'add', 'sample']);
    expect((await runCli(home, ['backup'])).code).toBe(0);
    const result = await runCli(home, ['diagnostics'], { CONTACTS_BACKUP_PASSWORD: '' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Contacts Backup diagnostic report\n/);
    expect(result.stdout).toMatch(/Version: .* \(cli\)/);
    expect(result.stdout).toMatch(/Profiles: 1/);
    expect(result.stdout).toMatch(/"msg":"Job backup succeeded"/);
    expect(result.stdout).not.toContain('test password 1');
    expect(result.stdout).not.toMatch(/@/);
  });
});
