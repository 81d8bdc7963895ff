/**
 * Contacts (and their stored search text) read back from their segment files when a version's
 * contact is asked for, the last few segments kept. The history index holds no contacts (issue 20: 440 MB at 100,000 before
 * any command did anything); readers that walk many versions go in storage order
 * (`storagePositions`), so each segment is read once per walk.
 */
import type { Contact } from '../contacts/model';
import { VaultError } from '../vault/errors';
import type { Searchable } from './contact-search';
import { storagePositions, type ContactLoader, type SegmentRef, type Version } from './history-index';
import {
  decodeSegmentContacts,
  decodeSegmentContactsLater,
  decodeSegmentTexts,
  decodeSegmentTextsLater,
  segmentName,
} from './segment-codec';

/** Segments kept: a walk in storage order needs two (this one and the next, read ahead). */
const SEGMENTS_KEPT = 4;

/** One segment's opened bytes, and what was parsed from them so far. */
interface KeptSegment {
  readonly plain: Buffer;
  contacts?: readonly Contact[];
  /** The stored search text; null when the segment has none (written before it was stored). */
  texts?: readonly Searchable[] | null;
}

export class SegmentContacts implements ContactLoader {
  private readonly kept = new Map<string, KeptSegment>();
  private readonly reading = new Map<string, Promise<void>>();

  constructor(
    /** Reads and opens one segment file synchronously (a version's contact is a plain property). */
    private readonly readNow: (segmentId: string) => Buffer,
    /** The same, decrypted and inflated on the thread pool, for walks that can wait (`prefetch`). */
    private readonly readLater: (segmentId: string) => Promise<Buffer>,
  ) {}

  contactAt(segment: SegmentRef, slot: number): Contact {
    const kept = this.segment(segment.id);
    kept.contacts ??= decodeSegmentContacts(kept.plain, segmentName(segment.id), segment.id);
    const contact = kept.contacts[slot];
    if (!contact) {
      throw new VaultError('tampered', `Backup data file ${segment.id} does not hold a contact it should.`);
    }
    return contact;
  }

  /** The search text stored with the contact; undefined for a segment written without it. */
  searchableAt(segment: SegmentRef, slot: number): Searchable | undefined {
    const kept = this.segment(segment.id);
    if (kept.texts === undefined)
      kept.texts = decodeSegmentTexts(kept.plain, segmentName(segment.id), segment.id) ?? null;
    if (kept.texts === null) return undefined;
    const text = kept.texts[slot];
    if (!text) {
      throw new VaultError('tampered', `Backup data file ${segment.id} does not hold a contact it should.`);
    }
    return text;
  }

  /**
   * Reads a segment ahead of a walk that will need its contacts or their search text, and inflates
   * that part, off the thread, so the walk's own read does not hold the thread that answers the
   * window. Failures are left to the walk (it reads again and says what is wrong).
   */
  async prefetch(segmentId: string, what: 'contacts' | 'texts' = 'contacts'): Promise<void> {
    const key = `${what}:${segmentId}`;
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.prepare(segmentId, what).catch(() => undefined);
      this.reading.set(key, reading);
      void reading.finally(() => this.reading.delete(key));
    }
    await reading;
  }

  private async prepare(segmentId: string, what: 'contacts' | 'texts'): Promise<void> {
    const kept = this.kept.get(segmentId) ?? { plain: await this.readLater(segmentId) };
    const name = segmentName(segmentId);
    if (what === 'contacts') kept.contacts ??= await decodeSegmentContactsLater(kept.plain, name, segmentId);
    else if (kept.texts === undefined)
      kept.texts = (await decodeSegmentTextsLater(kept.plain, name, segmentId)) ?? null;
    this.keep(segmentId, kept);
  }

  /** Forgets every kept segment (the history was replaced, or the vault locks). */
  clear(): void {
    this.kept.clear();
  }

  private segment(segmentId: string): KeptSegment {
    const kept = this.kept.get(segmentId);
    if (!kept) return this.keep(segmentId, { plain: this.readNow(segmentId) });
    this.kept.delete(segmentId);
    this.kept.set(segmentId, kept);
    return kept;
  }

  private keep(segmentId: string, kept: KeptSegment): KeptSegment {
    this.kept.delete(segmentId);
    this.kept.set(segmentId, kept);
    while (this.kept.size > SEGMENTS_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return kept;
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

  constructor(
    private readonly versions: readonly Version[],
    /** What the walk reads of each: the contact, or only its stored search text. */
    private readonly what: 'contacts' | 'texts' = 'contacts',
  ) {
    this.order = storagePositions(versions);
  }

  async ready(step: number): Promise<void> {
    const segment = this.versions[this.order[step]!]!.segment;
    if (segment === this.current) return;
    this.current = segment;
    const loader = segment.loader;
    if (!loader?.prefetch) return;
    const now = loader.prefetch(segment.id, this.what);
    for (let ahead = step + 1; ahead < this.order.length; ahead += 1) {
      const next = this.versions[this.order[ahead]!]!.segment;
      if (next !== segment) {
        void next.loader?.prefetch?.(next.id, this.what);
        break;
      }
    }
    await now;
  }
}
