/**
 * Google provider benchmark: full syncs of 10,000 and 100,000 contacts (5% with photos) against the
 * fake on loopback through the real googleapis client, a no-change incremental sync of the 100,000,
 * and a restore of 1,000 contacts (which must take 5 batch creates). The sink only counts. The fake
 * runs in a child process, so `peak_rss_mb` is the provider's alone and the fake reports its own.
 */
import { restoreIdOf } from '../main/core/providers/restore-identity';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { emptyContact } from '../main/core/contacts/model';
import { createGoogleProvider } from '../main/core/providers/google';
import type { WorkContext, WriteItem } from '../main/core/providers/provider';
import { startFakeGoogle, type FakeGoogle } from '../tests/fakes/google/fake-google';

const clientId = 'bench.apps.googleusercontent.com';
const childFlag = 'CONTACTS_BACKUP_GOOGLE_BENCH_FAKE';

/** The fake's side: seeds and answers a few test-API calls over IPC. */
function seed(fake: FakeGoogle, email: string, count: number): void {
  const photo = Buffer.alloc(2048, 7);
  photo[0] = 0xff;
  photo[1] = 0xd8;
  for (let index = 0; index < count; index += 1) {
    fake.addContact(
      email,
      {
        names: [{ givenName: `Given${index}`, familyName: `Family${index % 997}` }],
        emailAddresses: [{ value: `person${index}@example.org`, type: 'work' }],
        phoneNumbers: [{ value: `+1 555 ${String(index).padStart(7, '0')}`, type: 'mobile' }],
        organizations: [{ name: `Company ${index % 101}`, title: 'Engineer' }],
      },
      { photo: index % 20 === 0 ? photo : undefined },
    );
  }
}

async function serveFake(): Promise<void> {
  const fake = await startFakeGoogle();
  fake.logRequests = false;
  const methods: Record<string, (...args: never[]) => unknown> = {
    endpoints: () => fake.endpoints,
    addUser: (email: string) => fake.addUser(email),
    seed: (email: string, count: number) => seed(fake, email, count),
    grant: (email: string) => fake.grantRefreshToken(email, clientId),
    log: (on: boolean) => void (fake.logRequests = on),
    count: (op: string) => fake.requestsOf(op).length,
    rss: () => Math.round(process.resourceUsage().maxRSS / 1024),
    close: () => fake.close(),
  };
  process.on('message', async (message: { id: number; method: string; args: never[] }) => {
    const result = await methods[message.method](...message.args);
    process.send?.({ id: message.id, result }, undefined, undefined, () => {
      if (message.method === 'close') process.disconnect();
    });
  });
}

/** The benchmark's side of the IPC link. */
function remote(child: ChildProcess) {
  let next = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on('message', (message: { id: number; result: unknown }) =>
    waiting.get(message.id)?.(message.result),
  );
  return <T>(method: string, ...args: unknown[]): Promise<T> =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve as (value: unknown) => void);
      child.send({ id, method, args });
    });
}

function context(): WorkContext {
  return { signal: new AbortController().signal, progress: () => undefined, log: () => undefined };
}

/** Runs the Google benchmark and returns its metrics. */
export async function benchGoogle(): Promise<Record<string, number>> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, [childFlag]: '1' },
  });
  const call = remote(child);
  try {
    const endpoints = await call<FakeGoogle['endpoints']>('endpoints');
    const provider = async (email: string) => {
      let saved: unknown = { kind: 'personal', email, refreshToken: await call<string>('grant', email) };
      return createGoogleProvider(
        { clientId, rootUrl: endpoints.rootUrl, oauth: endpoints, mode: 'personal' },
        { get: async <T>() => saved as T, set: async <T>(value: T) => void (saved = value) },
        { sleep: async () => undefined },
      );
    };
    const timedSync = async (email: string, cursor?: string) => {
      const google = await provider(email);
      let count = 0;
      const started = performance.now();
      const outcome = await google.sync(
        email,
        cursor,
        async (batch) => void (count += batch.upserts.length),
        context(),
      );
      return { count, seconds: (performance.now() - started) / 1000, outcome };
    };
    for (const email of ['small@example.com', 'large@example.com', 'restore@example.com'])
      await call('addUser', email);
    await call('seed', 'small@example.com', 10_000);
    const small = await timedSync('small@example.com');
    await call('seed', 'large@example.com', 100_000);
    const large = await timedSync('large@example.com');
    const again = await timedSync('large@example.com', large.outcome.cursor);

    await call('log', true);
    const items: WriteItem[] = Array.from({ length: 1000 }, (_, index) => ({
      key: String(index),
      restoreId: testRestoreId(String(index)),
      contact: {
        ...emptyContact(`Restored ${index}`),
        name: { given: `Restored${index}` },
        emails: [{ value: `r${index}@example.org` }],
      },
      folderIds: [],
    }));
    const writer = (await provider('restore@example.com')).writer('restore@example.com')!;
    const started = performance.now();
    const results = await writer.create(items, context());
    const createSeconds = (performance.now() - started) / 1000;
    if (
      results.some((result) => !result.ok) ||
      small.count !== 10_000 ||
      large.count !== 100_000 ||
      again.count !== 0
    ) {
      throw new Error('The benchmark run did not read or write what it should.');
    }
    return {
      full_sync_10k_contacts_per_s: Math.round(small.count / small.seconds),
      full_sync_100k_contacts_per_s: Math.round(large.count / large.seconds),
      incremental_no_change_100k_s: Number(again.seconds.toFixed(3)),
      create_1000_s: Number(createSeconds.toFixed(3)),
      create_1000_calls: await call<number>('count', 'people.batchCreateContacts'),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      fake_peak_rss_mb: await call<number>('rss'),
    };
  } finally {
    await call('close');
  }
}

if (process.env[childFlag]) {
  await serveFake();
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchGoogle());
}

/** A restore id per test item, as the restore engine would give it. */
function testRestoreId(key: string): string {
  return restoreIdOf('test-run', key);
}
