/**
 * Shared set-up for the Google integration tests: in-memory account secrets, a work context, an
 * account on the fake with a saved refresh token, and a sync that collects every batch.
 */
import type { AccountSecrets } from '../../../main/core/ports';
import type {
  ContactProvider,
  SourceContact,
  SyncBatch,
  SyncOutcome,
  WorkContext,
} from '../../../main/core/providers/provider';
import {
  createGoogleProvider,
  type GoogleAccountSettings,
  type GoogleProviderDeps,
  type GoogleSecrets,
} from '../../../main/core/providers/google';
import type { FakeGoogle } from '../../fakes/google/fake-google';

export const clientId = 'test-client.apps.googleusercontent.com';

/** AccountSecrets kept in memory; `value` is inspectable by the test. */
export function memorySecrets(initial?: GoogleSecrets): AccountSecrets & { value: unknown } {
  const holder = {
    value: initial as unknown,
    async get<T>() {
      return holder.value as T | undefined;
    },
    async set<T>(value: T) {
      holder.value = value;
    },
  };
  return holder;
}

/** A context whose log lines are kept (tests check no secret ever reaches them). */
export function workContext(signal = new AbortController().signal): WorkContext & { lines: string[] } {
  const lines: string[] = [];
  return { signal, lines, progress: () => undefined, log: (line) => void lines.push(line) };
}

/** Settings pointing every endpoint at the fake. */
export function fakeSettings(
  fake: FakeGoogle,
  extra: Partial<GoogleAccountSettings> = {},
): GoogleAccountSettings {
  const { rootUrl, authUrl, tokenUrl, revokeUrl } = fake.endpoints;
  return {
    clientId,
    clientSecret: 'not-so-secret',
    rootUrl,
    oauth: { authUrl, tokenUrl, revokeUrl },
    mode: 'personal',
    ...extra,
  };
}

/** Backoff that takes no real time but moves the fake's clock, so per-minute quotas roll over. */
export function fakeSleep(fake: FakeGoogle, waits: number[] = []): NonNullable<GoogleProviderDeps['sleep']> {
  return async (ms) => {
    waits.push(ms);
    fake.advance(ms);
  };
}

/** A personal account signed in already (refresh token granted by the fake). */
export function personalAccount(
  fake: FakeGoogle,
  email: string,
  options: { settings?: Partial<GoogleAccountSettings>; deps?: GoogleProviderDeps; scopes?: string[] } = {},
): {
  provider: ContactProvider;
  secrets: AccountSecrets & { value: unknown };
  settings: GoogleAccountSettings;
} {
  const settings = fakeSettings(fake, options.settings);
  const refreshToken = fake.grantRefreshToken(email, clientId, options.scopes);
  const secrets = memorySecrets({ kind: 'personal', email, refreshToken });
  const provider = createGoogleProvider(settings, secrets, { sleep: fakeSleep(fake), ...options.deps });
  return { provider, secrets, settings };
}

/** Everything one sync delivered. */
export interface SyncRun {
  readonly outcome: SyncOutcome;
  readonly batches: SyncBatch[];
  readonly upserts: Map<string, SourceContact>;
  readonly deletions: string[];
  readonly renames: { from: string; to: string }[];
}

/** Runs a sync and gathers its batches. */
export async function runSync(
  provider: ContactProvider,
  userId: string,
  cursor: string | undefined,
  context: WorkContext = workContext(),
): Promise<SyncRun> {
  const batches: SyncBatch[] = [];
  const outcome = await provider.sync(userId, cursor, async (batch) => void batches.push(batch), context);
  const upserts = new Map<string, SourceContact>();
  for (const batch of batches) for (const item of batch.upserts) upserts.set(item.sourceId, item);
  return {
    outcome,
    batches,
    upserts,
    deletions: batches.flatMap((batch) => batch.deletions),
    renames: batches.flatMap((batch) => batch.renames ?? []),
  };
}

/** A small JPEG-looking payload (the fake only sniffs the magic bytes). */
export function jpeg(seed: number, size = 64): Buffer {
  const bytes = Buffer.alloc(size);
  bytes[0] = 0xff;
  bytes[1] = 0xd8;
  for (let index = 2; index < size; index += 1) bytes[index] = (seed * 31 + index * 7) & 0xff;
  return bytes;
}
