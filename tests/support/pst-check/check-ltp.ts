/**
 * LTP readers for the strict checker ([MS-PST] §2.3): node data through data trees, subnode trees,
 * heaps, BTHs, PCs and TCs, each validating what it reads and recording problems instead of throwing.
 */
import { readU64 } from '../../../main/core/export/pst/binary';
import type { NdbChecker } from './check-ndb';
import { permuteDecode } from '../../../main/core/export/pst/permute';

export interface SubnodeRef {
  readonly bidData: number;
  readonly bidSub: number;
}

export interface CellValue {
  readonly type: number;
  /** Inline bytes or the referenced value's bytes. */
  readonly data: Buffer;
}

export interface TableData {
  readonly rows: { rowId: number; cells: Map<number, CellValue> }[];
  readonly columns: number[];
}

const hex = (value: number) => '0x' + value.toString(16);
const inlineTypes = new Set([0x0002, 0x0003, 0x0004, 0x000a, 0x000b]);
const fixedWidths = new Map([
  [0x0002, 2],
  [0x0003, 4],
  [0x0004, 4],
  [0x000a, 4],
  [0x000b, 1],
  [0x0005, 8],
  [0x0006, 8],
  [0x0007, 8],
  [0x0014, 8],
  [0x0040, 8],
]);

export class LtpReader {
  constructor(private readonly ndb: NdbChecker) {}

  /** The data blocks of a node, decoded, keeping block boundaries (heaps index by block). */
  dataBlocks(bid: number, where: string): Buffer[] | undefined {
    const raw = this.ndb.blockData(bid, where);
    if (!raw) return undefined;
    if ((bid & 2) === 0) return [this.ndb.crypt === 1 ? permuteDecode(raw) : Buffer.from(raw)];
    if (raw[0] !== 0x01 || (raw[1] !== 1 && raw[1] !== 2)) {
      this.ndb.error(where, `internal block ${hex(bid)} is not an XBLOCK/XXBLOCK`);
      return undefined;
    }
    const count = raw.readUInt16LE(2);
    const total = raw.readUInt32LE(4);
    const result: Buffer[] = [];
    for (let index = 0; index < count; index++) {
      const child = readU64(raw, 8 + index * 8);
      const part = raw[1] === 2 ? this.dataBlocks(child, where) : this.dataBlocks(child & ~2, where);
      if (!part) return undefined;
      if (raw[1] === 1 && (child & 2) !== 0) this.ndb.error(where, 'XBLOCK points to an internal block');
      result.push(...part);
    }
    const sum = result.reduce((size, block) => size + block.length, 0);
    if (sum !== total) this.ndb.error(where, `data tree lcbTotal ${total} but blocks hold ${sum}`);
    return result;
  }

  /** Subnode map of a node ([MS-PST] §2.2.2.8.3.3), checking order and block types. */
  subnodes(bidSub: number, where: string): Map<number, SubnodeRef> {
    const result = new Map<number, SubnodeRef>();
    if (bidSub === 0) return result;
    const raw = this.ndb.blockData(bidSub, where);
    if (!raw) return result;
    if ((bidSub & 2) === 0 || raw[0] !== 0x02) {
      this.ndb.error(where, `bidSub ${hex(bidSub)} is not an SLBLOCK/SIBLOCK`);
      return result;
    }
    const count = raw.readUInt16LE(2);
    let previous = -1;
    for (let index = 0; index < count; index++) {
      if (raw[1] === 0) {
        const nid = raw.readUInt32LE(8 + index * 24); // NIDs are 32-bit; Outlook leaves junk above
        if (nid <= previous) this.ndb.error(where, 'SLBLOCK entries not sorted');
        previous = nid;
        result.set(nid, { bidData: readU64(raw, 16 + index * 24), bidSub: readU64(raw, 24 + index * 24) });
      } else {
        const nid = raw.readUInt32LE(8 + index * 16);
        const child = this.subnodes(readU64(raw, 16 + index * 16), where);
        if (child.keys().next().value !== nid) this.ndb.error(where, 'SIENTRY nid ≠ first SLENTRY nid');
        for (const [key, value] of child) result.set(key, value);
      }
    }
    return result;
  }

  /** Reads a heap, returning an allocation accessor, or undefined if malformed. */
  heap(blocks: Buffer[], where: string): Heap | undefined {
    const first = blocks[0];
    if (!first || first.length < 12 || first[2] !== 0xec) {
      this.ndb.error(where, 'heap: missing HNHDR (bSig 0xEC)');
      return undefined;
    }
    const allocations: Buffer[][] = [];
    for (let index = 0; index < blocks.length; index++) {
      const block = blocks[index];
      const headerSize = index === 0 ? 12 : index % 128 === 8 ? 66 : 2;
      const pageMap = block.readUInt16LE(0);
      if (pageMap < headerSize || pageMap + 4 > block.length) {
        this.ndb.error(where, `heap block ${index}: ibHnpm ${pageMap} out of range`);
        return undefined;
      }
      const count = block.readUInt16LE(pageMap);
      if (pageMap + 4 + 2 * (count + 1) > block.length) {
        this.ndb.error(where, `heap block ${index}: page map overflows the block`);
        return undefined;
      }
      const items: Buffer[] = [];
      let previous = block.readUInt16LE(pageMap + 4);
      if (previous < headerSize) this.ndb.error(where, `heap block ${index}: allocation overlaps the header`);
      for (let item = 1; item <= count; item++) {
        const end = block.readUInt16LE(pageMap + 4 + item * 2);
        if (end < previous || end > pageMap) {
          this.ndb.error(where, `heap block ${index}: allocation ${item} bounds wrong`);
          return undefined;
        }
        if (end - previous > 3580)
          this.ndb.error(where, `heap allocation of ${end - previous} bytes over 3580`);
        items.push(block.subarray(previous, end));
        previous = end;
      }
      allocations.push(items);
    }
    return new Heap(first[3], first.readUInt32LE(4), allocations);
  }

  /** Reads a BTH's leaf records in order, checking sort order and index keys (§2.3.2). */
  bth(heap: Heap, hid: number, where: string, cbKey: number, cbEnt: number): Buffer[] | undefined {
    const header = heap.get(hid);
    if (!header || header.length !== 8 || header[0] !== 0xb5) {
      this.ndb.error(where, `BTH header at ${hex(hid)} missing or wrong`);
      return undefined;
    }
    if (header[1] !== cbKey || header[2] !== cbEnt) {
      this.ndb.error(where, `BTH cbKey/cbEnt ${header[1]}/${header[2]}, expected ${cbKey}/${cbEnt}`);
      return undefined;
    }
    const records: Buffer[] = [];
    const walk = (nodeHid: number, level: number, firstKey: Buffer | undefined): void => {
      const node = heap.get(nodeHid);
      if (!node) {
        this.ndb.error(where, `BTH node ${hex(nodeHid)} missing`);
        return;
      }
      const size = level === 0 ? cbKey + cbEnt : cbKey + 4;
      if (node.length % size !== 0) this.ndb.error(where, 'BTH node size not a multiple of its record');
      for (let offset = 0; offset + size <= node.length; offset += size) {
        const key = node.subarray(offset, offset + cbKey);
        if (offset === 0 && firstKey && !key.equals(firstKey))
          this.ndb.error(where, 'BTH index key ≠ child first key');
        if (level === 0) records.push(node.subarray(offset, offset + size));
        else walk(node.readUInt32LE(offset + cbKey), level - 1, key);
      }
    };
    const root = header.readUInt32LE(4);
    if (root !== 0) walk(root, header[3], undefined);
    for (let index = 1; index < records.length; index++) {
      if (Buffer.compare(reverse(records[index - 1], cbKey), reverse(records[index], cbKey)) >= 0) {
        this.ndb.error(where, 'BTH keys not strictly ascending');
        break;
      }
    }
    return records;
  }

  /** Resolves an HNID to bytes: a heap allocation or a subnode's data (§2.3.3.2). */
  value(heap: Heap, hnid: number, subs: Map<number, SubnodeRef>, where: string): Buffer | undefined {
    if (hnid === 0) return Buffer.alloc(0);
    if ((hnid & 0x1f) === 0) {
      const data = heap.get(hnid);
      if (!data) this.ndb.error(where, `HID ${hex(hnid)} does not exist`);
      return data;
    }
    const sub = subs.get(hnid);
    if (!sub) {
      this.ndb.error(where, `subnode ${hex(hnid)} missing`);
      return undefined;
    }
    const blocks = this.dataBlocks(sub.bidData, where);
    return blocks ? Buffer.concat(blocks) : undefined;
  }

  /** Reads and checks a property context. */
  propertyContext(
    blocks: Buffer[],
    subs: Map<number, SubnodeRef>,
    where: string,
  ): Map<number, CellValue> | undefined {
    const heap = this.heap(blocks, where);
    if (!heap) return undefined;
    if (heap.clientSig !== 0xbc) {
      this.ndb.error(where, `expected a PC (0xBC), found ${hex(heap.clientSig)}`);
      return undefined;
    }
    const records = this.bth(heap, heap.userRoot, where, 2, 6);
    if (!records) return undefined;
    const values = new Map<number, CellValue>();
    for (const record of records) {
      const id = record.readUInt16LE(0);
      const type = record.readUInt16LE(2);
      const data = inlineTypes.has(type)
        ? record.subarray(4, 8)
        : this.value(heap, record.readUInt32LE(4), subs, where);
      if (data) values.set(id, { type, data });
    }
    return values;
  }

  /** Reads and checks a table context: TCINFO, row index, row matrix, CEB and cell HNIDs (§2.3.4). */
  tableContext(blocks: Buffer[], subs: Map<number, SubnodeRef>, where: string): TableData | undefined {
    const heap = this.heap(blocks, where);
    if (!heap) return undefined;
    if (heap.clientSig !== 0x7c) {
      this.ndb.error(where, `expected a TC (0x7C), found ${hex(heap.clientSig)}`);
      return undefined;
    }
    const info = heap.get(heap.userRoot);
    if (!info || info[0] !== 0x7c) {
      this.ndb.error(where, 'TCINFO missing');
      return undefined;
    }
    const columnCount = info[1];
    const rgib = [0, 1, 2, 3].map((index) => info.readUInt16LE(2 + index * 2));
    if (!(rgib[0] <= rgib[1] && rgib[1] <= rgib[2] && rgib[2] < rgib[3]))
      this.ndb.error(where, 'TCINFO rgib not ordered');
    if (rgib[3] - rgib[2] !== Math.ceil(columnCount / 8))
      this.ndb.error(where, 'CEB size does not match cCols');
    const columns: { tag: number; ib: number; cb: number; bit: number }[] = [];
    for (let index = 0; index < columnCount; index++) {
      const offset = 22 + index * 8;
      const column = {
        tag: info.readUInt32LE(offset),
        ib: info.readUInt16LE(offset + 4),
        cb: info[offset + 6],
        bit: info[offset + 7],
      };
      if (index > 0 && column.tag <= columns[index - 1].tag)
        this.ndb.error(where, 'TCOLDESC not sorted by tag');
      if (column.ib + column.cb > rgib[2] || column.bit >= columnCount)
        this.ndb.error(where, `column ${hex(column.tag)} out of the row`);
      const width = fixedWidths.get(column.tag & 0xffff) ?? 4;
      if (column.cb !== width)
        this.ndb.error(where, `column ${hex(column.tag)} cbData ${column.cb}, expected ${width}`);
      columns.push(column);
    }
    const index = this.bth(heap, info.readUInt32LE(10), where, 4, 4) ?? [];
    const rowSize = rgib[3];
    const hnidRows = info.readUInt32LE(14);
    let matrix: Buffer[] = [];
    if (hnidRows !== 0 && (hnidRows & 0x1f) === 0) matrix = [heap.get(hnidRows) ?? Buffer.alloc(0)];
    else if (hnidRows !== 0) {
      const sub = subs.get(hnidRows);
      if (!sub) this.ndb.error(where, 'row matrix subnode missing');
      else matrix = this.dataBlocks(sub.bidData, where) ?? [];
    }
    const perBlock = Math.floor(8176 / rowSize);
    const rowAt = (row: number): Buffer | undefined => {
      const block = matrix[Math.floor(row / perBlock)] ?? (matrix.length === 1 ? matrix[0] : undefined);
      const offset = matrix.length === 1 ? row * rowSize : (row % perBlock) * rowSize;
      if (!block || offset + rowSize > block.length) return undefined;
      return block.subarray(offset, offset + rowSize);
    };
    const rowCount =
      matrix.length === 1
        ? Math.floor(matrix[0].length / rowSize)
        : matrix.reduce((n, b) => n + Math.floor(b.length / rowSize), 0);
    if (rowCount !== index.length)
      this.ndb.error(where, `row matrix holds ${rowCount} rows, row index ${index.length}`);
    const rows: TableData['rows'] = [];
    for (const record of index) {
      const rowId = record.readUInt32LE(0);
      const row = rowAt(record.readUInt32LE(4));
      if (!row) {
        this.ndb.error(where, `row index points past the matrix for ${hex(rowId)}`);
        continue;
      }
      if (row.readUInt32LE(0) !== rowId)
        this.ndb.error(where, `row ${hex(rowId)}: dwRowID in the matrix differs`);
      const cells = new Map<number, CellValue>();
      for (const column of columns) {
        if ((row[rgib[2] + (column.bit >> 3)] & (0x80 >> (column.bit & 7))) === 0) continue;
        const type = column.tag & 0xffff;
        const raw = row.subarray(column.ib, column.ib + column.cb);
        const data = fixedWidths.has(type)
          ? raw
          : this.value(heap, raw.readUInt32LE(0), subs, `${where} row ${hex(rowId)}`);
        if (data) cells.set(column.tag >>> 16, { type, data: Buffer.from(data) });
      }
      rows.push({ rowId, cells });
    }
    return { rows, columns: columns.map((column) => column.tag) };
  }
}

function reverse(record: Buffer, cbKey: number): Buffer {
  return Buffer.from(record.subarray(0, cbKey)).reverse(); // little-endian keys compare as numbers
}

export class Heap {
  constructor(
    readonly clientSig: number,
    readonly userRoot: number,
    private readonly allocations: Buffer[][],
  ) {}

  get(hid: number): Buffer | undefined {
    if ((hid & 0x1f) !== 0 || hid === 0) return undefined;
    return this.allocations[hid >>> 16]?.[((hid & 0xffff) >> 5) - 1];
  }
}
