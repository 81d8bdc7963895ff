// Draws the app and tray icons as PNG files (no image tools needed): a rounded address-book card.
// Run once: node scripts/make-icons.mjs; the PNGs are committed in assets/.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size, pixel) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 6;
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x += 1) row.set(pixel(x / size, y / size), 1 + x * 4);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
function card(color) {
  return (x, y) => {
    const inside = x > 0.12 && x < 0.88 && y > 0.08 && y < 0.92;
    if (!inside) return [0, 0, 0, 0];
    const head = (x - 0.5) ** 2 + (y - 0.38) ** 2 < 0.018;
    const body = (x - 0.5) ** 2 / 0.06 + (y - 0.72) ** 2 / 0.02 < 1 && y < 0.8;
    return head || body ? [255, 255, 255, 255] : [...color, 255];
  };
}
writeFileSync('assets/icon.png', png(512, card([37, 99, 235])));
writeFileSync('assets/tray-idle.png', png(32, card([37, 99, 235])));
writeFileSync('assets/tray-busy.png', png(32, card([217, 119, 6])));
writeFileSync('assets/tray-failed.png', png(32, card([220, 38, 38])));
console.log('Wrote assets/icon.png and tray icons.');
