/**
 * Rebuilds assets/sample/sample-contacts.vcf, the sample address book new users and end-to-end tests
 * start from. Deterministic: the same code always writes the same bytes, so the committed file only
 * changes when this script or the generator changes.
 *
 *   node --import tsx scripts/make-sample-address-book.ts
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SAMPLE_ADDRESS_BOOK_PATH } from '../tests/support/repo-paths';
import { writeVcfSource } from '../tests/support/generate-contacts';

/** 340 contacts over six folders (Family, Friends, Work, Clients, Suppliers, Neighbours), 10% with photos. */
export function makeSampleAddressBook(path = SAMPLE_ADDRESS_BOOK_PATH): number {
  mkdirSync(dirname(path), { recursive: true });
  const contacts = writeVcfSource(path, 340, { seed: 20240611, photoShare: 0.1, folders: 6, version: '3.0' });
  return contacts.length;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const count = makeSampleAddressBook();
  const size = statSync(SAMPLE_ADDRESS_BOOK_PATH).size;
  console.log(`Wrote ${count} contacts (${Math.round(size / 1024)} KiB) to ${SAMPLE_ADDRESS_BOOK_PATH}`);
}
