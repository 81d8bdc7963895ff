/**
 * Restore and history benchmarks (issue 5): planning a restore of 100,000 contacts (target < 2 s)
 * and the difference between two 100,000-contact snapshots (target < 1 s), on a real vault.
 */
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Vault } from '../main/core/vault/vault';
import { HistoryStore } from '../main/core/history/history-store';
import { runBackup } from '../main/core/history/backup-engine';
import { planRestore } from '../main/core/restore/restore-plan';
import { diffSnapshots } from '../main/core/history/snapshot-diff';
import { emptyContact } from '../main/core/contacts/model';
import { MemoryBook, memoryProvider } from '../tests/support/memory-provider';

function seconds(start: bigint): number {
  return Math.round((Number(process.hrtime.bigint() - start) / 1e9) * 1000) / 1000;
}

export async function benchRestore(count = 100_000): Promise<Record<string, number>> {
  const folder = await mkdtemp(join(tmpdir(), 'cb-bench-restore-'));
  try {
    const vault = await Vault.create(join(folder, 'vault'), 'bench', 'bench password');
    const store = await HistoryStore.open(vault);
    const book = new MemoryBook();
    book.pageSize = 1000;
    book.folders = Array.from({ length: 20 }, (_, index) => ({ id: `f${index}`, name: `Folder ${index}` }));
    for (let index = 0; index < count; index += 1) {
      book.put(`s${index}`, {
        ...emptyContact(`Person ${index}`),
        name: { given: 'Person', family: String(index) },
        emails: [{ value: `person.${index}@example.org`, type: 'work' }],
        phones: [{ value: `+1 555 ${String(index).padStart(7, '0')}`, type: 'mobile' }],
        folderIds: [`f${index % 20}`],
      });
    }
    const context = { signal: new AbortController().signal, progress: () => undefined, log: () => undefined };
    let clock = Date.now();
    const backup = () =>
      runBackup({
        store,
        blobs: vault.blobs,
        provider: memoryProvider(book),
        userKey: 'a/me',
        userId: 'me',
        context,
        now: () => new Date((clock += 1000)),
      });
    await backup();
    for (let index = 0; index < count; index += 20) {
      const entry = book.contacts.get(`s${index}`)!;
      book.put(`s${index}`, { ...entry.contact, notes: 'changed' });
    }
    for (let index = 1; index < count; index += 50) book.remove(`s${index}`);
    await backup();

    const sourceIds = new Set([...store.index.contacts.values()].map((history) => history.sourceId));
    let start = process.hrtime.bigint();
    const plan = planRestore(store.index, { sourceUserKey: 'a/me', scope: 'all' }, 'overwrite', {
      sameUser: true,
      existing: sourceIds,
      links: new Map(),
      keepsUid: false,
      targetIndexUserKey: 'a/me',
      unsupportedFields: () => [],
    });
    const planSeconds = seconds(start);

    const [first, second] = store.snapshots;
    start = process.hrtime.bigint();
    const diff = diffSnapshots(store.index, 'a/me', first.finishedAt, second.finishedAt);
    const diffSeconds = seconds(start);

    return {
      contacts: count,
      restore_plan_s: planSeconds,
      planned: plan.contacts.length,
      diff_s: diffSeconds,
      diff_changed: diff.changed.length,
      diff_deleted: diff.deleted.length,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchRestore());
}
