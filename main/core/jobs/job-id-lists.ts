/**
 * Long id lists (a selection of up to 200,000 contacts) stay out of job records: the record keeps
 * a count, and the ids go to a side file of their own while the job may still need them (queued,
 * running, or finished without success and so resumable). Five such jobs once made the job list
 * 65 MB, and every command that read it 7 s and 750 MB.
 */
import { createHash } from 'node:crypto';

/** Lists up to this long stay in the record (a few ids are useful to read there). */
export const INLINE_IDS = 20;

export type IdLists = Record<string, string[]>;

/** Where the side files live (sealed files of the vault in the app; memory in unit tests). */
export interface IdListStore {
  write(jobId: string, lists: IdLists): Promise<void>;
  read(jobId: string): Promise<IdLists | undefined>;
  remove(jobId: string): Promise<void>;
  /** Job ids that have a side file (to remove those of jobs no longer listed). */
  list(): Promise<string[]>;
}

export function memoryIdListStore(): IdListStore {
  const files = new Map<string, IdLists>();
  return {
    write: async (jobId, lists) => void files.set(jobId, structuredClone(lists)),
    read: async (jobId) => structuredClone(files.get(jobId)),
    remove: async (jobId) => void files.delete(jobId),
    list: async () => [...files.keys()],
  };
}

function isIdList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > INLINE_IDS && value.every((item) => typeof item === 'string');
}

/**
 * Splits the long id lists off an object's top-level properties: `slim` has each replaced by its
 * count under `counts`; `lists` holds the ids. Objects without long lists come back as they are.
 */
export function splitIdLists<T>(value: T): { slim: T; lists: IdLists; counts: Record<string, number> } {
  const lists: IdLists = {};
  const counts: Record<string, number> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { slim: value, lists, counts };
  const slim: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isIdList(item)) {
      lists[key] = item;
      counts[key] = item.length;
    } else slim[key] = item;
  }
  return { slim: slim as T, lists, counts };
}

/** Puts the lists back into slim params (the handler sees exactly what was enqueued). */
export function joinIdLists(slim: unknown, lists: IdLists): unknown {
  const { idLists: _counts, ...rest } = slim as { idLists?: unknown };
  return { ...rest, ...lists };
}

/** A dedupe key built from a long list becomes its hash, so the key is not a second copy of it. */
export function compactKey(key: string | undefined): string | undefined {
  if (!key || key.length <= 200) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
