/**
 * The output file as an append-only stream plus an allocation bitmap. Space is handed out in order,
 * skipping the map pages every AMap interval reserves, so the AMap can later be computed exactly from
 * what was placed (pst.md §0, §5.1). Bytes are buffered and flushed in large sequential writes so a
 * 100,000-contact export keeps memory flat.
 */
import type { FileHandle } from 'node:fs/promises';
import { alignUp } from './binary';
import {
  amapOffset,
  firstAMapOffset,
  maxIntervals,
  reservedBytes,
  slotSize,
  slotsPerInterval,
} from './layout';

const flushThreshold = 4 * 1024 * 1024;

/** Refused when an export would need an FPMap page (files over about 2 GB). */
export class PstTooLargeError extends Error {
  constructor() {
    super(
      'The PST would exceed 2 GB, which needs FPMap pages this writer does not write; export fewer contacts per file.',
    );
    this.name = 'PstTooLargeError';
  }
}

export class FileSink {
  /** End of the bytes emitted so far (everything before it is in `pending` or on disk). */
  private end = firstAMapOffset;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingStart = firstAMapOffset;
  /** One bit per 64-byte slot from 0x4400 on, MSB first; the concatenation of all AMap bitmaps. */
  private bitmap = new Uint8Array(64 * 1024);
  private lastReserved = -1;

  constructor(private readonly handle: FileHandle) {
    this.reserveMapPages(0);
  }

  /** Offset where the next allocation of this alignment would land. */
  get position(): number {
    return this.end;
  }

  /** Number of AMap intervals the file spans so far. */
  get intervals(): number {
    return Math.ceil((this.end - firstAMapOffset) / (slotsPerInterval * slotSize));
  }

  /** The allocation bitmap (valid for `intervals` intervals). */
  get allocationBits(): Uint8Array {
    return this.bitmap;
  }

  /** Places `data` (a whole block or page, length a multiple of 64) at the next free aligned offset. */
  append(data: Buffer, alignment: number): number {
    let offset = alignUp(this.end, alignment);
    let interval = Math.floor((offset - firstAMapOffset) / (slotsPerInterval * slotSize));
    while (this.lastReserved < interval) this.reserveMapPages(this.lastReserved + 1);
    const intervalStart = amapOffset(interval);
    if (offset < intervalStart + reservedBytes(interval)) offset = intervalStart + reservedBytes(interval);
    if (offset + data.length > amapOffset(interval + 1)) {
      interval += 1;
      this.reserveMapPages(interval);
      offset = amapOffset(interval) + reservedBytes(interval);
    }
    this.emitAt(offset, data);
    this.mark(offset, data.length);
    return offset;
  }

  /** Writes what is buffered when enough has accumulated. */
  async flushIfNeeded(): Promise<void> {
    if (this.pendingBytes >= flushThreshold) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const buffers = this.pending;
    const start = this.pendingStart;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingStart = this.end;
    await this.handle.writev(buffers, start);
  }

  /** Extends the stream with zeros up to the end of the last interval, as Outlook grows files (pst.md §1). */
  padToIntervalEnd(): number {
    const target = amapOffset(this.intervals);
    if (target > this.end) this.emitAt(target, Buffer.alloc(0));
    return this.end;
  }

  /** Writes bytes at a fixed, already reserved offset (map pages, header). */
  async writeAt(offset: number, data: Buffer): Promise<void> {
    await this.handle.write(data, 0, data.length, offset);
  }

  private reserveMapPages(interval: number): void {
    if (interval >= maxIntervals) throw new PstTooLargeError();
    this.lastReserved = interval;
    const start = amapOffset(interval);
    if (start > this.end) this.emitAt(start, Buffer.alloc(0));
    const size = reservedBytes(interval);
    this.emitAt(start, Buffer.alloc(size));
    this.mark(start, size);
  }

  private emitAt(offset: number, data: Buffer): void {
    if (offset < this.end) throw new Error(`internal: overlapping write at ${offset}`);
    let gap = offset - this.end;
    while (gap > 0) {
      const zeros = Buffer.alloc(Math.min(gap, 1024 * 1024));
      this.pending.push(zeros);
      this.pendingBytes += zeros.length;
      gap -= zeros.length;
    }
    if (data.length > 0) {
      this.pending.push(data);
      this.pendingBytes += data.length;
    }
    this.end = offset + data.length;
  }

  private mark(offset: number, length: number): void {
    const first = (offset - firstAMapOffset) / slotSize;
    const count = length / slotSize;
    const needed = Math.ceil((first + count) / 8);
    if (needed > this.bitmap.length) {
      const grown = new Uint8Array(Math.max(needed, this.bitmap.length * 2));
      grown.set(this.bitmap);
      this.bitmap = grown;
    }
    for (let slot = first; slot < first + count; slot++) this.bitmap[slot >> 3] |= 0x80 >> (slot & 7);
  }
}
