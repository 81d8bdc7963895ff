/**
 * Where things may go in a Unicode PST ([MS-PST] §2.2.2.7): the header region, the DList page at 0x4200,
 * then AMap intervals of 253,952 bytes that each start with their AMap page, followed by a PMap page on
 * every 8th interval and an FMap page on interval 128 and every 496th after it.
 */
export const headerSize = 564;
export const dlistOffset = 0x4200;
export const firstAMapOffset = 0x4400;
export const amapInterval = 253_952; // 496 bytes × 8 bits × 64 bytes, [MS-PST] §2.2.2.7.2
export const pageSize = 512;
export const slotSize = 64;
export const slotsPerInterval = amapInterval / slotSize; // 3968
/** The first FPMap would sit on interval 8192 (about 2 GB); this writer does not write FPMaps. */
export const maxIntervals = 8192;

/** Offset of AMap page n. */
export function amapOffset(interval: number): number {
  return firstAMapOffset + interval * amapInterval;
}

/** True when interval n carries a PMap page right after its AMap ([MS-PST] §2.2.2.7.4: every 8th AMap). */
export function hasPMap(interval: number): boolean {
  return interval % 8 === 0;
}

/**
 * True when interval n carries an FMap page after its AMap and PMap ([MS-PST] §2.2.2.7.3: the header's
 * rgbFM covers the first 128 AMaps; the first FMap page follows the 128th AMap, then one every 496 AMaps).
 */
export function hasFMap(interval: number): boolean {
  return interval >= 128 && (interval - 128) % 496 === 0;
}

/** Bytes reserved at the start of interval n for its map pages. */
export function reservedBytes(interval: number): number {
  return pageSize * (1 + (hasPMap(interval) ? 1 : 0) + (hasFMap(interval) ? 1 : 0));
}
