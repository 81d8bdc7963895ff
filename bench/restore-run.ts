/**
 * Restore run benchmark (issue 15): carrying out a restore of 1,000, 10,000 and 100,000 contacts
 * with the per-run journal (intent before each batch, outcome after, synced), into an in-memory
 * target so the engine's own cost shows, plus 10,000 into a real vCard folder. Reports the time,
 * the cost per contact (flat from 1,000 to 100,000 is the target) and the journal's size at the
 * end of the run (it is removed when the run ends).
 */
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Vault } from '../main/core/vault/vault';
import { emptyContact } from '../main/core/contacts/model';
import type { ContactWriter } from '../main/core/providers/provider';
import { HistoryIndex } from '../main/core/history/history-index';
import { executeRestore } from '../main/core/restore/restore-engine';
import { RestoreJournal } from '../main/core/restore/restore-journal';
import type { PlannedContact, RestorePlan } from '../main/core/restore/restore-plan';
import { createVcardWriter } from '../main/core/providers/vcard/vcard-writer';
import { MemoryBook, memoryWriter } from '../tests/support/memory-provider';

/** A plan of `count` new contacts, their revisions in an in-memory index (as a restore reads them). */
function planOf(count: number): RestorePlan {
  const at = '2026-01-01T00:00:00.000Z';
  const index = new HistoryIndex();
  const puts = Array.from({ length: count }, (_, position) => ({
    contactId: `c${position}`,
    sourceId: `source-${position}`,
    hash: `h${position}`,
    contact: {
      ...emptyContact(`Person ${position}`),
      name: { given: 'Person', family: String(position) },
      emails: [{ value: `person.${position}@example.org`, type: 'work' }],
      phones: [{ value: `+1 555 ${String(position).padStart(7, '0')}`, type: 'mobile' }],
    },
  }));
  index.apply(
    {
      id: 's1',
      seq: 1,
      userKey: 'bench/user',
      kind: 'full',
      startedAt: at,
      finishedAt: at,
      counts: { added: count, changed: 0, deleted: 0, unchanged: 0 },
      segments: ['g1'],
    },
    [{ version: 1, id: 'g1', snapshotId: 's1', userKey: 'bench/user', puts, deletes: [], renames: [] }],
  );
  const contacts: PlannedContact[] = puts.map(({ contactId, sourceId, contact }) => ({
    contactId,
    sourceId,
    version: index.contacts.get(contactId)!.versions[0]!,
    name: contact.displayName,
    action: 'create',
    reason: 'Restored into a new folder.',
    folderIds: [],
  }));
  return { mode: 'new-folder', contacts, sourceFolders: [], unmappedFields: [] };
}

async function run(vault: Vault, writer: ContactWriter, count: number, runId: string) {
  const journal = await RestoreJournal.open(vault.folder, runId, vault.fileKey());
  const context = { signal: new AbortController().signal, progress: () => undefined, log: () => undefined };
  const plan = planOf(count);
  const started = process.hrtime.bigint();
  const report = await executeRestore({
    plan,
    writer,
    sameUser: false,
    runId,
    journal,
    blobs: vault.blobs,
    context,
    now: () => new Date(),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const journalBytes = journal.size;
  await journal.remove();
  if (report.created !== count) throw new Error(`created ${report.created} of ${count}`);
  return { seconds, journalBytes };
}

export async function benchRestoreRun(): Promise<Record<string, number>> {
  const folder = await mkdtemp(join(tmpdir(), 'cb-bench-restore-run-'));
  try {
    const vault = await Vault.create(join(folder, 'vault'), 'bench', 'bench password');
    const results: Record<string, number> = {};
    for (const count of [1_000, 10_000, 100_000]) {
      const { seconds, journalBytes } = await run(vault, memoryWriter(new MemoryBook()), count, `m${count}`);
      results[`engine ${count} (s)`] = Number(seconds.toFixed(3));
      results[`engine ${count} (µs/contact)`] = Math.round((seconds * 1e6) / count);
      results[`journal ${count} (KB)`] = Math.round(journalBytes / 1024);
      results[`journal ${count} (bytes/contact)`] = Number((journalBytes / count).toFixed(1));
    }
    const target = join(folder, 'vcard-target');
    const { seconds, journalBytes } = await run(vault, createVcardWriter(target), 10_000, 'vcard10000');
    results['vCard folder 10,000 (s)'] = Number(seconds.toFixed(3));
    results['vCard folder 10,000 (µs/contact)'] = Math.round((seconds * 1e6) / 10_000);
    results['vCard folder 10,000 journal (KB)'] = Math.round(journalBytes / 1024);
    results.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
    return results;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchRestoreRun());
}
