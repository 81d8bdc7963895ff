/**
 * The audit's case (issue 18 item 4): an export killed with SIGKILL mid-way. What it leaves is a
 * private (0600) `.partial` file, and for a password ZIP nothing readable at all (the ZIP's own
 * temporary and the PST's scratch file are ciphertext); the next export removes it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { watch } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { runCli, startCli } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

/** Starts a CLI export and SIGKILLs it as soon as its first temporary file appears. */
async function killedExport(home: string, folder: string, args: string[], input = ''): Promise<string[]> {
  // The CLI takes seconds to start, so the watch is in place long before the export opens a file.
  const child = startCli(home, args);
  const appeared = new Promise<void>((resolve) => {
    const watcher = watch(folder, (_event, name) => {
      if (name && name.endsWith('.partial')) {
        watcher.close();
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  child.stdin!.end(input);
  await appeared;
  await once(child, 'close');
  return readdir(folder);
}

describe('an export killed mid-way', () => {
  it('leaves only a private file, nothing readable for a ZIP, and the next export removes it', async () => {
    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    expect((await runCli(home, ['account', 'add', 'sample'])).code).toBe(0);
    expect((await runCli(home, ['backup'])).code).toBe(0);

    const plainFolder = await tempDir();
    const left = await killedExport(home, plainFolder, [
      'export',
      '--format',
      'pst',
      '--out',
      join(plainFolder, 'all.pst'),
      '--all',
    ]);
    expect(left).not.toContain('all.pst');
    const partials = left.filter((name) => name.endsWith('.partial'));
    expect(partials.length).toBeGreaterThan(0);
    for (const name of partials) expect((await stat(join(plainFolder, name))).mode & 0o777).toBe(0o600);

    const zipFolder = await tempDir();
    const zipLeft = await killedExport(
      home,
      zipFolder,
      ['export', '--format', 'vcf', '--out', join(zipFolder, 'all.vcf.zip'), '--all', '--zip-password-stdin'],
      'zip password 12\n',
    );
    for (const name of zipLeft) {
      const bytes = await readFile(join(zipFolder, name));
      expect(bytes.includes(Buffer.from('BEGIN:VCARD')), name).toBe(false);
      expect((await stat(join(zipFolder, name))).mode & 0o777).toBe(0o600);
    }

    // The next export into the folder removes what the killed one left.
    const again = await runCli(home, [
      'export',
      '--format',
      'pst',
      '--out',
      join(plainFolder, 'again.pst'),
      '--all',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(await readdir(plainFolder)).toEqual(['again.pst']);
  }, 400_000);
});
