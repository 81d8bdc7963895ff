import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/core/providers/provider';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import {
  CLIENT_ID,
  emptyMirror,
  mirrorMatches,
  recordingSleep,
  richContact,
  signedInProvider,
  syncInto,
  workContext,
} from './harness';

let fake: FakeMicrosoft;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  fake.registerApp(CLIENT_ID);
});
afterAll(() => fake.close());

function seed(email: string, folders = 3, perFolder = 40) {
  const mailbox = fake.addMailbox(email);
  for (let n = 0; n < perFolder; n += 1) fake.addContact(mailbox, richContact(n));
  for (let f = 0; f < folders; f += 1) {
    const folder = fake.addFolder(mailbox, `Folder ${f}`);
    for (let n = 0; n < perFolder; n += 1) fake.addContact(mailbox, richContact(1000 * (f + 1) + n), folder);
  }
  return mailbox;
}

describe('Microsoft provider under faults', () => {
  it('rides out a 429 storm, waiting exactly what Retry-After says', async () => {
    const mailbox = seed('storm@outlook.com');
    const sleep = recordingSleep();
    const { provider } = await signedInProvider(fake, 'storm@outlook.com', { sleep });
    fake.addFault({ kind: 'throttle', match: /contacts\/delta/, times: 6, retryAfter: 3 });
    const mirror = emptyMirror();
    await syncInto(provider, 'me', mirror);
    mirrorMatches(mirror, mailbox);
    expect(sleep.waits.filter((w) => w === 3000)).toHaveLength(6);
    expect(fake.requests().filter((r) => r.status === 429)).toHaveLength(6);
  });

  it('backs off exponentially with jitter when 503 comes without Retry-After', async () => {
    const mailbox = seed('backoff@outlook.com', 0, 5);
    const sleep = recordingSleep();
    const { provider } = await signedInProvider(fake, 'backoff@outlook.com', { sleep, random: () => 1 });
    fake.addFault({ kind: 'unavailable', match: /contacts\/delta/, times: 4 });
    const mirror = emptyMirror();
    await syncInto(provider, 'me', mirror);
    mirrorMatches(mirror, mailbox);
    expect(sleep.waits).toEqual([1000, 2000, 4000, 8000]);

    const halfJitter = await signedInProvider(fake, 'backoff@outlook.com', { sleep, random: () => 0 });
    sleep.waits.length = 0;
    fake.addFault({ kind: 'unavailable', match: /contactFolders$/, times: 3 });
    await syncInto(halfJitter.provider, 'me', emptyMirror());
    expect(sleep.waits).toEqual([500, 1000, 2000]);
  });

  it('gives up with a retryable throttled error when the service never lets up', async () => {
    seed('endless@outlook.com', 0, 2);
    const { provider } = await signedInProvider(fake, 'endless@outlook.com', { sleep: recordingSleep() });
    fake.addFault({ kind: 'throttle', match: /contacts\/delta/, times: Infinity, retryAfter: 1 });
    try {
      const error = await provider
        .sync('me', undefined, async () => undefined, workContext())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ code: 'throttled', retryable: true });
    } finally {
      fake.clearFaults();
    }
  });

  it('retries the same page link after a dropped connection and skips no page', async () => {
    const mailbox = seed('drop@outlook.com', 1, 120);
    const sleep = recordingSleep();
    const { provider } = await signedInProvider(fake, 'drop@outlook.com', { sleep });
    fake.clearLog();
    // Let two page requests through, then drop the third (a $skiptoken link).
    fake.addFault({ kind: 'drop', match: /contacts\/delta/, skip: 2, times: 1 });
    const mirror = emptyMirror();
    await syncInto(provider, 'me', mirror);
    mirrorMatches(mirror, mailbox);
    const deltaRequests = fake.requests().filter((r) => r.path.endsWith('/contacts/delta'));
    const dropped = deltaRequests.findIndex((r) => r.status === -1);
    expect(dropped).toBeGreaterThan(0);
    expect(deltaRequests[dropped].query).toContain('$skiptoken');
    const retried = deltaRequests.slice(dropped + 1).find((r) => r.path === deltaRequests[dropped].path);
    expect(retried?.query).toBe(deltaRequests[dropped].query);
    expect(retried?.status).toBe(200);
    const upserts = mirror.batches.flatMap((b) => b.upserts.map((u) => u.sourceId));
    expect(upserts.length).toBe(mailbox.contacts.size);
  });

  it('keeps at most 4 requests in flight per mailbox, even with photo loads running beside the sync', async () => {
    const mailbox = seed('busy@outlook.com', 9, 30);
    const { provider } = await signedInProvider(fake, 'busy@outlook.com');
    fake.state.latencyMs = 15;
    fake.resetPeak(mailbox);
    try {
      const loads: Promise<unknown>[] = [];
      const mirror = emptyMirror();
      await provider.sync(
        'me',
        undefined,
        async (batch) => {
          for (const upsert of batch.upserts.slice(0, 5))
            loads.push(upsert.photo?.load().catch(() => undefined) ?? Promise.resolve());
          for (const upsert of batch.upserts) mirror.contacts.set(upsert.sourceId, upsert);
        },
        workContext(),
      );
      await Promise.all(loads);
      mirrorMatches(mirror, mailbox);
      expect(fake.peakConcurrency(mailbox)).toBe(4);
    } finally {
      fake.state.latencyMs = 0;
    }
  });

  it('slow answers only slow it down', async () => {
    const mailbox = seed('slow@outlook.com', 1, 10);
    const { provider } = await signedInProvider(fake, 'slow@outlook.com');
    fake.addFault({ kind: 'slow', match: /contacts\/delta/, delayMs: 300, times: 2 });
    const started = Date.now();
    const mirror = emptyMirror();
    await syncInto(provider, 'me', mirror);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    mirrorMatches(mirror, mailbox);
  });

  it('stops when the job is cancelled', async () => {
    seed('cancel@outlook.com', 2, 60);
    const { provider } = await signedInProvider(fake, 'cancel@outlook.com');
    const context = workContext();
    let pages = 0;
    const result = provider
      .sync(
        'me',
        undefined,
        async () => {
          pages += 1;
          if (pages === 2) context.controller.abort(new Error('cancelled by user'));
        },
        context,
      )
      .catch((e: unknown) => e);
    expect(await result).toMatchObject({ message: 'cancelled by user' });
  });
});
