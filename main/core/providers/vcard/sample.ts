/**
 * The sample address book: a read-only vCard provider over assets/sample/sample-contacts.vcf, so a
 * new user (and every end-to-end test) can try backups, browsing and restores without an account.
 * The file is made by scripts/make-sample-address-book.ts and committed.
 */
import { fileURLToPath } from 'node:url';
import type { ContactProvider } from '../provider';
import { createReadOnlyVcardProvider } from './vcard-provider';

/** Absolute path of the sample .vcf, resolved from this module so it works from any working directory. */
export const SAMPLE_ADDRESS_BOOK_PATH = fileURLToPath(
  new URL('../../../../assets/sample/sample-contacts.vcf', import.meta.url),
);

/** The sample address book as a source; `writer()` is undefined because the sample is read-only. */
export function createSampleProvider(): ContactProvider {
  return createReadOnlyVcardProvider({ path: SAMPLE_ADDRESS_BOOK_PATH });
}
