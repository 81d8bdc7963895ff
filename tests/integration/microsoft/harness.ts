/**
 * Shared setup for the Microsoft provider tests: the fakes, settings pointing at them, in-memory
 * secrets, a scripted browser for MSAL's interactive flow, and helpers to run syncs.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AccountSecrets, OpenBrowser } from '../../../main/core/ports';
import {
  createMicrosoftProvider,
  signInMicrosoft,
  type MicrosoftAccountSettings,
} from '../../../main/core/providers/microsoft';
import type {
  SourceContact,
  SyncBatch,
  SyncOutcome,
  WorkContext,
  ContactProvider,
} from '../../../main/core/providers/provider';
import type { FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import type { Mailbox } from '../../fakes/graph/mailbox';

export const CLIENT_ID = '5f1b3a6e-0c2d-4e8a-9b7c-1d2e3f4a5b6c';

export function personalSettings(fake: FakeMicrosoft, pageSize = 25): MicrosoftAccountSettings {
  return {
    clientId: CLIENT_ID,
    mode: 'personal',
    identityBaseUrl: fake.identityOrigin,
    graphBaseUrl: fake.graphBaseUrl,
    knownAuthorities: [new URL(fake.identityOrigin).host],
    extraCaPem: fake.caPem,
    pageSize,
  };
}

/** AccountSecrets in memory, with a copy of every value written (to check nothing leaks). */
export function memorySecrets(): AccountSecrets & { value: unknown; writes: number } {
  const store = {
    value: undefined as unknown,
    writes: 0,
    async get<T>() {
      return store.value as T | undefined;
    },
    async set<T>(value: T) {
      store.value = structuredClone(value);
      store.writes += 1;
    },
  };
  return store;
}

function fetchText(url: string, caPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end();
  });
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Plays the user's browser: loads the authorize page, then submits its auto-posting form to MSAL's
 * loopback listener, as a browser running the page's script would.
 */
export function scriptedBrowser(
  fake: FakeMicrosoft,
): OpenBrowser & { urls: string[]; listenerStatus?: number } {
  const browser = {
    urls: [] as string[],
    listenerStatus: undefined as number | undefined,
    async open(url: string) {
      browser.urls.push(url);
      const html = await fetchText(url, fake.caPem);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error('the authorize page had no form');
      const fields = new URLSearchParams();
      for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
        fields.set(match[1], unescapeHtml(match[2]));
      }
      const target = new URL(unescapeHtml(action));
      if (target.hostname === 'localhost') target.hostname = '127.0.0.1';
      const body = fields.toString();
      browser.listenerStatus = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          target,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
  };
  return browser;
}

export function workContext(): WorkContext & { lines: string[]; controller: AbortController } {
  const controller = new AbortController();
  const lines: string[] = [];
  return {
    signal: controller.signal,
    progress: () => undefined,
    log: (line) => void lines.push(line),
    lines,
    controller,
  };
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return Object.assign(sleep, { waits });
}

/** What a backup holds after applying syncs: source id → contact, plus the folder list. */
export interface BackupMirror {
  contacts: Map<string, SourceContact>;
  folders: SyncBatch['folders'];
  cursor?: string;
  batches: SyncBatch[];
  lastOutcome?: SyncOutcome;
}

export function emptyMirror(): BackupMirror {
  return { contacts: new Map(), folders: [], batches: [] };
}

/**
 * Runs one sync into the mirror the way the engine would: a full outcome drops every contact that
 * was not delivered. Fails if the sink is ever entered while a previous call is still running.
 */
export async function syncInto(
  provider: ContactProvider,
  userId: string,
  mirror: BackupMirror,
): Promise<SyncOutcome> {
  const delivered = new Map<string, SourceContact>();
  const deleted = new Set<string>();
  let inSink = false;
  mirror.batches = [];
  const outcome = await provider.sync(
    userId,
    mirror.cursor,
    async (batch) => {
      if (inSink) throw new Error('sink entered twice at once');
      inSink = true;
      await new Promise((r) => setImmediate(r));
      mirror.batches.push(batch);
      if (batch.folders) mirror.folders = batch.folders;
      for (const upsert of batch.upserts) {
        delivered.set(upsert.sourceId, upsert);
        deleted.delete(upsert.sourceId);
      }
      for (const id of batch.deletions) {
        deleted.add(id);
        delivered.delete(id);
      }
      inSink = false;
    },
    workContext(),
  );
  if (outcome.full) mirror.contacts = new Map();
  for (const id of deleted) mirror.contacts.delete(id);
  for (const [id, contact] of delivered) mirror.contacts.set(id, contact);
  mirror.cursor = outcome.cursor;
  mirror.lastOutcome = outcome;
  return outcome;
}

/** Deterministic bytes that look like a JPEG (SOI marker, payload, EOI). */
export function jpeg(seed: number, size = 2048): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (seed * 31 + i * 7) & 0xff;
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  bytes.set([0xff, 0xd9], size - 2);
  return bytes;
}

/** A provider signed in (interactively, through the scripted browser) to one fake mailbox. */
export async function signedInProvider(
  fake: FakeMicrosoft,
  email: string,
  deps: Parameters<typeof createMicrosoftProvider>[2] = {},
  pageSize = 25,
): Promise<{
  provider: ContactProvider;
  secrets: ReturnType<typeof memorySecrets>;
  settings: MicrosoftAccountSettings;
}> {
  const secrets = memorySecrets();
  const settings = personalSettings(fake, pageSize);
  fake.state.signInEmail = email;
  await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
  return { provider: createMicrosoftProvider(settings, secrets, deps), secrets, settings };
}

/** A contact with most Graph properties set, different per `n`. */
export function richContact(n: number): Record<string, unknown> {
  return {
    givenName: `Given${n}`,
    surname: `Family${n}`,
    displayName: `Given${n} Family${n}`,
    emailAddresses: [{ name: `Given${n}`, address: `person${n}@example.com` }],
    businessPhones: [`+1 555 01${String(n).padStart(2, '0')}`],
    mobilePhone: `+1 555 10${String(n).padStart(2, '0')}`,
    homeAddress: {
      street: `${n} Main St`,
      city: 'Springfield',
      state: 'IL',
      postalCode: '62701',
      countryOrRegion: 'USA',
    },
    companyName: 'Contoso',
    jobTitle: 'Engineer',
    birthday: '1980-02-29',
    personalNotes: `note ${n}`,
  };
}

/** Asserts the mirror holds exactly the mailbox's contacts, each in its current folder. */
export function mirrorMatches(mirror: BackupMirror, mailbox: Mailbox): void {
  const expected = new Map([...mailbox.contacts.values()].map((c) => [c.id, c]));
  const actualIds = [...mirror.contacts.keys()].sort();
  if (JSON.stringify(actualIds) !== JSON.stringify([...expected.keys()].sort())) {
    throw new Error(`mirror has ${actualIds.length} contacts, mailbox ${expected.size}; sets differ`);
  }
  for (const [id, source] of mirror.contacts) {
    const stored = expected.get(id);
    if (source.contact.folderIds[0] !== stored?.folderId)
      throw new Error(`contact ${id} is in the wrong folder`);
    if (source.contact.displayName !== (stored?.props.displayName ?? ''))
      throw new Error(`contact ${id} is stale`);
  }
}
