/**
 * Google provider benchmark: full syncs of 10,000 and 100,000 contacts (5% with photos) against the
 * fake on loopback through the real googleapis client, a no-change incremental sync of the 100,000,
 * and a restore of 1,000 contacts (which must take 5 batch creates). The sink only counts, so the
 * numbers are the provider's and the fake's; the fake runs in this process and its data counts in RSS.
 */
import { pathToFileURL } from 'node:url';
import { emptyContact } from '../main/core/contacts/model';
import { createGoogleProvider } from '../main/core/providers/google';
import type { WorkContext, WriteItem } from '../main/core/providers/provider';
import { startFakeGoogle, type FakeGoogle } from '../tests/fakes/google/fake-google';

const clientId = 'bench.apps.googleusercontent.com';

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

function context(): WorkContext {
  return { signal: new AbortController().signal, progress: () => undefined, log: () => undefined };
}

function provider(fake: FakeGoogle, email: string) {
  const { rootUrl, authUrl, tokenUrl } = fake.endpoints;
  let saved: unknown = { kind: 'personal', email, refreshToken: fake.grantRefreshToken(email, clientId) };
  return createGoogleProvider(
    { clientId, rootUrl, oauth: { authUrl, tokenUrl }, mode: 'personal' },
    { get: async <T>() => saved as T, set: async <T>(value: T) => void (saved = value) },
    { sleep: async (ms) => fake.advance(ms) },
  );
}

async function timedSync(fake: FakeGoogle, email: string, cursor?: string) {
  let count = 0;
  const started = performance.now();
  const outcome = await provider(fake, email).sync(
    email,
    cursor,
    async (batch) => void (count += batch.upserts.length),
    context(),
  );
  return { count, seconds: (performance.now() - started) / 1000, outcome };
}

/** Runs the Google benchmark and returns its metrics. */
export async function benchGoogle(): Promise<Record<string, number>> {
  const fake = await startFakeGoogle();
  fake.logRequests = false;
  try {
    fake.addUser('small@example.com');
    fake.addUser('large@example.com');
    fake.addUser('restore@example.com');
    seed(fake, 'small@example.com', 10_000);
    const small = await timedSync(fake, 'small@example.com');
    seed(fake, 'large@example.com', 100_000);
    const large = await timedSync(fake, 'large@example.com');
    const again = await timedSync(fake, 'large@example.com', large.outcome.cursor);

    fake.logRequests = true;
    const items: WriteItem[] = Array.from({ length: 1000 }, (_, index) => ({
      key: String(index),
      contact: {
        ...emptyContact(`Restored ${index}`),
        name: { given: `Restored${index}` },
        emails: [{ value: `r${index}@example.org` }],
      },
      folderIds: [],
    }));
    const started = performance.now();
    const results = await provider(fake, 'restore@example.com')
      .writer('restore@example.com')!
      .create(items, context());
    const createSeconds = (performance.now() - started) / 1000;
    if (
      results.some((result) => !result.ok) ||
      small.count !== 10_000 ||
      large.count !== 100_000 ||
      again.count !== 0
    ) {
      throw new Error('benchmark run did not read or write what it should');
    }
    return {
      full_sync_10k_contacts_per_s: Math.round(small.count / small.seconds),
      full_sync_100k_contacts_per_s: Math.round(large.count / large.seconds),
      incremental_no_change_100k_s: Number(again.seconds.toFixed(3)),
      create_1000_s: Number(createSeconds.toFixed(3)),
      create_1000_calls: fake.requestsOf('people.batchCreateContacts').length,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await fake.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchGoogle());
}
