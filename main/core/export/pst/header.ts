/** The Unicode HEADER ([MS-PST] §2.2.2.6), written last once every offset and counter is known. */
import { writeU64 } from './binary';
import type { BRef } from './btree';
import { pstCrc } from './crc';

export interface HeaderFields {
  readonly bidNextP: number;
  readonly bidNextB: number;
  /** Last nidIndex handed out per NID type (rgnid, pst.md §2). */
  readonly lastNidIndex: ReadonlyMap<number, number>;
  readonly fileEof: number;
  readonly lastAMap: number;
  readonly amapFree: number;
  readonly nbt: BRef;
  readonly bbt: BRef;
  readonly headerFreeMap: Buffer;
}

/** Initial rgnid values Outlook writes: 0x400, except search folders, messages and associated messages. */
export function initialNidIndex(nidType: number): number {
  if (nidType === 0x03) return 0x4000;
  if (nidType === 0x04) return 0x10000;
  if (nidType === 0x08) return 0x8000;
  return 0x400;
}

/** Builds the 564-byte header with both CRCs. */
export function buildHeader(fields: HeaderFields): Buffer {
  const header = Buffer.alloc(564);
  header.write('!BDN', 0, 'latin1');
  header.writeUInt16LE(0x4d53, 8); // wMagicClient "SM"
  header.writeUInt16LE(23, 10); // wVer: Unicode PST
  header.writeUInt16LE(19, 12); // wVerClient
  header[14] = 0x01;
  header[15] = 0x01;
  writeU64(header, 32, fields.bidNextP);
  header.writeUInt32LE(1, 40); // dwUnique
  for (let type = 0; type < 32; type++) {
    header.writeUInt32LE(fields.lastNidIndex.get(type) ?? initialNidIndex(type), 44 + type * 4);
  }
  // ROOT at 180 (§2.2.2.5).
  writeU64(header, 184, fields.fileEof);
  writeU64(header, 192, fields.lastAMap);
  writeU64(header, 200, fields.amapFree);
  writeU64(header, 208, 0); // cbPMapFree: PMaps are all 0xFF
  writeU64(header, 216, fields.nbt.bid);
  writeU64(header, 224, fields.nbt.ib);
  writeU64(header, 232, fields.bbt.bid);
  writeU64(header, 240, fields.bbt.ib);
  header[248] = 2; // fAMapValid = VALID_AMAP2
  fields.headerFreeMap.copy(header, 256, 0, 128);
  // rgbFP as Outlook wrote it for a small file (pst.md §2); FPMaps are deprecated.
  header.fill(0xff, 384, 512);
  header[384] = 0x7f;
  header[512] = 0x80; // bSentinel
  header[513] = 0; // bCryptMethod = NDB_CRYPT_NONE
  writeU64(header, 516, fields.bidNextB);
  header.writeUInt32LE(pstCrc(header, 8, 8 + 471), 4);
  header.writeUInt32LE(pstCrc(header, 8, 8 + 516), 524);
  return header;
}
