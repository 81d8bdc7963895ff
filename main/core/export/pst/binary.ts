/** Little-endian helpers shared by the PST layers; all integers stay below 2^53. */

/** Writes an unsigned 64-bit little-endian value held in a JS number (< 2^53). */
export function writeU64(buffer: Buffer, offset: number, value: number): void {
  buffer.writeUInt32LE(value % 0x100000000, offset);
  buffer.writeUInt32LE(Math.floor(value / 0x100000000), offset + 4);
}

/** Reads an unsigned 64-bit little-endian value; throws if it does not fit a safe integer. */
export function readU64(buffer: Uint8Array, offset: number): number {
  const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const high = view.readUInt32LE(offset + 4);
  if (high >= 0x200000) throw new RangeError('64-bit value too large');
  return high * 0x100000000 + view.readUInt32LE(offset);
}

/** Rounds `value` up to a multiple of `alignment`. */
export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

const filetimeEpochOffset = 11644473600000; // ms between 1601-01-01 and 1970-01-01

/** A Date as a Windows FILETIME (100 ns ticks since 1601), 8 bytes ([MS-OXCDATA] §2.11.1 PtypTime). */
export function filetimeBytes(date: Date): Buffer {
  const ticks = BigInt(date.getTime() + filetimeEpochOffset) * 10000n;
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(ticks);
  return buffer;
}

/** UTF-16LE without terminator, as PtypString values are stored ([MS-PST] §2.3.3.5 / pst.md §6.3). */
export function utf16(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}
