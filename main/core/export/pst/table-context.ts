/**
 * Table context ([MS-PST] §2.3.4): a heap holding the row-index BTH (HID 0x20, pst.md §6.4 — with
 * TCINFO first pst-extractor loops forever), TCINFO (HID 0x40, the user root), variable-size cell
 * values and the row matrix, which moves to a subnode when it outgrows one heap allocation.
 */
import { maxBlockData, type NodeContent, type SubnodeContent } from './blocks';
import { reserveBthHeader, writeBth } from './bth';
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

/** Builds a TC node; rows keep the given order in the row matrix. */
export function buildTableContext(specs: readonly ColumnSpec[], rows: readonly TableRow[]): NodeContent {
  return buildTableContextLazily(specs, rows.length, (index) => rows[index]);
}

/** Builds a TC whose rows are produced one at a time, so large tables never hold every row object. */
export function buildTableContextLazily(
  specs: readonly ColumnSpec[],
  rowCount: number,
  rowAt: (index: number) => TableRow,
): NodeContent {
  const { columns, rgib } = layoutColumns(specs);
  const rowSize = rgib[3];
  const heap = new HeapBuilder(clientSigTc);
  const indexHeader = reserveBthHeader(heap);
  const tcInfoHid = heap.reserve(22 + 8 * columns.length);
  heap.setUserRoot(tcInfoHid);
  const subnodes: SubnodeContent[] = [];
  const ids = new SubnodeIds();
  const byId = new Map(columns.map((column) => [column.id, column]));

  const matrix = Buffer.alloc(rowCount * rowSize);
  const rowIds = new Float64Array(rowCount);
  for (let index = 0; index < rowCount; index++) {
    const row = rowAt(index);
    rowIds[index] = row.rowId;
    const base = index * rowSize;
    matrix.writeUInt32LE(row.rowId, base);
    const ceb = base + rgib[2];
    matrix[ceb] |= 0xc0; // row id and row version always exist
    for (const value of row.values) {
      const column = byId.get(value.id);
      if (!column || column.type !== value.type)
        throw new Error(`internal: no column 0x${value.id.toString(16)}`);
      if (column.id === rowIdColumn || column.id === rowVersionColumn) continue;
      if (isInlineType(value.type) || column.cb === 8)
        value.data.copy(matrix, base + column.ib, 0, column.cb);
      else matrix.writeUInt32LE(storeValue(heap, value.data, subnodes, ids), base + column.ib);
      matrix[ceb + (column.bit >> 3)] |= 0x80 >> (column.bit & 7);
    }
  }

  const order = Array.from({ length: rowCount }, (_, index) => index).sort((a, b) => rowIds[a] - rowIds[b]);
  const indexRecords = Buffer.alloc(rowCount * 8);
  order.forEach((rowIndex, position) => {
    indexRecords.writeUInt32LE(rowIds[rowIndex], position * 8);
    indexRecords.writeUInt32LE(rowIndex, position * 8 + 4);
  });
  writeBth(heap, indexHeader, 4, 4, indexRecords);

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
  heap.set(tcInfoHid, tcInfo);
  return { blocks: heap.build(), subnodes };
}
