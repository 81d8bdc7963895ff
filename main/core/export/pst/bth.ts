/**
 * BTree-on-heap ([MS-PST] §2.3.2): BTHHEADER {bType 0xB5, cbKey, cbEnt, bIdxLevels, hidRoot}, leaf
 * records key|data sorted by key, index records key|hid. The header must be the heap's first
 * allocation in PCs and TCs (pst-extractor hard-codes HID 0x20, pst.md §6.3).
 */
import { HeapBuilder, maxHeapItem } from './heap';

/** Reserves the 8-byte BTHHEADER; call before any other allocation so it gets HID 0x20. */
export function reserveBthHeader(heap: HeapBuilder): number {
  return heap.reserve(8);
}

/**
 * Writes sorted records (concatenated, each cbKey + cbEnt bytes) and fills the reserved header.
 * Returns the leaf allocations in order; leaf k holds records from k × recordsPerLeaf on.
 */
export function writeBth(
  heap: HeapBuilder,
  headerHid: number,
  cbKey: number,
  cbEnt: number,
  records: Buffer,
): number[] {
  const recordSize = cbKey + cbEnt;
  const count = records.length / recordSize;
  const header = Buffer.alloc(8);
  header[0] = 0xb5;
  header[1] = cbKey;
  header[2] = cbEnt;
  if (count === 0) {
    heap.set(headerHid, header); // empty BTH: hidRoot 0 (pst.md §6.2)
    return [];
  }
  let level: { key: Buffer; hid: number }[] = [];
  const perLeaf = recordsPerLeaf(recordSize);
  for (let start = 0; start < count; start += perLeaf) {
    const slice = records.subarray(start * recordSize, Math.min(count, start + perLeaf) * recordSize);
    level.push({ key: slice.subarray(0, cbKey), hid: heap.allocate(slice) });
  }
  const leaves = level.map((entry) => entry.hid);
  let levels = 0;
  const perIndex = Math.floor(maxHeapItem / (cbKey + 4));
  while (level.length > 1) {
    const parents: { key: Buffer; hid: number }[] = [];
    for (let start = 0; start < level.length; start += perIndex) {
      const slice = level.slice(start, start + perIndex);
      const data = Buffer.alloc(slice.length * (cbKey + 4));
      slice.forEach((entry, index) => {
        entry.key.copy(data, index * (cbKey + 4));
        data.writeUInt32LE(entry.hid, index * (cbKey + 4) + cbKey);
      });
      parents.push({ key: slice[0].key, hid: heap.allocate(data) });
    }
    level = parents;
    levels += 1;
  }
  header[3] = levels;
  header.writeUInt32LE(level[0].hid, 4);
  heap.set(headerHid, header);
  return leaves;
}

/** Records per BTH leaf for a record size (each leaf is one heap allocation of at most 3580 bytes). */
export function recordsPerLeaf(recordSize: number): number {
  return Math.floor(maxHeapItem / recordSize);
}
