/**
 * Vendor tool, not shipped: mints a licence key.
 *
 *   node --import tsx scripts/make-licence.ts --private-key FILE --licensee NAME \
 *     --edition business --seats 5 --days 365 [--expires 2027-01-31T00:00:00Z] [--id ID]
 *
 * Prints the key text on stdout. The production private key lives with the vendor, never in the
 * repository; tests use tests/fixtures/licensing/test-private-key.pem.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LICENCE_PRODUCT, signLicence, type Edition, type Licence } from '../main/core/licensing/licence';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reads the command line into a licence; throws a sentence on bad input. */
function licenceFromArguments(args: readonly string[], now: Date): { licence: Licence; keyFile: string } {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'private-key': { type: 'string' },
      licensee: { type: 'string' },
      edition: { type: 'string', default: 'business' },
      seats: { type: 'string', default: '1' },
      days: { type: 'string' },
      expires: { type: 'string' },
      id: { type: 'string' },
    },
    strict: true,
  });
  const keyFile = values['private-key'];
  if (!keyFile) throw new Error('--private-key FILE is required.');
  const licensee = values.licensee?.trim();
  if (!licensee) throw new Error('--licensee NAME is required.');
  const edition = values.edition;
  if (edition !== 'personal' && edition !== 'business')
    throw new Error('--edition must be personal or business.');
  const seats = Number(values.seats);
  if (!Number.isInteger(seats) || seats < 0) throw new Error('--seats must be a whole number.');

  let expiresAt: Date;
  if (values.expires !== undefined) {
    expiresAt = new Date(values.expires);
    if (Number.isNaN(expiresAt.getTime()))
      throw new Error('--expires must be an ISO date, e.g. 2027-01-31T00:00:00Z.');
  } else if (values.days !== undefined) {
    const days = Number(values.days);
    if (!Number.isFinite(days) || days <= 0) throw new Error('--days must be a positive number.');
    expiresAt = new Date(now.getTime() + days * DAY_MS);
  } else {
    throw new Error('Give --days N or --expires ISO.');
  }

  const licence: Licence = {
    product: LICENCE_PRODUCT,
    licensee,
    edition: edition satisfies Edition,
    seats,
    issuedAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    id: values.id ?? randomUUID(),
  };
  return { licence, keyFile };
}

function main(): void {
  try {
    const { licence, keyFile } = licenceFromArguments(process.argv.slice(2), new Date());
    process.stdout.write(`${signLicence(licence, readFileSync(keyFile, 'utf8'))}\n`);
  } catch (error) {
    process.stderr.write(`make-licence: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

main();
