/**
 * Heap-on-node builder ([MS-PST] §2.3.1). Allocations are packed into heap blocks in order; each block
 * ends with its HNPAGEMAP. Block 0 starts with HNHDR, blocks 8, 136, 264… with HNBITMAPHDR, the others
 * with HNPAGEHDR (§2.3.1.2-4).
 */
import { maxBlockData } from './blocks';

/** Largest heap allocation ([MS-PST] §2.3.1.1); bigger values go to subnodes. */
export const maxHeapItem = 3580;

export const clientSigPc = 0xbc;
export const clientSigTc = 0x7c;

function headerSizeOf(blockIndex: number): number {
  if (blockIndex === 0) return 12;
  return blockIndex % 128 === 8 ? 66 : 2;
}

/**
 * Fill level of a heap block from its free bytes (§2.3.1.5): 0 = at least 3584 free … 0xF = under 8 free.
 */
export function fillLevel(free: number): number {
  const limits = [3584, 2560, 2048, 1792, 1536, 1280, 1024, 768, 512, 256, 128, 64, 32, 16, 8];
  for (let level = 0; level < limits.length; level++) if (free >= limits[level]) return level;
  return 0xf;
}

interface HeapBlock {
  /** Allocation bytes, written from the block header's end on; grows up to one block. */
  data: Buffer;
  readonly starts: number[];
  end: number;
  /** Already handed to the heap's `emit` (its bytes are released). */
  emitted: boolean;
}

const emptyData = Buffer.alloc(0);

function newBlock(index: number): HeapBlock {
  return { data: Buffer.alloc(1024), starts: [], end: headerSizeOf(index), emitted: false };
}

/** Blocks whose header holds fill levels of later blocks: 0 (HNHDR) and 8, 136, 264… (HNBITMAPHDR). */
function holdsFillLevels(blockIndex: number): boolean {
  return blockIndex === 0 || headerSizeOf(blockIndex) === 66;
}

/** Receives a finished heap block: its index in the heap and its payload (valid during the call). */
export type HeapBlockSink = (blockIndex: number, payload: Buffer) => void;

export class HeapBuilder {
  private readonly blocks: HeapBlock[] = [newBlock(0)];
  /** Fill level of each block handed to `emit` early (its bytes are gone by then). */
  private readonly levels: number[] = [];
  private userRoot = 0;

  /**
   * With `emit`, the heap streams: a block that cannot take the next allocation is handed to `emit` at
   * once, unless its header lists later blocks' fill levels (block 0 and every HNBITMAPHDR block); those
   * and the open block go out in `build`. Only hold-back blocks stay in memory.
   */
  constructor(
    private readonly clientSig: number,
    private readonly emit?: HeapBlockSink,
  ) {}

  /** Reserves an allocation of `size` bytes (content set later with `set`) and returns its HID. */
  reserve(size: number): number {
    return this.allocate(Buffer.alloc(size));
  }

  /** Adds an allocation and returns its HID: hidIndex (1-based) << 5 | block index << 16 (§2.3.1.1). */
  allocate(data: Uint8Array): number {
    if (data.length > maxHeapItem) throw new Error('internal: heap allocation over 3580 bytes');
    if (data.length === 0) return 0; // a zero-length value is HID 0 (pst.md §6.1)
    let blockIndex = this.blocks.length - 1;
    let block = this.blocks[blockIndex];
    if (!this.fits(block, data.length)) {
      if (this.emit && !holdsFillLevels(blockIndex)) this.emitEarly(blockIndex);
      blockIndex += 1;
      block = newBlock(blockIndex);
      this.blocks.push(block);
    }
    block.starts.push(block.end);
    const needed = block.end + data.length + 4 + 2 * (block.starts.length + 2);
    if (needed > block.data.length) {
      const grown = Buffer.alloc(Math.min(maxBlockData, Math.max(needed + 64, block.data.length * 2)));
      block.data.copy(grown, 0, 0, block.end);
      block.data = grown;
    }
    block.data.set(data, block.end);
    block.end += data.length;
    return ((block.starts.length << 5) | (blockIndex << 16)) >>> 0;
  }

  /** Replaces the content of an earlier reservation (same size; not in a block already emitted). */
  set(hid: number, data: Buffer): void {
    const block = this.blocks[hid >>> 16];
    const index = ((hid & 0xffff) >> 5) - 1;
    const end = index + 1 < block.starts.length ? block.starts[index + 1] : block.end;
    if (end - block.starts[index] !== data.length) throw new Error('internal: heap item size changed');
    data.copy(block.data, block.starts[index]);
  }

  /** Block index and byte offset of an allocation in the built blocks. */
  locate(hid: number): { block: number; offset: number } {
    const block = hid >>> 16;
    return { block, offset: this.blocks[block].starts[((hid & 0xffff) >> 5) - 1] };
  }

  setUserRoot(hid: number): void {
    this.userRoot = hid;
  }

  /**
   * Serialises the heap into data-block payloads. A streaming heap hands the remaining blocks to `emit`
   * (in index order) and returns an empty list.
   */
  build(): Buffer[] {
    this.blocks.forEach((block, index) => {
      if (this.levels[index] === undefined)
        this.levels[index] = fillLevel(maxBlockData - this.blockSize(block));
    });
    const built: Buffer[] = [];
    this.blocks.forEach((block, index) => {
      if (block.emitted) return;
      const payload = this.serialize(index);
      if (this.emit) this.emit(index, payload);
      else built.push(payload);
    });
    return built;
  }

  private emitEarly(index: number): void {
    const block = this.blocks[index];
    this.levels[index] = fillLevel(maxBlockData - this.blockSize(block));
    (this.emit as HeapBlockSink)(index, this.serialize(index));
    block.emitted = true;
    block.data = emptyData;
    block.starts.length = 0;
  }

  /** The payload of block `index`; fill levels of the blocks its header covers must be known. */
  private serialize(index: number): Buffer {
    const block = this.blocks[index];
    const levels = this.levels;
    const buffer = block.data.subarray(0, this.blockSize(block));
    const pageMap = block.end + (block.end & 1); // HNPAGEMAP is 2-byte aligned (§2.3.1.5)
    buffer.writeUInt16LE(pageMap, 0);
    if (index === 0) {
      buffer[2] = 0xec; // bSig
      buffer[3] = this.clientSig;
      buffer.writeUInt32LE(this.userRoot, 4);
      for (let other = 0; other < Math.min(8, this.blocks.length); other++) {
        buffer[8 + (other >> 1)] |= levels[other] << ((other & 1) * 4);
      }
    } else if (headerSizeOf(index) === 66) {
      for (let other = index; other < Math.min(index + 128, this.blocks.length); other++) {
        const position = other - index;
        buffer[2 + (position >> 1)] |= levels[other] << ((position & 1) * 4);
      }
    }
    buffer.writeUInt16LE(block.starts.length, pageMap);
    buffer.writeUInt16LE(0, pageMap + 2);
    block.starts.forEach((start, item) => buffer.writeUInt16LE(start, pageMap + 4 + item * 2));
    buffer.writeUInt16LE(block.end, pageMap + 4 + block.starts.length * 2);
    return buffer;
  }

  private blockSize(block: HeapBlock): number {
    return block.end + (block.end & 1) + 4 + 2 * (block.starts.length + 1);
  }

  private fits(block: HeapBlock, size: number): boolean {
    const end = block.end + size;
    return end + (end & 1) + 4 + 2 * (block.starts.length + 2) <= maxBlockData && block.starts.length < 2047;
  }
}
