/**
 * Property values as the LTP layer stores them ([MS-OXCDATA] §2.11.1 types, [MS-PST] §2.3.3.5 for how
 * each is laid out in a PC or TC). A value is kept pre-encoded so the PC and the contents-table row are
 * guaranteed to hold the same bytes (scanpst compares them, pst.md §7.3).
 */
import { filetimeBytes, utf16 } from './binary';

export const ptInt16 = 0x0002;
export const ptInt32 = 0x0003;
export const ptBoolean = 0x000b;
export const ptInt64 = 0x0014;
export const ptString = 0x001f;
export const ptTime = 0x0040;
export const ptBinary = 0x0102;
export const ptMultiInt32 = 0x1003;
export const ptMultiString = 0x101f;

export interface PropValue {
  readonly id: number;
  readonly type: number;
  readonly data: Buffer;
}

/** Types whose value sits inline in dwValueHnid (4 bytes or less, [MS-PST] §2.3.3.3). */
export function isInlineType(type: number): boolean {
  return type === ptInt16 || type === ptInt32 || type === 0x0004 || type === 0x000a || type === ptBoolean;
}

/** Width of a fixed-size type in a TC row; variable-size types take a 4-byte HNID. */
export function columnWidth(type: number): number {
  switch (type) {
    case ptBoolean:
      return 1;
    case ptInt16:
      return 2;
    case ptInt64:
    case ptTime:
    case 0x0005:
    case 0x0006:
      return 8;
    default:
      return 4;
  }
}

export function stringValue(id: number, text: string): PropValue {
  return { id, type: ptString, data: utf16(text) };
}

export function int32Value(id: number, value: number): PropValue {
  const data = Buffer.alloc(4);
  data.writeInt32LE(value | 0);
  return { id, type: ptInt32, data };
}

export function booleanValue(id: number, value: boolean): PropValue {
  return { id, type: ptBoolean, data: Buffer.from([value ? 1 : 0]) };
}

export function timeValue(id: number, date: Date): PropValue {
  return { id, type: ptTime, data: filetimeBytes(date) };
}

export function binaryValue(id: number, bytes: Uint8Array): PropValue {
  return { id, type: ptBinary, data: Buffer.from(bytes) };
}

/** PtypMultipleInteger32: a packed array of int32 (pst.md §6.3). */
export function multiInt32Value(id: number, values: readonly number[]): PropValue {
  const data = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => data.writeInt32LE(value, index * 4));
  return { id, type: ptMultiInt32, data };
}

/** PtypMultipleString: ulCount, rgulDataOffsets[ulCount], then the UTF-16LE strings ([MS-PST] §2.3.3.4.2). */
export function multiStringValue(id: number, values: readonly string[]): PropValue {
  const strings = values.map(utf16);
  const header = Buffer.alloc(4 + 4 * strings.length);
  header.writeUInt32LE(strings.length, 0);
  let offset = header.length;
  strings.forEach((bytes, index) => {
    header.writeUInt32LE(offset, 4 + index * 4);
    offset += bytes.length;
  });
  return { id, type: ptMultiString, data: Buffer.concat([header, ...strings]) };
}
