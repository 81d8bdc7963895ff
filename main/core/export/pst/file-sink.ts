/**
 * The output file as an append-only stream plus an allocation bitmap. Space is handed out in order,
 * skipping the map pages every AMap interval reserves, so the AMap can later be computed exactly from
 * what was placed (pst.md §0, §5.1). Bytes are buffered and flushed in large sequential writes so a
 * 100,000-contact export keeps memory flat.
 */
import type { RandomAccessOutput } from '../encrypted-scratch-file';
import { alignUp } from './binary';
import {
  amapOffset,
  firstAMapOffset,
  maxIntervals,
  reservedBytes,
  slotSize,
  slotsPerInterval,
} from './layout';

const chunkSize = 4 * 1024 * 1024;

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
  /** End of the bytes emitted so far (everything before it is in `chunks` or on disk). */
  private end = firstAMapOffset;
  /**
   * Output chunks: bytes are copied into reusable 4 MB buffers rather than kept as one Buffer per
   * block, so the garbage per message stays small and RSS flat.
   */
  private chunks: Buffer[] = [Buffer.alloc(chunkSize)];
  /** Bytes used in each chunk but the last (whose fill is `chunkUsed`). */
  private lengths: number[] = [];
  private chunkUsed = 0;
  private spare: Buffer[] = [];
  private pendingStart = firstAMapOffset;
  /** One bit per 64-byte slot from 0x4400 on, MSB first; the concatenation of all AMap bitmaps. */
  private bitmap = new Uint8Array(64 * 1024);
  private lastReserved = -1;

  constructor(private readonly handle: RandomAccessOutput) {
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

  /**
   * Places `size` bytes (a whole block or page, a multiple of 64) at the next free aligned offset and
   * returns the offset and a zeroed view to fill. The view is valid until the next `flush`.
   */
  reserve(size: number, alignment: number): { offset: number; view: Buffer } {
    const offset = this.place(size, alignment);
    return { offset, view: this.emitAt(offset, size) };
  }

  /** Places a copy of `data` like `reserve`. */
  append(data: Buffer, alignment: number): number {
    const { offset, view } = this.reserve(data.length, alignment);
    data.copy(view);
    return offset;
  }

  private place(size: number, alignment: number): number {
    let offset = alignUp(this.end, alignment);
    let interval = Math.floor((offset - firstAMapOffset) / (slotsPerInterval * slotSize));
    while (this.lastReserved < interval) this.reserveMapPages(this.lastReserved + 1);
    const intervalStart = amapOffset(interval);
    if (offset < intervalStart + reservedBytes(interval)) offset = intervalStart + reservedBytes(interval);
    if (offset + size > amapOffset(interval + 1)) {
      interval += 1;
      this.reserveMapPages(interval);
      offset = amapOffset(interval) + reservedBytes(interval);
    }
    this.mark(offset, size);
    return offset;
  }

  /** Writes what is buffered when enough has accumulated. */
  async flushIfNeeded(): Promise<void> {
    if (this.chunks.length > 1) await this.flush();
  }

  async flush(): Promise<void> {
    const last = this.chunks.length - 1;
    const buffers = this.chunks.map((chunk, index) =>
      chunk.subarray(0, index === last ? this.chunkUsed : this.lengths[index]),
    );
    if (buffers.length === 1 && this.chunkUsed === 0) return;
    await this.handle.writev(buffers, this.pendingStart);
    this.pendingStart = this.end;
    this.spare = this.chunks.slice(0, 2);
    this.chunks = [this.newChunk()];
    this.lengths = [];
    this.chunkUsed = 0;
  }

  private newChunk(): Buffer {
    const chunk = this.spare.pop() ?? Buffer.alloc(chunkSize);
    chunk.fill(0);
    return chunk;
  }

  /** Extends the stream with zeros up to the end of the last interval, as Outlook grows files (pst.md §1). */
  padToIntervalEnd(): number {
    const target = amapOffset(this.intervals);
    if (target > this.end) this.emitAt(target, 0);
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
    const size = reservedBytes(interval);
    this.emitAt(start, size); // zeros for now; writeMaps fills the map pages at the end
    this.mark(start, size);
  }

  /** Advances the stream to `offset` (zeros in between) and returns a zeroed view of `size` bytes there. */
  private emitAt(offset: number, size: number): Buffer {
    if (offset < this.end) throw new Error(`internal: overlapping write at ${offset}`);
    let gap = offset - this.end;
    while (gap > 0) {
      const room = chunkSize - this.chunkUsed;
      if (room === 0) this.nextChunk();
      const step = Math.min(gap, chunkSize - this.chunkUsed);
      this.chunkUsed += step; // chunks are zeroed when taken
      gap -= step;
    }
    this.end = offset + size;
    if (this.chunkUsed + size > chunkSize) {
      // A block never spans chunks: the rest of this chunk is cut off and the next chunk continues.
      this.nextChunk();
    }
    const chunk = this.chunks[this.chunks.length - 1];
    const view = chunk.subarray(this.chunkUsed, this.chunkUsed + size);
    this.chunkUsed += size;
    return view;
  }

  private nextChunk(): void {
    this.lengths.push(this.chunkUsed);
    this.chunks.push(this.newChunk());
    this.chunkUsed = 0;
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
