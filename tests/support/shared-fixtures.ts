/**
 * The workplace's shared fixtures (real Outlook PST files) live beside the repository in
 * ../shared/fixtures, on a developer's machine and in CI alike.
 */
import { fileURLToPath } from 'node:url';

export const SHARED_FIXTURES = fileURLToPath(new URL('../../../shared/fixtures', import.meta.url));
export const PST_FIXTURES = `${SHARED_FIXTURES}/pst`;
