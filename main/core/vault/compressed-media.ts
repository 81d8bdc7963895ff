/**
 * Recognises bytes that are already compressed (JPEG, PNG, GIF, WebP, HEIC/AVIF): deflating them
 * again costs CPU and saves nothing. Measured on 35 KB JPEG-like photos: deflate level 1 took 0.6 ms
 * of CPU per photo and saved nothing (-0.04 %) (issue 20), so the blob store seals them as they are.
 */
const SIGNATURES: readonly (readonly number[])[] = [
  [0xff, 0xd8, 0xff], // JPEG
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
  [0x47, 0x49, 0x46, 0x38], // GIF8
];

/** True when `bytes` start like an image format that is compressed already. */
export function isCompressedMedia(bytes: Uint8Array): boolean {
  if (SIGNATURES.some((signature) => startsWith(bytes, 0, signature))) return true;
  // RIFF....WEBP
  if (startsWith(bytes, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, 8, [0x57, 0x45, 0x42, 0x50])) {
    return true;
  }
  // ISO base media (HEIC, AVIF): ....ftyp
  return startsWith(bytes, 4, [0x66, 0x74, 0x79, 0x70]);
}

function startsWith(bytes: Uint8Array, offset: number, signature: readonly number[]): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}
