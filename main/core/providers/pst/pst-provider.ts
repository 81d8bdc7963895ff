/**
 * A PST file as a read-only contact source (issue 7): every sync is a full read through pst-extractor.
 * Folder ids and contact source ids are NIDs in decimal, stable for a given file. A file that is not a
 * readable PST yields ProviderError('invalid-input') instead of a crash.
 *
 * The read runs in a worker thread with a time budget (issue 18 item 5): pst-extractor can spin for
 * ever on a few flipped bytes, and a worker is the only thing that can be stopped from outside while
 * it does. A read that stopped advancing for the budget's time is an error naming the file; a read that missed folders or
 * items is a partial read: its contacts are delivered, the job log says what was missed, and the
 * sync is not "full", so contacts it could not see are never marked deleted.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ContactFolder } from '../../contacts/model';
import {
  ProviderError,
  type AccountUser,
  type ContactProvider,
  type ContactWriter,
  type SourceContact,
  type SyncBatch,
  type SyncOutcome,
  type WorkContext,
} from '../provider';
import type { PstReadContact, PstReadResult } from './pst-read';
import { count } from '../../plural';

/** The one user a PST file has. */
export const pstUserId = 'pst';
const pageSize = 500;

export interface PstContents {
  readonly folders: ContactFolder[];
  readonly contacts: SourceContact[];
  /** Sentences for the job log: what could not be read, lists skipped, a password. Empty = clean. */
  readonly warnings: string[];
  /** True when folders or items could not be read (the contacts delivered are not the whole file). */
  readonly partial: boolean;
}

export interface PstReadOptions {
  readonly signal?: AbortSignal;
  /**
   * Time the read may go without progress (the worker reports every few items read; a damaged table
   * makes pst-extractor spin without any). By default 60 s. A slow but advancing read of a large
   * file is never stopped; one that stops advancing is.
   */
  readonly budgetMs?: number;
}

/** The worker entry: the bundle's .cjs next to this code, or the sources through tsx. */
function workerEntry(): URL {
  const bundled = new URL('./pst-read-worker.cjs', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./pst-read-worker-tsx.mjs', import.meta.url);
}

type WorkerAnswer =
  | { progress: number }
  | { ok: true; result: PstReadResult }
  | { ok: false; kind: 'not-found' | 'invalid-input'; message: string };

const DEFAULT_BUDGET_MS = 60_000;

/** Runs one read in a worker thread; terminates it when the budget or the signal says so. */
async function readInWorker(path: string, options: PstReadOptions): Promise<PstReadResult> {
  try {
    await stat(path);
  } catch {
    throw new ProviderError('not-found', `Cannot open the PST file ${basename(path)}.`);
  }
  const budget = options.budgetMs ?? DEFAULT_BUDGET_MS;
  options.signal?.throwIfAborted();
  // stdout/stderr: true keeps pst-extractor's console chatter out of the CLI's output (--json).
  const worker = new Worker(workerEntry(), { workerData: { path }, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  return new Promise<PstReadResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const stalled = () =>
      finish(() =>
        reject(
          new ProviderError(
            'invalid-input',
            `${basename(path)} could not be read within ${Math.round(budget / 1000)} s (reading stopped advancing); it is probably damaged (run scanpst.exe on it in Windows).`,
          ),
        ),
      );
    let timer = setTimeout(stalled, budget);
    const onAbort = () =>
      finish(() => reject(new ProviderError('invalid-input', 'Reading the PST was cancelled.')));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (answer: WorkerAnswer) => {
      if ('progress' in answer) {
        // Still advancing: the budget starts again.
        clearTimeout(timer);
        if (!settled) timer = setTimeout(stalled, budget);
        return;
      }
      finish(() =>
        answer.ok ? resolve(answer.result) : reject(new ProviderError(answer.kind, answer.message)),
      );
    });
    worker.once('error', () =>
      finish(() =>
        reject(
          new ProviderError(
            'invalid-input',
            `${basename(path)} could not be read as a PST file (it may be damaged).`,
          ),
        ),
      ),
    );
    worker.once('exit', () =>
      finish(() =>
        reject(new ProviderError('invalid-input', `Reading ${basename(path)} stopped unexpectedly.`)),
      ),
    );
  });
}

function sourceContact(read: PstReadContact): SourceContact {
  const { photo } = read;
  return {
    sourceId: read.sourceId,
    contact: read.contact,
    ...(photo
      ? {
          photo: {
            key: photo.key,
            load: async () => ({ mediaType: photo.mediaType, bytes: Buffer.from(photo.bytes) }),
          },
        }
      : {}),
  };
}

/** The sentences a read's findings give, for the job log. */
function warningsOf(path: string, result: PstReadResult): string[] {
  const warnings = result.problems.map((problem) => `Warning: ${problem}`);
  if (result.problems.length) {
    warnings.push(
      `Warning: ${basename(path)} was read only in part (it may be damaged); contacts that could not be read are kept as they were in the backup.`,
    );
  }
  if (result.distributionLists) {
    warnings.push(
      `Warning: not backed up from ${basename(path)}: ${count(result.distributionLists, 'distribution list')} (lists of addresses, not contacts).`,
    );
  }
  if (result.passwordProtected) {
    warnings.push(
      `${basename(path)} has an Outlook PST password. That password does not encrypt the file, so its contacts were read without it.`,
    );
  }
  return warnings;
}

/**
 * Reads every contact folder (nested as in the file) and every contact (IPM.Contact and custom
 * IPM.Contact.* forms) of a PST, in a worker thread within a time budget.
 */
export async function readPstContacts(
  path: string,
  signalOrOptions?: AbortSignal | PstReadOptions,
): Promise<PstContents> {
  const options: PstReadOptions =
    signalOrOptions instanceof AbortSignal ? { signal: signalOrOptions } : (signalOrOptions ?? {});
  const result = await readInWorker(path, options);
  return {
    folders: result.folders,
    contacts: result.contacts.map(sourceContact),
    warnings: warningsOf(path, result),
    partial: result.problems.length > 0,
  };
}

/** A read-only ContactProvider over one PST file. */
export function createPstProvider(path: string, options: { budgetMs?: number } = {}): ContactProvider {
  return {
    async listUsers(): Promise<AccountUser[]> {
      return [{ id: pstUserId, email: basename(path), displayName: basename(path), active: true }];
    },
    async sync(
      _userId: string,
      _cursor: string | undefined,
      sink: (batch: SyncBatch) => Promise<void>,
      context: WorkContext,
    ): Promise<SyncOutcome> {
      const { folders, contacts, warnings, partial } = await readPstContacts(path, {
        signal: context.signal,
        budgetMs: options.budgetMs,
      });
      for (const warning of warnings) context.log(warning);
      for (let start = 0; start === 0 || start < contacts.length; start += pageSize) {
        await sink({
          ...(start === 0 ? { folders } : {}),
          upserts: contacts.slice(start, start + pageSize),
          deletions: [],
        });
        context.progress(Math.min(contacts.length, start + pageSize), contacts.length);
      }
      // A partial read is never "the whole address book": what it missed must not become deleted.
      return { full: !partial };
    },
    async fetchContacts(
      _userId: string,
      sourceIds: readonly string[],
      context: WorkContext,
    ): Promise<SourceContact[]> {
      const wanted = new Set(sourceIds);
      const { contacts } = await readPstContacts(path, {
        signal: context.signal,
        budgetMs: options.budgetMs,
      });
      return contacts.filter((contact) => wanted.has(contact.sourceId));
    },
    writer(): ContactWriter | undefined {
      return undefined;
    },
  };
}
