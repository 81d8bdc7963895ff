/** Temporary folders for tests, removed after each test file. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

export async function tempDir(prefix = 'cb-test-'): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  created.push(folder);
  return folder;
}

export async function removeTempDirs(): Promise<void> {
  // Retries: a test app may still be writing its job list when the test file ends.
  await Promise.all(
    created
      .splice(0)
      .map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })),
  );
}
