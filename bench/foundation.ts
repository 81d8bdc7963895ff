/**
 * Foundation benchmarks (issue 2): back up a generated 10,000-contact vCard source, back it up
 * again with nothing changed, unlock the vault (key derivation + loading the history), peak RSS.
 * Targets on the 2-core reference machine: < 3 s, < 0.5 s, peak RSS < 300 MB.
 */
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Vault } from '../main/core/vault/vault';
import { HistoryStore } from '../main/core/history/history-store';
import { runBackup } from '../main/core/history/backup-engine';
import { createVcardProvider } from '../main/core/providers/vcard/vcard-provider';
import { execFileSync } from 'node:child_process';

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function benchFoundation(count = 10_000): Promise<Record<string, number>> {
  const folder = await mkdtemp(join(tmpdir(), 'cb-bench-'));
  try {
    const source = join(folder, 'source.vcf');
    // Generated in a child process so the generator's memory does not count in this peak RSS.
    execFileSync(process.execPath, [
      '--import',
      'tsx',
      '-e',
      `import('./tests/support/generate-contacts.ts').then((m) => m.writeVcfSource(${JSON.stringify(source)}, ${count}, { seed: 42, photoShare: 0.05 }))`,
    ]);
    const vault = await Vault.create(join(folder, 'vault'), 'bench', 'bench password');
    const store = await HistoryStore.open(vault);
    const provider = createVcardProvider({ path: source });
    const context = { signal: new AbortController().signal, progress: () => undefined, log: () => undefined };
    const backup = () =>
      runBackup({
        store,
        blobs: vault.blobs,
        provider,
        userKey: 'a/local',
        userId: 'local',
        context,
        now: () => new Date(),
      });

    let start = process.hrtime.bigint();
    const first = await backup();
    const fullSeconds = seconds(start);
    if (first.snapshot.counts.added !== count)
      throw new Error(`expected ${count} added, got ${first.snapshot.counts.added}`);

    start = process.hrtime.bigint();
    const second = await backup();
    const noChangeSeconds = seconds(start);
    if (second.snapshot.counts.added + second.snapshot.counts.changed !== 0)
      throw new Error('no-change backup changed something');

    // Peak of the backups themselves, before a second copy of the history is loaded below.
    const backupPeakMb = Math.round(process.resourceUsage().maxRSS / 1024);

    start = process.hrtime.bigint();
    const reopened = await Vault.unlock(join(folder, 'vault'), 'bench password');
    await HistoryStore.open(reopened);
    const unlockSeconds = seconds(start);

    return {
      contacts: count,
      full_backup_s: round(fullSeconds),
      contacts_per_s: Math.round(count / fullSeconds),
      no_change_backup_s: round(noChangeSeconds),
      unlock_and_load_s: round(unlockSeconds),
      backup_peak_rss_mb: backupPeakMb,
      peak_rss_with_second_load_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchFoundation());
}
