/**
 * The PST checksums. [MS-PST] §5.3: CRC-32 with the reflected polynomial 0xEDB88320 but an initial value
 * of 0 and no final XOR, so it is NOT zlib's crc32 (which starts at 0xFFFFFFFF and inverts the result).
 */
const table = buildTable();

function buildTable(): Uint32Array {
  const result = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ 0xedb88320 : value >>> 1;
    result[index] = value >>> 0;
  }
  return result;
}

/** CRC of `bytes[start, end)` as [MS-PST] §5.3 computes it (page, block and header checksums). */
export function pstCrc(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  let crc = seed >>> 0;
  for (let index = start; index < end; index++) crc = table[(crc ^ bytes[index]) & 0xff] ^ (crc >>> 8);
  return crc >>> 0;
}

/**
 * wSig of a block or page trailer, [MS-PST] §5.5 ComputeSig: XOR the 64-bit ib and bid, fold to 32 then
 * to 16 bits. Values stay below 2^53, so the halves are split arithmetically.
 */
export function computeSig(ib: number, bid: number): number {
  const low = ((ib % 0x100000000) ^ (bid % 0x100000000)) >>> 0;
  const high = (Math.floor(ib / 0x100000000) ^ Math.floor(bid / 0x100000000)) >>> 0;
  const folded = (low ^ high) >>> 0;
  return ((folded >>> 16) ^ (folded & 0xffff)) & 0xffff;
}
