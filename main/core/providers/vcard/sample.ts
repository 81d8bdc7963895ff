/**
 * The sample address book: a read-only vCard provider over assets/sample/sample-contacts.vcf, so a
 * new user (and every end-to-end test) can try backups, browsing and restores without an account.
 * The file is made by scripts/make-sample-address-book.ts and committed. Its path comes from the
 * host's Paths port: a module-relative URL would point outside the app once the code is bundled.
 */
import type { ContactProvider } from '../provider';
import { createReadOnlyVcardProvider } from './vcard-provider';

/** Where the sample lives relative to the package root (the Paths port resolves it). */
export const SAMPLE_ADDRESS_BOOK_FILE = 'assets/sample/sample-contacts.vcf';

/** The sample address book as a source; `writer()` is undefined because the sample is read-only. */
export function createSampleProvider(path: string): ContactProvider {
  return createReadOnlyVcardProvider({ path });
}
