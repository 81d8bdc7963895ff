/**
 * Contacts read back from their segment files when a version's contact is asked for, the last few
 * segments kept parsed. The history index holds no contacts (issue 20: 440 MB at 100,000 before
 * any command did anything); readers that walk many versions go in storage order
 * (`storageOrder`), so each segment is read once per walk.
 */
import type { Contact } from '../contacts/model';
import { VaultError } from '../vault/errors';
import { storageOrder, type ContactLoader, type SegmentRef, type Version } from './history-index';

/** Segments kept parsed: a walk in storage order needs two (this one and the next, read ahead). */
const SEGMENTS_KEPT = 4;

export class SegmentContacts implements ContactLoader {
  private readonly kept = new Map<string, readonly Contact[]>();
  private readonly reading = new Map<string, Promise<void>>();

  constructor(
    /** Reads one segment's contacts synchronously (a version's contact is a plain property). */
    private readonly readNow: (segmentId: string) => readonly Contact[],
    /** The same on the thread pool, for walks that can wait (`prefetch`). */
    private readonly readLater: (segmentId: string) => Promise<readonly Contact[]>,
  ) {}

  contactAt(segment: SegmentRef, slot: number): Contact {
    let contacts = this.kept.get(segment.id);
    if (contacts) {
      this.kept.delete(segment.id);
      this.kept.set(segment.id, contacts);
    } else {
      contacts = this.keep(segment.id, this.readNow(segment.id));
    }
    const contact = contacts[slot];
    if (!contact) {
      throw new VaultError('tampered', `Backup data file ${segment.id} does not hold a contact it should.`);
    }
    return contact;
  }

  /**
   * Reads a segment ahead of a walk that will need it, decrypted and inflated off the thread, so the
   * walk's own read does not hold the thread that answers the window. Failures are left to the walk.
   */
  async prefetch(segmentId: string): Promise<void> {
    if (this.kept.has(segmentId)) return;
    let reading = this.reading.get(segmentId);
    if (!reading) {
      reading = this.readLater(segmentId).then(
        (contacts) => void this.keep(segmentId, contacts),
        () => undefined,
      );
      this.reading.set(segmentId, reading);
      void reading.finally(() => this.reading.delete(segmentId));
    }
    await reading;
  }

  /** Forgets every kept segment (the history was replaced, or the vault locks). */
  clear(): void {
    this.kept.clear();
  }

  private keep(segmentId: string, contacts: readonly Contact[]): readonly Contact[] {
    this.kept.delete(segmentId);
    this.kept.set(segmentId, contacts);
    while (this.kept.size > SEGMENTS_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return contacts;
  }
}

/**
 * A walk over many versions' contacts in storage order: `ready(step)` is awaited before the
 * contact of `versions[order[step]]` is read, and reads its segment (and starts the next one) on
 * the thread pool, so the walk neither reads a segment twice nor holds the thread reading one.
 */
export class StoredWalk {
  /** Positions in `versions`, in the order to visit them. */
  readonly order: number[];
  private current?: SegmentRef;

  constructor(private readonly versions: readonly Version[]) {
    this.order = versions.map((_, at) => at).sort((a, b) => storageOrder(versions[a]!, versions[b]!));
  }

  async ready(step: number): Promise<void> {
    const segment = this.versions[this.order[step]!]!.segment;
    if (segment === this.current) return;
    this.current = segment;
    const loader = segment.loader;
    if (!loader?.prefetch) return;
    const now = loader.prefetch(segment.id);
    for (let ahead = step + 1; ahead < this.order.length; ahead += 1) {
      const next = this.versions[this.order[ahead]!]!.segment;
      if (next !== segment) {
        void next.loader?.prefetch?.(next.id);
        break;
      }
    }
    await now;
  }
}
