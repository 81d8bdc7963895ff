import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../main/core/vault/vault';
import { VaultError } from '../../../main/core/vault/errors';
import { HistoryStore } from '../../../main/core/history/history-store';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

async function storeWithTwoWrites(): Promise<{ vault: Vault; store: HistoryStore; folder: string }> {
  const folder = await tempDir();
  const vault = await Vault.create(folder, 'p1', 'correct horse battery');
  const store = await HistoryStore.open(vault);
  await store.clearCursor('a/b');
  await store.clearCursor('a/b');
  return { vault, store, folder };
}

describe('catalog generation', () => {
  it('raises the generation at every write and records it in vault.json under a MAC', async () => {
    const { vault, store } = await storeWithTwoWrites();
    expect(store.catalogData().generation).toBe(2);
    expect(await vault.catalogGeneration()).toBe(2);
  });

  it('accepts a catalog one step ahead of vault.json (a crash between the two writes) and mends it', async () => {
    const { vault } = await storeWithTwoWrites();
    await vault.setCatalogGeneration(1);
    const reopened = await HistoryStore.open(vault);
    expect(reopened.catalogData().generation).toBe(2);
    expect(await vault.catalogGeneration()).toBe(2);
  });

  it('refuses a changed generation MAC, and check mode reports it instead', async () => {
    const { vault, folder } = await storeWithTwoWrites();
    const path = join(folder, 'vault.json');
    const file = JSON.parse(await readFile(path, 'utf8')) as { catalog: { generation: number; mac: string } };
    await writeFile(path, JSON.stringify({ ...file, catalog: { ...file.catalog, generation: 7 } }));
    const error = await HistoryStore.open(vault).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).message).toMatch(/catalog generation in the vault key file was changed/);
    const store = await HistoryStore.open(vault, { catalogOnly: true });
    expect(store.catalogProblem?.code).toBe('tampered');
    await expect(store.clearCursor('a/b')).rejects.toThrow(/changed/);
  });
});
