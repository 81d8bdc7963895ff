/**
 * NDB blocks ([MS-PST] §2.2.2.8): data blocks, data trees (XBLOCK/XXBLOCK) and subnode trees
 * (SLBLOCK/SIBLOCK). Every block is written to the sink as soon as it is built; only its BBT entry
 * (bid, ib, cb) stays in memory.
 */
import { alignUp, writeU64 } from './binary';
import { computeSig, pstCrc } from './crc';
import type { FileSink } from './file-sink';
import { Uint16Column, Uint32Column } from './growable';

/** Largest payload of one block: 8192 bytes minus the 16-byte BLOCKTRAILER ([MS-PST] §2.2.2.8). */
export const maxBlockData = 8176;
const xblockCapacity = (maxBlockData - 8) / 8; // 1021 BIDs
const slCapacity = Math.floor((maxBlockData - 8) / 24); // 340 SLENTRY
const siCapacity = Math.floor((maxBlockData - 8) / 16); // 510 SIENTRY

/** The bytes of one node: its data blocks (heap blocks or raw chunks) and its subnodes. */
export interface NodeContent {
  readonly blocks: readonly Buffer[];
  readonly subnodes: readonly SubnodeContent[];
}

export interface SubnodeContent {
  readonly nid: number;
  readonly content: NodeContent;
}

export interface NodeRefs {
  readonly bidData: number;
  readonly bidSub: number;
}

/** A subnode already written to the file (SLENTRY fields). */
export interface SubnodeRef extends NodeRefs {
  readonly nid: number;
}

/** Splits raw bytes into full 8176-byte chunks (every block of a data tree but the last is full, §2.2.2.8.3.2). */
export function chunkRaw(data: Buffer): Buffer[] {
  if (data.length === 0) return [Buffer.alloc(0)];
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += maxBlockData) {
    chunks.push(data.subarray(offset, Math.min(data.length, offset + maxBlockData)));
  }
  return chunks;
}

/** Total payload bytes of a node and all its subnodes (the basis of PidTagMessageSize). */
export function contentSize(content: NodeContent): number {
  let size = 0;
  for (const block of content.blocks) size += block.length;
  for (const subnode of content.subnodes) size += contentSize(subnode.content);
  return size;
}

export class BlockStore {
  private nextBid = 4;
  /**
   * BBT entries, one per block in BID order. BIDs are not stored: block k has BID 4 + 4k, plus 2 for
   * internal blocks (bit 15 of its size entry). 6 bytes per block keep 100,000 contacts' index small.
   */
  private readonly offsets = new Uint32Column();
  private readonly sizes = new Uint16Column();

  constructor(private readonly sink: FileSink) {}

  /** The next block BID the header must announce (bidNextB). */
  get bidNext(): number {
    return this.nextBid;
  }

  /** Number of blocks written (BBT entries). */
  get count(): number {
    return this.offsets.length;
  }

  /** BBT entry `index` (blocks in ascending BID order). */
  entryAt(index: number): { bid: number; ib: number; cb: number } {
    const size = this.sizes.get(index);
    return { bid: 4 + 4 * index + (size & 0x8000 ? 2 : 0), ib: this.offsets.get(index), cb: size & 0x7fff };
  }

  /** Payload size of a block written earlier. */
  sizeOf(bid: number): number {
    return this.sizes.get((bid - 4) >>> 2) & 0x7fff;
  }

  /** Writes one block; internal blocks (XBLOCK, SLBLOCK...) get the 0x2 bit in their BID (§2.2.2.2). */
  writeBlock(data: Buffer, internal: boolean): number {
    if (data.length > maxBlockData) throw new Error('internal: block too large');
    const bid = this.nextBid + (internal ? 2 : 0);
    this.nextBid += 4;
    const total = alignUp(data.length + 16, 64);
    // BLOCKTRAILER {cb, wSig, dwCRC, bid}; wSig depends on the final offset ([MS-PST] §2.2.2.8.1).
    const { offset, view: block } = this.sink.reserve(total, 64);
    data.copy(block, 0);
    const trailer = total - 16;
    block.writeUInt16LE(data.length, trailer);
    block.writeUInt16LE(computeSig(offset, bid), trailer + 2);
    block.writeUInt32LE(pstCrc(data), trailer + 4);
    writeU64(block, trailer + 8, bid);
    if (offset > 0xffffffff) throw new Error('internal: block offset over 4 GB');
    this.offsets.push(offset);
    this.sizes.push(data.length | (internal ? 0x8000 : 0));
    return bid;
  }

  /** Writes a node's data as one block, an XBLOCK or an XXBLOCK tree and returns the root BID. */
  writeDataTree(blocks: readonly Buffer[]): number {
    if (blocks.length === 1) return this.writeBlock(blocks[0], false);
    return this.writeDataTreeOver(blocks.map((block) => this.writeBlock(block, false)));
  }

  /**
   * Writes the XBLOCK/XXBLOCK tree over data blocks already written (in data order) and returns the
   * root BID; a single block is its own root.
   */
  writeDataTreeOver(bids: readonly number[]): number {
    if (bids.length === 1) return bids[0];
    let total = 0;
    for (const bid of bids) total += this.sizeOf(bid);
    if (bids.length <= xblockCapacity) return this.writeXBlock(1, bids, total);
    const xbids: number[] = [];
    for (let start = 0; start < bids.length; start += xblockCapacity) {
      const slice = bids.slice(start, start + xblockCapacity);
      let sliceTotal = 0;
      for (const bid of slice) sliceTotal += this.sizeOf(bid);
      xbids.push(this.writeXBlock(1, slice, sliceTotal));
    }
    if (xbids.length > xblockCapacity) throw new Error('Node data too large for an XXBLOCK');
    return this.writeXBlock(2, xbids, total);
  }

  /** Writes a node's data tree and its subnode tree (recursively). */
  writeNode(content: NodeContent): NodeRefs {
    const bidData = this.writeDataTree(content.blocks);
    const bidSub = content.subnodes.length > 0 ? this.writeSubnodeTree(content.subnodes) : 0;
    return { bidData, bidSub };
  }

  private writeXBlock(level: number, bids: readonly number[], total: number): number {
    // XBLOCK/XXBLOCK: btype 0x01, cLevel, cEnt, lcbTotal, rgbid ([MS-PST] §2.2.2.8.3.2.1-2).
    const data = Buffer.alloc(8 + bids.length * 8);
    data[0] = 0x01;
    data[1] = level;
    data.writeUInt16LE(bids.length, 2);
    data.writeUInt32LE(total, 4);
    bids.forEach((bid, index) => writeU64(data, 8 + index * 8, bid));
    return this.writeBlock(data, true);
  }

  private writeSubnodeTree(subnodes: readonly SubnodeContent[]): number {
    const sorted = [...subnodes].sort((a, b) => a.nid - b.nid);
    return this.writeSubnodeTreeOver(
      sorted.map((subnode) => ({ nid: subnode.nid, ...this.writeNode(subnode.content) })),
    );
  }

  /** Writes the SLBLOCK/SIBLOCK tree over subnodes already written; returns its root BID. */
  writeSubnodeTreeOver(subnodes: readonly SubnodeRef[]): number {
    const entries = [...subnodes].sort((a, b) => a.nid - b.nid);
    const slbids: { nid: number; bid: number }[] = [];
    for (let start = 0; start < entries.length; start += slCapacity) {
      const slice = entries.slice(start, start + slCapacity);
      // SLBLOCK: btype 0x02, cLevel 0, cEnt, dwPadding, SLENTRY {nid, bidData, bidSub} (§2.2.2.8.3.3.1).
      const data = Buffer.alloc(8 + slice.length * 24);
      data[0] = 0x02;
      data.writeUInt16LE(slice.length, 2);
      slice.forEach((entry, index) => {
        writeU64(data, 8 + index * 24, entry.nid);
        writeU64(data, 16 + index * 24, entry.bidData);
        writeU64(data, 24 + index * 24, entry.bidSub);
      });
      slbids.push({ nid: slice[0].nid, bid: this.writeBlock(data, true) });
    }
    if (slbids.length === 1) return slbids[0].bid;
    if (slbids.length > siCapacity) throw new Error('Too many subnodes');
    // SIBLOCK: cLevel 1, SIENTRY {nid of the first entry of the SLBLOCK, bid} (§2.2.2.8.3.3.2).
    const data = Buffer.alloc(8 + slbids.length * 16);
    data[0] = 0x02;
    data[1] = 0x01;
    data.writeUInt16LE(slbids.length, 2);
    slbids.forEach((entry, index) => {
      writeU64(data, 8 + index * 16, entry.nid);
      writeU64(data, 16 + index * 16, entry.bid);
    });
    return this.writeBlock(data, true);
  }
}
