/**
 * The licence public-key override (CONTACTS_BACKUP_LICENCE_PUBLIC_KEY) exists only in test builds
 * (issue 18 item 7): the CLI run outside a test runner and the release bundle both refuse it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runCli } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { TEST_PUBLIC_KEY_PATH, licenceKey } from './harness';

afterAll(removeTempDirs);

describe('licence key override outside test builds', () => {
  it('the CLI started without NODE_ENV=test refuses a key signed by the override key', async () => {
    const home = await tempDir();
    const env = { NODE_ENV: 'production', CONTACTS_BACKUP_LICENCE_PUBLIC_KEY: TEST_PUBLIC_KEY_PATH };
    expect((await runCli(home, ['init', '--name', 'Alice'], env)).code).toBe(0);
    const keyFile = join(home, 'key.txt');
    await writeFile(keyFile, licenceKey({ seats: 5 }));
    const refused = await runCli(home, ['licence', 'install', keyFile], env);
    expect(refused.code).toBe(1);
    // The same key is accepted by a test build, so the refusal is the gate and not the key.
    const accepted = await runCli(home, ['licence', 'install', keyFile], { ...env, NODE_ENV: 'test' });
    expect(accepted.code, accepted.stderr).toBe(0);
  });

  it('a bundle made with the release define refuses the override even with NODE_ENV=test', async () => {
    const script = await readFile(
      fileURLToPath(new URL('../../../scripts/build.mjs', import.meta.url)),
      'utf8',
    );
    expect(script).toContain("__CONTACTS_BACKUP_RELEASE__: 'true'");
    const bundled = await build({
      entryPoints: [fileURLToPath(new URL('../../../main/core/licensing/test-build.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      define: { __CONTACTS_BACKUP_RELEASE__: 'true' },
    });
    const module = { exports: {} as { isTestBuild(env: Record<string, string>): boolean } };
    new Function('module', 'exports', bundled.outputFiles[0].text)(module, module.exports);
    expect(module.exports.isTestBuild({ NODE_ENV: 'test' })).toBe(false);
  });
});
