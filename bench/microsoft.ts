/**
 * Benchmark of the Microsoft provider against the loopback Graph fake: full sync throughput at 10k
 * and 100k contacts over 20 folders, a no-change delta sync of the 100k, a 1,000-contact restore
 * (time and $batch calls), and peak RSS. Run alone: `node --import tsx bench/microsoft.ts`.
 */
import { restoreIdOf } from '../main/core/providers/restore-identity';
import { pathToFileURL } from 'node:url';
import { emptyContact } from '../main/core/contacts/model';
import { createMicrosoftProvider, signInMicrosoft } from '../main/core/providers/microsoft';
import type { ContactProvider, WorkContext } from '../main/core/providers/provider';
import { startFakeMicrosoft, type FakeMicrosoft } from '../tests/fakes/graph/fake-microsoft';
import {
  CLIENT_ID,
  memorySecrets,
  personalSettings,
  richContact,
  scriptedBrowser,
} from '../tests/integration/microsoft/harness';

const FOLDERS = 20;
const PAGE_SIZE = 500;

function context(): WorkContext {
  return { signal: new AbortController().signal, progress: () => undefined, log: () => undefined };
}

async function providerFor(fake: FakeMicrosoft, email: string): Promise<ContactProvider> {
  const secrets = memorySecrets();
  const settings = personalSettings(fake, PAGE_SIZE);
  fake.state.signInEmail = email;
  await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
  return createMicrosoftProvider(settings, secrets);
}

/** A mailbox with `count` contacts spread over the default folder and 19 others (some nested). */
function seedMailbox(fake: FakeMicrosoft, email: string, count: number): void {
  const mailbox = fake.addMailbox(email);
  const folders: (string | undefined)[] = [undefined];
  for (let f = 1; f < FOLDERS; f += 1) {
    const parent = f > 10 ? folders[f - 10] : undefined;
    folders.push(fake.addFolder(mailbox, `Folder ${f}`, parent));
  }
  for (let n = 0; n < count; n += 1) fake.addContact(mailbox, richContact(n), folders[n % FOLDERS]);
}

async function timedSync(
  provider: ContactProvider,
  cursor?: string,
): Promise<{ seconds: number; count: number; cursor?: string }> {
  let count = 0;
  const started = performance.now();
  const outcome = await provider.sync(
    'me',
    cursor,
    async (batch) => void (count += batch.upserts.length),
    context(),
  );
  return { seconds: (performance.now() - started) / 1000, count, cursor: outcome.cursor };
}

/** Runs the benchmark; keys carry their unit. */
export async function benchMicrosoft(): Promise<Record<string, number>> {
  const fake = await startFakeMicrosoft();
  fake.registerApp(CLIENT_ID);
  try {
    const results: Record<string, number> = {};
    seedMailbox(fake, 'bench10k@outlook.com', 10_000);
    const small = await timedSync(await providerFor(fake, 'bench10k@outlook.com'));
    if (small.count !== 10_000) throw new Error(`10k sync delivered ${small.count}`);
    results['full sync 10k (contacts/s)'] = Math.round(small.count / small.seconds);

    seedMailbox(fake, 'bench100k@outlook.com', 100_000);
    const provider = await providerFor(fake, 'bench100k@outlook.com');
    const large = await timedSync(provider);
    if (large.count !== 100_000) throw new Error(`100k sync delivered ${large.count}`);
    results['full sync 100k (contacts/s)'] = Math.round(large.count / large.seconds);
    const quiet = await timedSync(provider, large.cursor);
    if (quiet.count !== 0) throw new Error(`no-change delta delivered ${quiet.count}`);
    results['no-change delta 100k (s)'] = Number(quiet.seconds.toFixed(3));

    fake.addMailbox('restore@outlook.com');
    const writer = (await providerFor(fake, 'restore@outlook.com')).writer('me');
    if (!writer) throw new Error('no writer');
    const items = Array.from({ length: 1000 }, (_, n) => ({
      key: String(n),
      restoreId: testRestoreId(String(n)),
      contact: { ...emptyContact(`Restored ${n}`), emails: [{ value: `r${n}@example.com` }] },
      folderIds: [],
    }));
    const before = fake.requests().length;
    const started = performance.now();
    const written = await writer.create(items, context());
    results['create 1,000 (s)'] = Number(((performance.now() - started) / 1000).toFixed(3));
    if (written.some((r) => !r.ok)) throw new Error('a restore write failed');
    results['create 1,000 ($batch calls)'] = fake
      .requests()
      .slice(before)
      .filter((r) => r.path === '/$batch' && !r.inBatch).length;
    // The fake runs in this process and holds every seeded contact, so this is an upper bound.
    results['peak RSS incl. fake (MB)'] = Math.round(process.resourceUsage().maxRSS / 1024);
    return results;
  } finally {
    await fake.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchMicrosoft();
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  console.log(`${'Microsoft provider'.padEnd(width)}  value`);
  for (const [name, value] of Object.entries(results)) console.log(`${name.padEnd(width)}  ${value}`);
}

/** A restore id per test item, as the restore engine would give it. */
function testRestoreId(key: string): string {
  return restoreIdOf('test-run', key);
}
