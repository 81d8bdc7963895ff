/**
 * Restores killed with SIGKILL (kill -9) at many points, through the real CLI in a child process,
 * then resumed with `tasks resume`: every contact ends up at the target exactly once. The kill
 * points are deterministic (CONTACTS_BACKUP_TEST_RESTORE_KILL_AFTER: the process kills itself as
 * the target reports its N-th written contact, mid-batch, at a batch's end, before its outcome is
 * journaled) plus random ones. Also: a skip re-run into an unchanged target creates nothing, and a
 * contact restored into its own address book is one entry after the next backup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseVcards } from '../../../main/core/contacts/vcard-parse';
import { writeVcfSource } from '../../support/generate-contacts';
import { runCli, runCliJson, type ListedContact } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const COUNT = 150;
const KILL = 'CONTACTS_BACKUP_TEST_RESTORE_KILL_AFTER';

/** Every card under `path` (a folder, searched recursively, or one file), by UID. */
async function cardsAt(path: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const info = await stat(path).catch(() => undefined);
  if (!info) return counts;
  const files: string[] = [];
  if (info.isDirectory()) {
    for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.vcf')) files.push(join(entry.parentPath, entry.name));
    }
  } else files.push(path);
  for (const file of files) {
    const parsed = parseVcards(await readFile(file, 'utf8'));
    expect(parsed.errors).toEqual([]);
    for (const card of parsed.cards) counts.set(card.uid ?? '', (counts.get(card.uid ?? '') ?? 0) + 1);
  }
  return counts;
}

function randomPoints(count: number): number[] {
  return Array.from({ length: count }, () => 1 + Math.floor(Math.random() * (COUNT - 1)));
}

describe('restore killed with kill -9 and resumed', () => {
  let home: string;
  let source: string;
  let uids: string[];

  beforeAll(async () => {
    home = await tempDir();
    source = join(home, 'book');
    await mkdir(source);
    uids = writeVcfSource(join(source, 'book.vcf'), COUNT, { seed: 15 }).map((item) => item.uid);
    expect((await runCli(home, ['init'])).code).toBe(0);
    expect((await runCli(home, ['account', 'add', 'vcard', '--file', source])).code).toBe(0);
    const backup = await runCli(home, ['backup']);
    expect(backup.code, backup.stderr).toBe(0);
  }, 60_000);

  /** Runs a restore that kills itself after `point` writes, resumes it, and returns its target. */
  async function killAndResume(args: string[], point: number): Promise<void> {
    const killed = await runCli(home, ['restore', '--all', ...args], { [KILL]: String(point) });
    expect(killed.code, `kill point ${point}: ${killed.stderr}`).toBeNull();
    const tasks = await runCliJson<{ id: string; kind: string; state: string }[]>(home, ['tasks']);
    const interrupted = tasks.find((task) => task.kind === 'restore' && task.state === 'interrupted');
    expect(interrupted, `kill point ${point}`).toBeDefined();
    const resumed = await runCli(home, ['tasks', 'resume', interrupted!.id]);
    expect(resumed.code, resumed.stderr).toBe(0);
  }

  it('into a new vCard folder: every contact exactly once, whatever the kill point', async () => {
    for (const point of [1, 37, 99, 100, 101, 149, ...randomPoints(2)]) {
      const target = join(home, `folder-${point}-${Math.random().toString(36).slice(2)}`);
      await killAndResume(['--to-vcard-folder', target], point);
      const cards = await cardsAt(target);
      expect([...cards.keys()].sort(), `kill point ${point}`).toEqual([...uids].sort());
      expect(
        [...cards.values()].every((count) => count === 1),
        `kill point ${point}`,
      ).toBe(true);
      // Nothing of the run's journal is left behind.
      const journals = await readdir(join(home, 'profiles'), { recursive: true }).catch(() => []);
      expect(journals.filter((name) => String(name).endsWith('.cbj'))).toEqual([]);
    }
  }, 300_000);

  it('into a new vCard file: the file appears whole, only at the end, each contact once', async () => {
    for (const point of [1, 100, 101, ...randomPoints(1)]) {
      const target = join(home, `file-${point}-${Math.random().toString(36).slice(2)}.vcf`);
      const killed = await runCli(home, ['restore', '--all', '--to-vcard-file', target], {
        [KILL]: String(point),
      });
      expect(killed.code).toBeNull();
      // Killed half way, the file is not there (its work copy is, hidden).
      expect(await stat(target).catch(() => undefined)).toBeUndefined();
      const tasks = await runCliJson<{ id: string; kind: string; state: string }[]>(home, ['tasks']);
      const interrupted = tasks.find((task) => task.kind === 'restore' && task.state === 'interrupted')!;
      expect((await runCli(home, ['tasks', 'resume', interrupted.id])).code).toBe(0);
      const cards = await cardsAt(target);
      expect([...cards.keys()].sort(), `kill point ${point}`).toEqual([...uids].sort());
      expect([...cards.values()].every((count) => count === 1)).toBe(true);
      expect((await readdir(home)).filter((name) => name.endsWith('.restoring'))).toEqual([]);
    }
  }, 300_000);

  it('a skip re-run into an unchanged target creates nothing', async () => {
    const target = join(home, 'skip-target');
    const first = await runCli(home, ['restore', '--all', '--to-vcard-folder', target]);
    expect(first.stdout).toMatch(new RegExp(`Restored: ${COUNT} created, 0 updated, 0 skipped`));
    const before = await cardsAt(target);
    const preview = await runCli(home, [
      'restore',
      '--all',
      '--to-vcard-folder',
      target,
      '--mode',
      'skip',
      '--preview',
    ]);
    expect(preview.stdout).toMatch(new RegExp(`Would create 0, update 0, skip ${COUNT} contact`));
    const again = await runCli(home, ['restore', '--all', '--to-vcard-folder', target, '--mode', 'skip']);
    expect(again.stdout).toMatch(new RegExp(`Restored: 0 created, 0 updated, ${COUNT} skipped`));
    expect(await cardsAt(target)).toEqual(before);
    // The same, unchanged address book the contacts came from: nothing to create either.
    const same = await runCli(home, ['restore', '--all', '--mode', 'skip']);
    expect(same.stdout, same.stderr).toMatch(new RegExp(`Restored: 0 created, 0 updated, ${COUNT} skipped`));
    expect([...(await cardsAt(source)).values()].every((count) => count === 1)).toBe(true);
  }, 120_000);

  it('a contact restored into its own address book is one entry after the next backup', async () => {
    // Ten cards deleted at the source, backed up as deleted, then restored (killed once on the way).
    const text = await readFile(join(source, 'book.vcf'), 'utf8');
    const parsed = parseVcards(text);
    const gone = new Set(parsed.cards.slice(0, 10).map((card) => card.uid));
    const kept = text
      .split(/(?=BEGIN:VCARD)/)
      .filter((card) => !gone.has(/\r\nUID[^:]*:([^\r\n]*)/.exec(card)?.[1]))
      .join('');
    await writeFile(join(source, 'book.vcf'), kept);
    expect((await runCli(home, ['backup'])).code).toBe(0);
    let listed = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    expect(listed.filter((item) => item.deleted)).toHaveLength(10);
    const live = await runCli(home, ['restore', '--all', '--mode', 'skip', '--preview']);
    expect(live.stdout).toMatch(/Would create 0, update 0, skip 140/);
    await killAndResume(['--include-deleted', '--mode', 'skip'], 5);
    expect((await runCli(home, ['backup'])).code).toBe(0);
    listed = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    expect(listed).toHaveLength(COUNT);
    expect(listed.filter((item) => item.deleted)).toEqual([]);
    expect(new Set(listed.map((item) => item.sourceId)).size).toBe(COUNT);
    // Every UID is back; a contact in two folders is one card in each folder's sub-folder (same UID),
    // which the reader merges into one contact, as the backup above shows.
    const cards = await cardsAt(source);
    expect([...cards.keys()].sort()).toEqual([...uids].sort());
  }, 120_000);
});
