/**
 * Table context ([MS-PST] §2.3.4): a heap holding the row-index BTH (HID 0x20, pst.md §6.4 — with
 * TCINFO first pst-extractor loops forever), TCINFO (HID 0x40, the user root), variable-size cell
 * values and the row matrix, which moves to a subnode when it outgrows one heap allocation.
 */
import {
  maxBlockData,
  type BlockStore,
  type NodeContent,
  type NodeRefs,
  type SubnodeContent,
  type SubnodeRef,
} from './blocks';
import { reserveBthHeader, writeBth } from './bth';
import { Uint32Column } from './growable';
import { clientSigTc, HeapBuilder, maxHeapItem } from './heap';
import { SubnodeIds, storeValue } from './property-context';
import { columnWidth, isInlineType, ptInt32, type PropValue } from './property-values';

export interface ColumnSpec {
  readonly id: number;
  readonly type: number;
}

export interface TableRow {
  /** dwRowID: the NID of the object the row describes. */
  readonly rowId: number;
  readonly values: readonly PropValue[];
}

const rowIdColumn = 0x67f2;
const rowVersionColumn = 0x67f3;

interface PlacedColumn extends ColumnSpec {
  readonly ib: number;
  readonly cb: number;
  readonly bit: number;
}

/** Lays out the columns: row id, row version, then 8/4-byte, 2-byte, 1-byte groups, then the CEB. */
function layoutColumns(specs: readonly ColumnSpec[]): { columns: PlacedColumn[]; rgib: number[] } {
  const others = specs.filter((spec) => spec.id !== rowIdColumn && spec.id !== rowVersionColumn);
  const ordered: ColumnSpec[] = [
    { id: rowIdColumn, type: ptInt32 },
    { id: rowVersionColumn, type: ptInt32 },
    ...others.filter((spec) => columnWidth(spec.type) === 8),
    ...others.filter((spec) => columnWidth(spec.type) === 4),
    ...others.filter((spec) => columnWidth(spec.type) === 2),
    ...others.filter((spec) => columnWidth(spec.type) === 1),
  ];
  const columns: PlacedColumn[] = [];
  let ib = 0;
  ordered.forEach((spec, bit) => {
    const cb = columnWidth(spec.type);
    columns.push({ ...spec, ib, cb, bit });
    ib += cb;
  });
  const wide = columns.filter((column) => column.cb >= 4).reduce((sum, column) => sum + column.cb, 0);
  const twoByte = columns.filter((column) => column.cb === 2).length * 2;
  const oneByte = columns.filter((column) => column.cb === 1).length;
  // rgib: ends of the 4/8-byte, 2-byte and 1-byte groups, then of the whole row with its CEB (§2.3.4.1).
  const rgib = [
    wide,
    wide + twoByte,
    wide + twoByte + oneByte,
    wide + twoByte + oneByte + Math.ceil(columns.length / 8),
  ];
  return { columns, rgib };
}

interface TableLayout {
  readonly columns: readonly PlacedColumn[];
  readonly rgib: readonly number[];
  readonly rowSize: number;
  readonly byId: ReadonlyMap<number, PlacedColumn>;
}

function tableLayout(specs: readonly ColumnSpec[]): TableLayout {
  const { columns, rgib } = layoutColumns(specs);
  return { columns, rgib, rowSize: rgib[3], byId: new Map(columns.map((column) => [column.id, column])) };
}

/** Writes one row at `base` of a zeroed matrix; variable-size values go to the heap (or subnodes). */
function encodeRow(
  layout: TableLayout,
  matrix: Buffer,
  base: number,
  row: TableRow,
  heap: HeapBuilder,
  subnodes: SubnodeContent[],
  ids: SubnodeIds,
): void {
  matrix.writeUInt32LE(row.rowId, base);
  const ceb = base + layout.rgib[2];
  matrix[ceb] |= 0xc0; // row id and row version always exist
  for (const value of row.values) {
    const column = layout.byId.get(value.id);
    if (!column || column.type !== value.type)
      throw new Error(`internal: no column 0x${value.id.toString(16)}`);
    if (column.id === rowIdColumn || column.id === rowVersionColumn) continue;
    if (isInlineType(value.type) || column.cb === 8) value.data.copy(matrix, base + column.ib, 0, column.cb);
    else matrix.writeUInt32LE(storeValue(heap, value.data, subnodes, ids), base + column.ib);
    matrix[ceb + (column.bit >> 3)] |= 0x80 >> (column.bit & 7);
  }
}

/** The row index BTH (dwRowID → dwRowIndex), sorted by row id ([MS-PST] §2.3.4.3). */
function writeRowIndex(
  heap: HeapBuilder,
  headerHid: number,
  rowIds: ArrayLike<number>,
  rowCount: number,
): void {
  let sorted = true;
  for (let index = 1; index < rowCount && sorted; index++) sorted = rowIds[index - 1] < rowIds[index];
  const order = Array.from({ length: rowCount }, (_, index) => index);
  if (!sorted) order.sort((a, b) => rowIds[a] - rowIds[b]);
  const indexRecords = Buffer.alloc(rowCount * 8);
  order.forEach((rowIndex, position) => {
    indexRecords.writeUInt32LE(rowIds[rowIndex], position * 8);
    indexRecords.writeUInt32LE(rowIndex, position * 8 + 4);
  });
  writeBth(heap, headerHid, 4, 4, indexRecords);
}

/** TCINFO ([MS-PST] §2.3.4.1): rgib, the row index and row matrix HIDs, TCOLDESCs sorted by tag. */
function tcInfoBytes(layout: TableLayout, indexHeader: number, hnidRows: number): Buffer {
  const { columns, rgib } = layout;
  const tcInfo = Buffer.alloc(22 + 8 * columns.length);
  tcInfo[0] = 0x7c;
  tcInfo[1] = columns.length;
  rgib.forEach((value, index) => tcInfo.writeUInt16LE(value, 2 + index * 2));
  tcInfo.writeUInt32LE(indexHeader, 10);
  tcInfo.writeUInt32LE(hnidRows, 14);
  tcInfo.writeUInt32LE(0, 18); // hidIndex: deprecated
  [...columns]
    .sort((a, b) => a.id * 0x10000 + a.type - (b.id * 0x10000 + b.type))
    .forEach((column, index) => {
      const offset = 22 + index * 8;
      tcInfo.writeUInt32LE(((column.id << 16) | column.type) >>> 0, offset);
      tcInfo.writeUInt16LE(column.ib, offset + 4);
      tcInfo[offset + 6] = column.cb;
      tcInfo[offset + 7] = column.bit;
    });
  return tcInfo;
}

/** Builds a TC node; rows keep the given order in the row matrix. */
export function buildTableContext(specs: readonly ColumnSpec[], rows: readonly TableRow[]): NodeContent {
  const layout = tableLayout(specs);
  const { rowSize } = layout;
  const rowCount = rows.length;
  const heap = new HeapBuilder(clientSigTc);
  const indexHeader = reserveBthHeader(heap);
  const tcInfoHid = heap.reserve(22 + 8 * layout.columns.length);
  heap.setUserRoot(tcInfoHid);
  const subnodes: SubnodeContent[] = [];
  const ids = new SubnodeIds();

  const matrix = Buffer.alloc(rowCount * rowSize);
  rows.forEach((row, index) => encodeRow(layout, matrix, index * rowSize, row, heap, subnodes, ids));
  writeRowIndex(
    heap,
    indexHeader,
    rows.map((row) => row.rowId),
    rowCount,
  );

  let hnidRows = 0;
  if (rowCount > 0 && matrix.length <= maxHeapItem) hnidRows = heap.allocate(matrix);
  else if (rowCount > 0) {
    // Each block holds whole rows and every block but the last is padded to 8176 bytes (§2.3.4.4).
    const perBlock = Math.floor(maxBlockData / rowSize);
    const blocks: Buffer[] = [];
    for (let start = 0; start < rowCount; start += perBlock) {
      const count = Math.min(perBlock, rowCount - start);
      const last = start + count >= rowCount;
      const block = Buffer.alloc(last ? count * rowSize : maxBlockData);
      matrix.copy(block, 0, start * rowSize, (start + count) * rowSize);
      blocks.push(block);
    }
    hnidRows = ids.take();
    subnodes.push({ nid: hnidRows, content: { blocks, subnodes: [] } });
  }
  heap.set(tcInfoHid, tcInfoBytes(layout, indexHeader, hnidRows));
  return { blocks: heap.build(), subnodes };
}

/**
 * A TC written while its rows arrive, for folder contents tables of any size: each full row-matrix
 * block (whole rows, padded to 8176 bytes, §2.3.4.4) and each full heap block goes to the file at once,
 * and large values' subnodes too. What stays is 4 bytes per row (its id, for the row index), the BIDs
 * written so far and a few open blocks. The result has the layout `buildTableContext` gives the same
 * rows; only where the blocks sit in the file differs.
 */
export class StreamingTableContext {
  private readonly layout: TableLayout;
  private readonly heap: HeapBuilder;
  private readonly indexHeader: number;
  private readonly tcInfoHid: number;
  private readonly ids = new SubnodeIds();
  private readonly pending: SubnodeContent[] = [];
  private readonly written: SubnodeRef[] = [];
  /** BIDs of the heap's data blocks by heap block index. */
  private readonly heapBids: number[] = [];
  private readonly matrixBids: number[] = [];
  private readonly rowIds = new Uint32Column();
  private readonly perBlock: number;
  private block: Buffer;
  private blockRows = 0;
  private finished = false;

  constructor(
    specs: readonly ColumnSpec[],
    private readonly store: BlockStore,
  ) {
    this.layout = tableLayout(specs);
    this.perBlock = Math.floor(maxBlockData / this.layout.rowSize);
    this.block = Buffer.alloc(maxBlockData);
    this.heap = new HeapBuilder(clientSigTc, (index, payload) => {
      this.heapBids[index] = store.writeBlock(payload, false);
    });
    this.indexHeader = reserveBthHeader(this.heap);
    this.tcInfoHid = this.heap.reserve(22 + 8 * this.layout.columns.length);
    this.heap.setUserRoot(this.tcInfoHid);
  }

  get rowCount(): number {
    return this.rowIds.length;
  }

  /** Appends a row (row ids are best given ascending; the row index is sorted either way). */
  addRow(row: TableRow): void {
    if (this.finished) throw new Error('internal: row added to a finished table');
    if (this.blockRows === this.perBlock) {
      // The open block is full and another row follows, so it is not the last: write it padded.
      this.matrixBids.push(this.store.writeBlock(this.block, false));
      this.block.fill(0);
      this.blockRows = 0;
    }
    const { rowSize } = this.layout;
    encodeRow(this.layout, this.block, this.blockRows * rowSize, row, this.heap, this.pending, this.ids);
    for (const subnode of this.pending)
      this.written.push({ nid: subnode.nid, ...this.store.writeNode(subnode.content) });
    this.pending.length = 0;
    this.rowIds.push(row.rowId);
    this.blockRows += 1;
  }

  /** Writes the rest (row index, row matrix tail, TCINFO, held heap blocks) and the node's trees. */
  finish(): NodeRefs {
    if (this.finished) throw new Error('internal: table finished twice');
    this.finished = true;
    const rowCount = this.rowCount;
    const rowIds = new Uint32Array(rowCount);
    for (let index = 0; index < rowCount; index++) rowIds[index] = this.rowIds.get(index);
    writeRowIndex(this.heap, this.indexHeader, rowIds, rowCount);

    const tail = this.block.subarray(0, this.blockRows * this.layout.rowSize);
    let hnidRows = 0;
    if (rowCount > 0 && this.matrixBids.length === 0 && tail.length <= maxHeapItem)
      hnidRows = this.heap.allocate(tail);
    else if (rowCount > 0) {
      this.matrixBids.push(this.store.writeBlock(tail, false));
      hnidRows = this.ids.take();
      this.written.push({ nid: hnidRows, bidData: this.store.writeDataTreeOver(this.matrixBids), bidSub: 0 });
    }
    this.heap.set(this.tcInfoHid, tcInfoBytes(this.layout, this.indexHeader, hnidRows));
    this.heap.build();
    return {
      bidData: this.store.writeDataTreeOver(this.heapBids),
      bidSub: this.written.length > 0 ? this.store.writeSubnodeTreeOver(this.written) : 0,
    };
  }
}
