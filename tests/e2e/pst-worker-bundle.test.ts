/**
 * The PST read worker from the esbuild bundle (issue 18 item 5): scripts/build.mjs writes
 * out/main/pst-read-worker.cjs beside main.cjs, and bundled code finds it there (the sources use
 * the tsx entry instead, which the bundle does not ship). Run after `node scripts/build.mjs`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { PST_FIXTURES } from '../support/shared-fixtures';

const OUT_MAIN = fileURLToPath(new URL('../../out/main', import.meta.url));
const probe = join(OUT_MAIN, 'pst-provider-probe.cjs');

afterAll(() => rm(probe, { force: true }));

describe('PST read worker in the bundle', () => {
  it('out/main/pst-read-worker.cjs reads a PST in a worker thread', async () => {
    const entry = join(OUT_MAIN, 'pst-read-worker.cjs');
    expect(existsSync(entry)).toBe(true);
    const worker = new Worker(entry, {
      workerData: { path: join(PST_FIXTURES, 'dist-list.pst') },
      stdout: true,
    });
    worker.stdout.resume();
    const answer = await new Promise<{
      ok: boolean;
      result?: { contacts: unknown[]; distributionLists: number };
    }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(answer.ok).toBe(true);
    expect(answer.result?.contacts).toHaveLength(1);
    expect(answer.result?.distributionLists).toBe(1);
  });

  it('bundled provider code finds the .cjs worker next to itself', async () => {
    // Bundled exactly like main.cjs (same banner and define), into the same folder.
    await build({
      entryPoints: [fileURLToPath(new URL('../../main/core/providers/pst/pst-provider.ts', import.meta.url))],
      outfile: probe,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
      banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
      define: { 'import.meta.url': '__importMetaUrl', __CONTACTS_BACKUP_RELEASE__: 'true' },
    });
    // There is no tsx entry in out/main: success proves the bundle used pst-read-worker.cjs.
    expect(existsSync(join(OUT_MAIN, 'pst-read-worker-tsx.mjs'))).toBe(false);
    const require = createRequire(import.meta.url);
    const { readPstContacts } = require(probe) as typeof import('../../main/core/providers/pst/pst-provider');
    const read = await readPstContacts(join(PST_FIXTURES, 'passworded.pst'));
    expect(read.contacts).toHaveLength(1);
    expect(read.warnings.join('\n')).toMatch(/PST password/);
  });
});
