/**
 * The two NDB B-trees ([MS-PST] §2.2.2.7.7), built bottom-up from sorted entry lists once every block
 * is placed. libpst rejects any deviation from these invariants (pst.md §3.2): keys ascending, each
 * intermediate entry's btkey equal to its child's first key, the trailer bid equal to the BREF it is
 * reached through, cEnt within cEntMax.
 */
import { writeU64 } from './binary';
import { computeSig, pstCrc } from './crc';
import type { FileSink } from './file-sink';
import { pageSize } from './layout';

export const ptypeBbt = 0x80;
export const ptypeNbt = 0x81;

/** A 512-byte page's trailer: ptype, ptypeRepeat, wSig, dwCRC over 496 bytes, bid (§2.2.2.7.1). */
export function sealPage(page: Buffer, ptype: number, bid: number, ib: number, signed: boolean): void {
  page[496] = ptype;
  page[497] = ptype;
  page.writeUInt16LE(signed ? computeSig(ib, bid) : 0, 498);
  page.writeUInt32LE(pstCrc(page, 0, 496), 500);
  writeU64(page, 504, bid);
}

export interface NbtEntry {
  readonly nid: number;
  readonly bidData: number;
  readonly bidSub: number;
  readonly nidParent: number;
}

export interface BbtEntry {
  readonly bid: number;
  readonly ib: number;
  readonly cb: number;
}

export interface BRef {
  readonly bid: number;
  readonly ib: number;
}

/** Hands out page BIDs, which count up by one from their own counter (pst.md §3.1). */
export class PageIds {
  constructor(private next = 1) {}
  take(): number {
    return this.next++;
  }
  get bidNext(): number {
    return this.next;
  }
}

interface ChildRef {
  readonly key: number;
  readonly bid: number;
  readonly ib: number;
}

/**
 * Writes leaf pages, then index levels up to the root. The sink is flushed as pages accumulate, so a
 * BBT of 400,000 blocks does not sit in memory (the B-tree pages are a few MB at 100,000 contacts).
 */
async function writeLevels(
  sink: FileSink,
  pages: PageIds,
  ptype: number,
  leafCount: number,
  leafCapacity: number,
  leafEntrySize: number,
  keyAt: (index: number) => number,
  writeLeafEntry: (page: Buffer, offset: number, index: number) => void,
): Promise<BRef> {
  let children: ChildRef[] = [];
  const total = Math.max(leafCount, 0);
  for (let start = 0; start < total || (start === 0 && total === 0); start += leafCapacity) {
    const count = Math.min(leafCapacity, total - start);
    const page = Buffer.alloc(pageSize);
    for (let index = 0; index < count; index++) writeLeafEntry(page, index * leafEntrySize, start + index);
    page[488] = count;
    page[489] = leafCapacity;
    page[490] = leafEntrySize;
    page[491] = 0;
    const bid = pages.take();
    const { offset: ib, view } = sink.reserve(pageSize, pageSize);
    sealPage(page, ptype, bid, ib, true);
    page.copy(view);
    children.push({ key: count > 0 ? keyAt(start) : 0, bid, ib });
    if (total === 0) break;
    await sink.flushIfNeeded();
  }
  let level = 1;
  while (children.length > 1) {
    const parents: ChildRef[] = [];
    for (let start = 0; start < children.length; start += 20) {
      const slice = children.slice(start, start + 20);
      const page = Buffer.alloc(pageSize);
      // BTENTRY: btkey (8), BREF (16); btkey = the child's first key (§2.2.2.7.7.2).
      slice.forEach((child, index) => {
        writeU64(page, index * 24, child.key);
        writeU64(page, index * 24 + 8, child.bid);
        writeU64(page, index * 24 + 16, child.ib);
      });
      page[488] = slice.length;
      page[489] = 20;
      page[490] = 24;
      page[491] = level;
      const bid = pages.take();
      const { offset: ib, view } = sink.reserve(pageSize, pageSize);
      sealPage(page, ptype, bid, ib, true);
      page.copy(view);
      parents.push({ key: slice[0].key, bid, ib });
    }
    children = parents;
    level += 1;
  }
  return { bid: children[0].bid, ib: children[0].ib };
}

/** Writes the node B-tree from `count` entries sorted by NID; returns the root BREF. */
export function writeNbt(
  sink: FileSink,
  pages: PageIds,
  count: number,
  entryAt: (index: number) => NbtEntry,
): Promise<BRef> {
  // NBTENTRY: nid (8, zero-extended), bidData, bidSub, nidParent (4), dwPadding (4) (§2.2.2.7.7.4).
  return writeLevels(
    sink,
    pages,
    ptypeNbt,
    count,
    15,
    32,
    (index) => entryAt(index).nid,
    (page, offset, index) => {
      const entry = entryAt(index);
      writeU64(page, offset, entry.nid);
      writeU64(page, offset + 8, entry.bidData);
      writeU64(page, offset + 16, entry.bidSub);
      page.writeUInt32LE(entry.nidParent, offset + 24);
    },
  );
}

/** Writes the block B-tree from entries sorted by BID; returns the root BREF. */
export function writeBbt(
  sink: FileSink,
  pages: PageIds,
  count: number,
  entryAt: (index: number) => BbtEntry,
): Promise<BRef> {
  // BBTENTRY: BREF (16), cb (2), cRef (2), dwPadding (4); cRef 2 as Outlook writes (pst.md §3.2).
  return writeLevels(
    sink,
    pages,
    ptypeBbt,
    count,
    20,
    24,
    (index) => entryAt(index).bid,
    (page, offset, index) => {
      const entry = entryAt(index);
      writeU64(page, offset, entry.bid);
      writeU64(page, offset + 8, entry.ib);
      page.writeUInt16LE(entry.cb, offset + 16);
      page.writeUInt16LE(2, offset + 18);
    },
  );
}
