/**
 * NDB blocks ([MS-PST] §2.2.2.8): data blocks, data trees (XBLOCK/XXBLOCK) and subnode trees
 * (SLBLOCK/SIBLOCK). Every block is written to the sink as soon as it is built; only its BBT entry
 * (bid, ib, cb) stays in memory.
 */
import { alignUp, writeU64 } from './binary';
import { computeSig, pstCrc } from './crc';
import type { FileSink } from './file-sink';
import { NumberColumn } from './growable';

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
  readonly bids = new NumberColumn();
  readonly offsets = new NumberColumn();
  readonly sizes = new NumberColumn();

  constructor(private readonly sink: FileSink) {}

  /** The next block BID the header must announce (bidNextB). */
  get bidNext(): number {
    return this.nextBid;
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
    this.bids.push(bid);
    this.offsets.push(offset);
    this.sizes.push(data.length);
    return bid;
  }

  /** Writes a node's data as one block, an XBLOCK or an XXBLOCK tree and returns the root BID. */
  writeDataTree(blocks: readonly Buffer[]): number {
    if (blocks.length === 1) return this.writeBlock(blocks[0], false);
    let total = 0;
    const bids = blocks.map((block) => {
      total += block.length;
      return this.writeBlock(block, false);
    });
    if (bids.length <= xblockCapacity) return this.writeXBlock(1, bids, total);
    const xbids: number[] = [];
    for (let start = 0; start < bids.length; start += xblockCapacity) {
      const slice = bids.slice(start, start + xblockCapacity);
      let sliceTotal = 0;
      for (let index = start; index < start + slice.length; index++) sliceTotal += blocks[index].length;
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
    const entries = sorted.map((subnode) => ({ nid: subnode.nid, ...this.writeNode(subnode.content) }));
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
