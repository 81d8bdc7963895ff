/**
 * Every channel of the table (contract/channels.ts) is reachable by a person (issue 16): the renderer
 * or the CLI names it. A channel added to the contract without a screen or command that calls it fails here.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channels } from '../../../main/core/contract/channels';

const root = join(import.meta.dirname, '../../..');

async function sources(folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('contract channels', () => {
  it('each have a caller in renderer/ or main/cli/', async () => {
    const files = [...(await sources('renderer/src')), ...(await sources('main/cli'))];
    const text = (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');
    const uncalled = Object.keys(channels).filter((channel) => !text.includes(`'${channel}'`));
    expect(uncalled).toEqual([]);
  });
});
