/**
 * Allocation maps ([MS-PST] §2.2.2.7.2-5) computed from what the sink actually placed, plus the empty
 * DList page ([MS-PST] §2.2.2.7.6) Outlook expects at 0x4200 (pst.md §5).
 */
import { sealPage } from './btree';
import type { FileSink } from './file-sink';
import { amapOffset, dlistOffset, hasFMap, hasPMap, pageSize, slotsPerInterval } from './layout';

const ptypeFMap = 0x82;
const ptypePMap = 0x83;
const ptypeAMap = 0x84;
const ptypeDList = 0x86;

export interface MapSummary {
  /** Free bytes over all AMaps (HEADER.ROOT.cbAMapFree). */
  readonly freeBytes: number;
  /** Offset of the last AMap page (HEADER.ROOT.ibAMapLast). */
  readonly lastAMap: number;
  /** The header's rgbFM: longest free run of each of the first 128 AMaps. */
  readonly headerFreeMap: Buffer;
}

function bitmapOf(bits: Uint8Array, interval: number): Buffer {
  const bytes = slotsPerInterval / 8;
  const result = Buffer.alloc(bytes);
  const start = interval * bytes;
  result.set(bits.subarray(start, Math.min(bits.length, start + bytes)));
  return result;
}

/** Longest run of free (0) bits in an AMap bitmap, capped at 255: the FMap byte (§2.2.2.7.3). */
export function longestFreeRun(bitmap: Uint8Array): number {
  let best = 0;
  let run = 0;
  for (let slot = 0; slot < bitmap.length * 8; slot++) {
    if (bitmap[slot >> 3] & (0x80 >> (slot & 7))) run = 0;
    else if (++run > best) best = run;
  }
  return Math.min(best, 255);
}

function freeBits(bitmap: Uint8Array): number {
  let free = 0;
  for (const byte of bitmap) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++, value >>= 1) if ((value & 1) === 0) free++;
  }
  return free;
}

/** Writes every AMap, PMap and FMap page and the DList; returns what the header needs. */
export async function writeMaps(
  sink: FileSink,
  intervals: number,
  takePageId: () => number,
): Promise<MapSummary> {
  const bits = sink.allocationBits;
  const longest: number[] = [];
  let freeSlots = 0;
  for (let interval = 0; interval < intervals; interval++) {
    const bitmap = bitmapOf(bits, interval);
    freeSlots += freeBits(bitmap);
    longest.push(longestFreeRun(bitmap));
    const page = Buffer.alloc(pageSize);
    bitmap.copy(page, 0);
    const offset = amapOffset(interval);
    // AMap/PMap/FMap pages: bid = file offset and wSig = 0, as Outlook writes them (pst.md §3.1, §4.2).
    sealPage(page, ptypeAMap, offset, offset, false);
    await sink.writeAt(offset, page);
    if (hasPMap(interval)) {
      const pmap = Buffer.alloc(pageSize, 0xff);
      sealPage(pmap, ptypePMap, offset + pageSize, offset + pageSize, false);
      await sink.writeAt(offset + pageSize, pmap);
    }
  }
  for (let interval = 0; interval < intervals; interval++) {
    if (!hasFMap(interval)) continue;
    const fmap = Buffer.alloc(pageSize);
    for (let index = 0; index < 496 && interval + index < intervals; index++)
      fmap[index] = longest[interval + index];
    const offset = amapOffset(interval) + 2 * pageSize;
    sealPage(fmap, ptypeFMap, offset, offset, false);
    await sink.writeAt(offset, fmap);
  }
  const dlist = Buffer.alloc(pageSize);
  sealPage(dlist, ptypeDList, takePageId(), dlistOffset, true);
  await sink.writeAt(dlistOffset, dlist);
  const headerFreeMap = Buffer.alloc(128);
  for (let index = 0; index < Math.min(128, intervals); index++) headerFreeMap[index] = longest[index];
  return { freeBytes: freeSlots * 64, lastAMap: amapOffset(intervals - 1), headerFreeMap };
}
