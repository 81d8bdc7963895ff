/**
 * Column sets of the standard tables ([MS-PST] §2.4.4.4.1 hierarchy, §2.4.4.5.1 contents, §2.4.4.6
 * FAI contents, §2.4.6.1 attachment, §2.4.5.3 recipient), written both as the template nodes every PST
 * must carry and as the columns of each folder's and message's tables.
 */
import { ptBinary, ptBoolean, ptInt32, ptInt64, ptString, ptTime } from './property-values';
import type { ColumnSpec } from './table-context';

const rowColumns: ColumnSpec[] = [
  { id: 0x67f2, type: ptInt32 },
  { id: 0x67f3, type: ptInt32 },
];

export const hierarchyColumns: ColumnSpec[] = [
  { id: 0x0e30, type: ptInt32 },
  { id: 0x0e33, type: ptInt64 },
  { id: 0x0e34, type: ptBinary },
  { id: 0x0e38, type: ptInt32 },
  { id: 0x3001, type: ptString },
  { id: 0x3602, type: ptInt32 },
  { id: 0x3603, type: ptInt32 },
  { id: 0x360a, type: ptBoolean },
  { id: 0x3613, type: ptString },
  { id: 0x6635, type: ptInt32 },
  { id: 0x6636, type: ptInt32 },
  ...rowColumns,
];

export const contentsColumns: ColumnSpec[] = [
  { id: 0x0017, type: ptInt32 },
  { id: 0x001a, type: ptString },
  { id: 0x0036, type: ptInt32 },
  { id: 0x0037, type: ptString },
  { id: 0x0039, type: ptTime },
  { id: 0x0042, type: ptString },
  { id: 0x0057, type: ptBoolean },
  { id: 0x0058, type: ptBoolean },
  { id: 0x0070, type: ptString },
  { id: 0x0071, type: ptBinary },
  { id: 0x0e03, type: ptString },
  { id: 0x0e04, type: ptString },
  { id: 0x0e06, type: ptTime },
  { id: 0x0e07, type: ptInt32 },
  { id: 0x0e08, type: ptInt32 },
  { id: 0x0e17, type: ptInt32 },
  { id: 0x0e30, type: ptInt32 },
  { id: 0x0e33, type: ptInt64 },
  { id: 0x0e34, type: ptBinary },
  { id: 0x0e38, type: ptInt32 },
  { id: 0x0e3c, type: ptBinary },
  { id: 0x0e3d, type: ptBinary },
  { id: 0x1097, type: ptInt32 },
  { id: 0x3008, type: ptTime },
  { id: 0x3013, type: ptBinary },
  { id: 0x65c6, type: ptInt32 },
  ...rowColumns,
];

export const faiColumns: ColumnSpec[] = [
  { id: 0x001a, type: ptString },
  { id: 0x0e07, type: ptInt32 },
  { id: 0x0e17, type: ptInt32 },
  { id: 0x3001, type: ptString },
  ...rowColumns,
];

export const attachmentColumns: ColumnSpec[] = [
  { id: 0x0e20, type: ptInt32 },
  { id: 0x3704, type: ptString },
  { id: 0x3705, type: ptInt32 },
  { id: 0x370b, type: ptInt32 },
  ...rowColumns,
];

export const recipientColumns: ColumnSpec[] = [
  { id: 0x0c15, type: ptInt32 },
  { id: 0x0e0f, type: ptBoolean },
  { id: 0x0ff9, type: ptBinary },
  { id: 0x0ffe, type: ptInt32 },
  { id: 0x0fff, type: ptBinary },
  { id: 0x3001, type: ptString },
  { id: 0x3002, type: ptString },
  { id: 0x3003, type: ptString },
  { id: 0x300b, type: ptBinary },
  { id: 0x3900, type: ptInt32 },
  { id: 0x39ff, type: ptString },
  { id: 0x3a40, type: ptBoolean },
  ...rowColumns,
];
