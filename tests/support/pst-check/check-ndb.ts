/**
 * NDB half of the strict structural checker (check.ts): header, B-tree pages, blocks, data and subnode
 * trees, allocation maps. Written from [MS-PST] §2.2, independently of the writer, because the open
 * readers ignore most integrity fields (pst.md §3.4).
 */
import { readU64 } from '../../../main/core/export/pst/binary';
import { computeSig, pstCrc } from '../../../main/core/export/pst/crc';
import {
  amapInterval,
  amapOffset,
  firstAMapOffset,
  hasFMap,
  hasPMap,
  pageSize,
} from '../../../main/core/export/pst/layout';

export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly where: string;
  readonly message: string;
}

export interface NodeEntry {
  readonly nid: number;
  readonly bidData: number;
  readonly bidSub: number;
  readonly nidParent: number;
}

export interface BlockEntry {
  readonly bid: number;
  readonly ib: number;
  readonly cb: number;
  readonly cRef: number;
}

export interface NdbView {
  readonly file: Buffer;
  readonly crypt: number;
  readonly nodes: Map<number, NodeEntry>;
  readonly blocks: Map<number, BlockEntry>;
  readonly problems: Problem[];
}

const hex = (value: number) => '0x' + value.toString(16);

export class NdbChecker implements NdbView {
  readonly problems: Problem[] = [];
  readonly nodes = new Map<number, NodeEntry>();
  readonly blocks = new Map<number, BlockEntry>();
  crypt = 0;
  /** Allocated 64-byte slots found by walking the structures, from 0x4400 on. */
  private readonly used: Uint8Array;

  constructor(readonly file: Buffer) {
    this.used = new Uint8Array(Math.ceil(Math.max(0, file.length - firstAMapOffset) / 64 / 8) + 1);
  }

  error(where: string, message: string): void {
    this.problems.push({ severity: 'error', where, message });
  }

  warn(where: string, message: string): void {
    this.problems.push({ severity: 'warning', where, message });
  }

  private markUsed(where: string, offset: number, length: number): void {
    if (offset < firstAMapOffset) return;
    for (
      let slot = (offset - firstAMapOffset) / 64;
      slot < (offset - firstAMapOffset + length) / 64;
      slot++
    ) {
      const mask = 0x80 >> (slot & 7);
      if (this.used[slot >> 3] & mask) {
        this.error(where, `overlaps another page or block at ${hex(firstAMapOffset + slot * 64)}`);
        return;
      }
      this.used[slot >> 3] |= mask;
    }
  }

  /** Runs every NDB check; returns false when the header is too broken to go on. */
  run(): boolean {
    const file = this.file;
    if (file.length < 564 || file.toString('latin1', 0, 4) !== '!BDN') {
      this.error('header', 'not a PST file (magic !BDN missing)');
      return false;
    }
    const version = file.readUInt16LE(10);
    if (version !== 23) {
      this.error('header', `wVer ${version}: only Unicode PST (23) is checked`);
      return false;
    }
    if (file.readUInt32LE(4) !== pstCrc(file, 8, 8 + 471)) this.error('header', 'dwCRCPartial mismatch');
    if (file.readUInt32LE(524) !== pstCrc(file, 8, 8 + 516)) this.error('header', 'dwCRCFull mismatch');
    if (file.readUInt16LE(8) !== 0x4d53) this.error('header', 'wMagicClient is not SM');
    if (file[512] !== 0x80) this.error('header', 'bSentinel is not 0x80');
    this.crypt = file[513];
    if (this.crypt > 1) this.error('header', `bCryptMethod ${this.crypt} not supported`);
    const fileEof = readU64(file, 184);
    if (fileEof !== file.length) this.error('header', `ibFileEof ${fileEof} but file size ${file.length}`);
    if (file[248] !== 2) this.warn('header', `fAMapValid is ${file[248]}, not VALID_AMAP2`);
    const nbtRoot = { bid: readU64(file, 216), ib: readU64(file, 224) };
    const bbtRoot = { bid: readU64(file, 232), ib: readU64(file, 240) };
    this.walkPage('NBT', 0x81, nbtRoot.bid, nbtRoot.ib, undefined, undefined, undefined);
    this.walkPage('BBT', 0x80, bbtRoot.bid, bbtRoot.ib, undefined, undefined, undefined);
    const bidNextB = readU64(file, 516);
    const bidNextP = readU64(file, 32);
    for (const block of this.blocks.values()) {
      if (block.bid >= bidNextB)
        this.error('header', `bidNextB ${hex(bidNextB)} not above block ${hex(block.bid)}`);
      this.checkBlock(block);
    }
    void bidNextP;
    if (!this.nodes.has(0x21) || !this.nodes.has(0x61) || !this.nodes.has(0x122)) {
      this.error('NBT', 'missing one of the store (0x21), name map (0x61) or root folder (0x122) nodes');
    }
    if (this.nodes.size > 0 && Math.min(...this.nodes.keys()) !== 0x21)
      this.warn('NBT', 'does not start at NID 0x21');
    this.checkDList();
    this.checkMaps(fileEof);
    return true;
  }

  private walkPage(
    tree: string,
    ptype: number,
    bid: number,
    ib: number,
    level: number | undefined,
    low: number | undefined,
    high: number | undefined,
  ): void {
    const where = `${tree} page ${hex(bid)} @${hex(ib)}`;
    if (ib % pageSize !== 0 || ib + pageSize > this.file.length) {
      this.error(where, 'page not 512-aligned or outside the file');
      return;
    }
    this.markUsed(where, ib, pageSize);
    const page = this.file.subarray(ib, ib + pageSize);
    if (page[496] !== ptype || page[497] !== ptype)
      this.error(where, `ptype ${hex(page[496])}, expected ${hex(ptype)}`);
    if (page.readUInt32LE(500) !== pstCrc(page, 0, 496)) this.error(where, 'page CRC mismatch');
    if (page.readUInt16LE(498) !== computeSig(ib, bid)) this.error(where, 'page wSig mismatch');
    if (readU64(page, 504) !== bid)
      this.error(where, `trailer bid ${hex(readU64(page, 504))} ≠ parent BREF bid`);
    const count = page[488];
    const max = page[489];
    const size = page[490];
    const pageLevel = page[491];
    if (level !== undefined && pageLevel !== level)
      this.error(where, `cLevel ${pageLevel}, expected ${level}`);
    const leaf = pageLevel === 0;
    const expectedSize = leaf ? (tree === 'NBT' ? 32 : 24) : 24;
    const expectedMax = leaf && tree === 'NBT' ? 15 : 20;
    if (size !== expectedSize || max !== expectedMax)
      this.error(where, `cbEnt ${size}/cEntMax ${max} unexpected`);
    if (count > expectedMax) {
      this.error(where, `cEnt ${count} over ${expectedMax}`);
      return;
    }
    let previous = -1;
    for (let index = 0; index < count; index++) {
      const offset = index * size;
      const key = readU64(page, offset);
      if (key <= previous) this.error(where, `keys not ascending at entry ${index}`);
      if (index === 0 && low !== undefined && key !== low)
        this.error(where, `first key ${hex(key)} ≠ parent btkey ${hex(low)}`);
      if (high !== undefined && key >= high) this.error(where, `key ${hex(key)} beyond the parent's range`);
      previous = key;
      if (!leaf) {
        const next = index + 1 < count ? readU64(page, offset + 24) : high;
        this.walkPage(
          tree,
          ptype,
          readU64(page, offset + 8),
          readU64(page, offset + 16),
          pageLevel - 1,
          key,
          next,
        );
      } else if (tree === 'NBT') {
        const node = {
          nid: key,
          bidData: readU64(page, offset + 8),
          bidSub: readU64(page, offset + 16),
          nidParent: page.readUInt32LE(offset + 24),
        };
        if (this.nodes.has(node.nid)) this.error(where, `duplicate NID ${hex(node.nid)}`);
        this.nodes.set(node.nid, node);
      } else {
        const block = {
          bid: key,
          ib: readU64(page, offset + 8),
          cb: page.readUInt16LE(offset + 16),
          cRef: page.readUInt16LE(offset + 18),
        };
        if (this.blocks.has(block.bid)) this.error(where, `duplicate BID ${hex(block.bid)}`);
        this.blocks.set(block.bid, block);
      }
    }
  }

  private checkBlock(block: BlockEntry): void {
    const where = `block ${hex(block.bid)} @${hex(block.ib)}`;
    const total = Math.ceil((block.cb + 16) / 64) * 64;
    if (block.ib % 64 !== 0 || block.ib + total > this.file.length || block.cb > 8176) {
      this.error(where, 'block misaligned, too large or outside the file');
      return;
    }
    this.markUsed(where, block.ib, total);
    const trailer = block.ib + total - 16;
    if (this.file.readUInt16LE(trailer) !== block.cb) this.error(where, 'trailer cb ≠ BBT cb');
    if (this.file.readUInt16LE(trailer + 2) !== computeSig(block.ib, block.bid))
      this.error(where, 'block wSig mismatch');
    if (this.file.readUInt32LE(trailer + 4) !== pstCrc(this.file, block.ib, block.ib + block.cb)) {
      this.error(where, 'block CRC mismatch');
    }
    if (readU64(this.file, trailer + 8) !== block.bid) this.error(where, 'trailer bid ≠ BBT bid');
    if (block.cRef < 1) this.error(where, 'cRef is 0');
  }

  private checkDList(): void {
    const page = this.file.subarray(0x4200, 0x4400);
    if (page[496] !== 0x86) {
      this.warn('DList', 'no DList page at 0x4200');
      return;
    }
    if (page.readUInt32LE(500) !== pstCrc(page, 0, 496)) this.error('DList', 'page CRC mismatch');
    if (page.readUInt16LE(498) !== computeSig(0x4200, readU64(page, 504)))
      this.error('DList', 'wSig mismatch');
  }

  private checkMaps(fileEof: number): void {
    const intervals = Math.ceil((fileEof - firstAMapOffset) / amapInterval);
    let free = 0;
    for (let interval = 0; interval < intervals; interval++) {
      const offset = amapOffset(interval);
      this.checkMapPage(`AMap ${interval}`, offset, 0x84);
      this.markUsed(`AMap ${interval}`, offset, pageSize);
      if (hasPMap(interval)) {
        this.checkMapPage(`PMap ${interval}`, offset + pageSize, 0x83);
        this.markUsed(`PMap ${interval}`, offset + pageSize, pageSize);
      }
      if (hasFMap(interval)) {
        this.checkMapPage(`FMap ${interval}`, offset + 2 * pageSize, 0x82);
        this.markUsed(`FMap ${interval}`, offset + 2 * pageSize, pageSize);
      }
    }
    let leaked = 0;
    for (let interval = 0; interval < intervals; interval++) {
      const offset = amapOffset(interval);
      for (let slot = 0; slot < 496 * 8; slot++) {
        const global = interval * 496 * 8 + slot;
        const allocated = (this.file[offset + (slot >> 3)] & (0x80 >> (slot & 7))) !== 0;
        const inUse = (this.used[global >> 3] & (0x80 >> (global & 7))) !== 0;
        if (!allocated) free++;
        if (inUse && !allocated)
          this.error(`AMap ${interval}`, `slot at ${hex(offset + slot * 64)} in use but marked free`);
        if (allocated && !inUse) leaked++;
      }
    }
    if (leaked > 0) this.warn('AMap', `${leaked} slots marked allocated but not referenced (leaked space)`);
    const cbAMapFree = readU64(this.file, 200);
    if (cbAMapFree !== free * 64) this.error('header', `cbAMapFree ${cbAMapFree}, AMaps say ${free * 64}`);
    const lastAMap = readU64(this.file, 192);
    if (lastAMap !== amapOffset(intervals - 1)) this.error('header', `ibAMapLast ${hex(lastAMap)} wrong`);
  }

  private checkMapPage(where: string, offset: number, ptype: number): void {
    if (offset + pageSize > this.file.length) {
      this.error(where, 'map page beyond the end of the file');
      return;
    }
    const page = this.file.subarray(offset, offset + pageSize);
    if (page[496] !== ptype || page[497] !== ptype)
      this.error(where, `ptype ${hex(page[496])}, expected ${hex(ptype)}`);
    if (page.readUInt32LE(500) !== pstCrc(page, 0, 496)) this.error(where, 'page CRC mismatch');
    if (ptype === 0x84 && (page[0] & 0x80) === 0) this.error(where, 'AMap does not mark itself allocated');
  }

  /** The raw (stored) bytes of one block, or undefined with a problem recorded. */
  blockData(bid: number, where: string): Buffer | undefined {
    const block = this.blocks.get(bid - (bid & 1));
    if (!block) {
      this.error(where, `BID ${hex(bid)} not in the BBT`);
      return undefined;
    }
    return this.file.subarray(block.ib, block.ib + block.cb);
  }
}
