/**
 * The name-to-ID map (NID 0x61, [MS-PST] §2.4.7): a fixed list of the named properties this writer
 * uses, so every file gets the same NPIDs (0x8000 + index). Streams: 0x0002 GUIDs, 0x0003 NAMEID
 * entries, 0x0004 names, 0x1000+h hash buckets holding copies of the entries.
 */
import { utf16 } from './binary';
import { pstCrc } from './crc';
import { binaryValue, int32Value, type PropValue } from './property-values';

/** PSETID_Address {00062004-0000-0000-C000-000000000046} as stored (GUID little-endian layout). */
const psetidAddress = Buffer.from('0420060000000000c000000000000046', 'hex');
/** PSETID_Common {00062008-0000-0000-C000-000000000046}. */
const psetidCommon = Buffer.from('0820060000000000c000000000000046', 'hex');

const guidPublicStrings = 2;
const guidAddress = 3;
const guidCommon = 4;
const bucketCount = 251;

/** PSETID_Address LIDs used for contacts ([MS-OXOCNTC] §2.2, [MS-OXPROPS]). */
export const lid = {
  fileUnder: 0x8005,
  fileUnderId: 0x8006,
  hasPicture: 0x8015,
  homeAddress: 0x801a,
  workAddress: 0x801b,
  otherAddress: 0x801c,
  postalAddressId: 0x8022,
  emailList: 0x8028,
  emailArrayType: 0x8029,
  html: 0x802b,
  workStreet: 0x8045,
  workCity: 0x8046,
  workState: 0x8047,
  workPostalCode: 0x8048,
  workCountry: 0x8049,
  workPoBox: 0x804a,
  instantMessaging: 0x8062,
  email1DisplayName: 0x8080,
  email1AddressType: 0x8082,
  email1Address: 0x8083,
  email1OriginalDisplayName: 0x8084,
  email1OriginalEntryId: 0x8085,
  email2DisplayName: 0x8090,
  email2AddressType: 0x8092,
  email2Address: 0x8093,
  email2OriginalDisplayName: 0x8094,
  email2OriginalEntryId: 0x8095,
  email3DisplayName: 0x80a0,
  email3AddressType: 0x80a2,
  email3Address: 0x80a3,
  email3OriginalDisplayName: 0x80a4,
  email3OriginalEntryId: 0x80a5,
} as const;

export type LidName = keyof typeof lid;

interface NameEntry {
  readonly guidIndex: number;
  readonly lid?: number;
  readonly name?: string;
}

const addressEntries: NameEntry[] = Object.values(lid).map((value) => ({
  guidIndex: guidAddress,
  lid: value,
}));
const entries: NameEntry[] = [
  ...addressEntries,
  { guidIndex: guidPublicStrings, name: 'Keywords' },
  // pst-extractor reads the entry stream with `x + 8 < length` and so drops the last entry: end with
  // one nothing depends on (PidLidCurrentVersionName, PSETID_Common:0x8554).
  { guidIndex: guidCommon, lid: 0x8554 },
];

/** NPID of an address-set LID. */
export function npidOf(name: LidName): number {
  return 0x8000 + addressEntries.findIndex((entry) => entry.lid === lid[name]);
}

/** NPID of PS_PUBLIC_STRINGS "Keywords" (categories). */
export const keywordsNpid = 0x8000 + entries.findIndex((entry) => entry.name === 'Keywords');

/** The map's property values. */
export function nameToIdMapValues(): PropValue[] {
  const strings: Buffer[] = [];
  let stringOffset = 0;
  const buckets = new Map<number, Buffer[]>();
  const records = entries.map((entry, index) => {
    const record = Buffer.alloc(8);
    let hashBase: number;
    if (entry.name !== undefined) {
      const bytes = utf16(entry.name);
      const item = Buffer.alloc(Math.ceil((4 + bytes.length) / 4) * 4); // 4-byte aligned (pst.md §7.5)
      item.writeUInt32LE(bytes.length, 0);
      bytes.copy(item, 4);
      record.writeUInt32LE(stringOffset, 0);
      record.writeUInt16LE((entry.guidIndex << 1) | 1, 4);
      strings.push(item);
      stringOffset += item.length;
      hashBase = pstCrc(bytes) ^ ((entry.guidIndex << 1) | 1);
    } else {
      record.writeUInt32LE(entry.lid ?? 0, 0);
      record.writeUInt16LE(entry.guidIndex << 1, 4);
      hashBase = (entry.lid ?? 0) ^ (entry.guidIndex << 1);
    }
    record.writeUInt16LE(index, 6);
    const bucket = (hashBase >>> 0) % bucketCount;
    // In a bucket, a string name's copy carries the CRC of the name instead of its string-stream
    // offset (observed on every string entry of the Outlook sample; [MS-PST] §2.4.7.5).
    const copy = Buffer.from(record);
    if (entry.name !== undefined) copy.writeUInt32LE(pstCrc(utf16(entry.name)), 0);
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), copy]);
    return record;
  });
  const values: PropValue[] = [
    int32Value(0x0001, bucketCount),
    binaryValue(0x0002, Buffer.concat([psetidAddress, psetidCommon])),
    binaryValue(0x0003, Buffer.concat(records)),
    binaryValue(0x0004, Buffer.concat(strings)),
  ];
  // Only non-empty buckets are written, as Outlook does (pst.md §7.5).
  for (const [bucket, items] of [...buckets].sort((a, b) => a[0] - b[0])) {
    values.push(binaryValue(0x1000 + bucket, Buffer.concat(items)));
  }
  return values;
}
