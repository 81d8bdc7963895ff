/** Issue 16: no screen promises what it cannot do ("coming soon", "not yet available"). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../renderer/src');

describe('renderer text', () => {
  it('has no "coming soon" or "not yet available" placeholder', async () => {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    const offenders: string[] = [];
    for (const entry of entries.filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))) {
      const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
      if (/coming soon|not (yet )?available in this version|not yet available/i.test(text))
        offenders.push(entry.name);
    }
    expect(offenders).toEqual([]);
  });
});
