/**
 * The journal of one restore run: an append-only file of small sealed records, written and synced
 * BEFORE each batch of creates (the intent) and after it (the outcome), removed when the run ends.
 * A crash at any instant leaves at most one batch whose outcome is unknown; a resume asks the
 * target for those contacts' restore ids (ContactWriter.findRestored) before creating anything.
 *
 * Records hold ids only (backed-up contact ids, target ids, folder keys), never contact data, and
 * each line is sealed with the vault's file key all the same. A torn last line (killed mid-append)
 * fails its tag check and is ignored: its batch was not written yet, or is found by restore id.
 */
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { open as openSealed, seal } from '../vault/crypto';

/** One line of the journal. */
export type JournalRecord =
  | { readonly intent: readonly string[] }
  | { readonly done: readonly (readonly [string, string])[] }
  | { readonly folder: string; readonly id: string };

/** What a journal holds when it is read back. */
export interface JournalState {
  /** Backed-up contact ids a create was started for (their outcome may be unknown). */
  readonly intended: Set<string>;
  /** Backed-up contact id -> target id, for writes the target confirmed. */
  readonly done: Map<string, string>;
  /** Folder key -> target folder id. */
  readonly folders: Map<string, string>;
}

/** The run's journal, open for appending. */
export class RestoreJournal {
  private constructor(
    readonly path: string,
    private readonly key: Buffer,
    private readonly aad: string,
    private handle: FileHandle | undefined,
    readonly state: JournalState,
    private bytes: number,
  ) {}

  /** Where the journal of a run lives inside the vault folder. */
  static pathFor(vaultFolder: string, runId: string): string {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(runId)) throw new Error('Invalid restore run id.');
    return join(vaultFolder, 'db', 'restore-journals', `${runId}.cbj`);
  }

  /** Opens (or creates) the journal of `runId` and reads back what an earlier attempt recorded. */
  static async open(vaultFolder: string, runId: string, key: Buffer): Promise<RestoreJournal> {
    const path = RestoreJournal.pathFor(vaultFolder, runId);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const aad = `restore-journal/${runId}`;
    const state: JournalState = { intended: new Set(), done: new Map(), folders: new Map() };
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let valid = 0;
    for (const line of text.split('\n')) {
      if (!line) break;
      let record: JournalRecord;
      try {
        record = JSON.parse(
          openSealed(key, Buffer.from(line, 'base64'), aad, 'The restore journal').toString(),
        );
      } catch {
        break; // a torn last line: everything before it stands
      }
      apply(state, record);
      valid += line.length + 1;
    }
    const handle = await open(path, 'a', 0o600);
    // Cut a torn tail so new records follow the last whole one.
    if (valid < Buffer.byteLength(text)) await handle.truncate(valid);
    return new RestoreJournal(path, key, aad, handle, state, valid);
  }

  /** Appends records and waits until they are on disk. */
  async append(...records: JournalRecord[]): Promise<void> {
    if (!this.handle) throw new Error('The restore journal is closed.');
    const lines = records
      .map((record) => {
        apply(this.state, record);
        return `${seal(this.key, Buffer.from(JSON.stringify(record)), this.aad).toString('base64')}\n`;
      })
      .join('');
    await this.handle.write(lines);
    await this.handle.sync();
    this.bytes += Buffer.byteLength(lines);
  }

  /** Bytes on disk (for the bench). */
  get size(): number {
    return this.bytes;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  /** The run is over: the journal goes. */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }
}

function apply(state: JournalState, record: JournalRecord): void {
  if ('intent' in record) for (const id of record.intent) state.intended.add(id);
  else if ('done' in record) for (const [id, target] of record.done) state.done.set(id, target);
  else state.folders.set(record.folder, record.id);
}
