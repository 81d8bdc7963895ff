/**
 * PST export benchmark (issue 7): 10,000 contacts (5% with ~20 KB photos), then 100,000 contacts with
 * peak RSS, then readpst reading the 10,000-contact file. Targets: < 2 s for 10,000, < 200 MB RSS at
 * 100,000. Run alone with `node --import tsx bench/pst.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { emptyContact, type Contact } from '../main/core/contacts/model';
import { writePst, type PstContactInput } from '../main/core/export/pst';

const run = promisify(execFile);

function benchContact(index: number): Contact {
  return {
    ...emptyContact(`Person ${index}`),
    name: { given: 'Person', family: `Number ${index}` },
    emails: [{ value: `person${index}@example.org` }],
    phones: [
      { value: `+1 555 ${String(index).padStart(7, '0')}`, type: 'mobile' },
      { value: `+1 556 ${String(index).padStart(7, '0')}`, type: 'work' },
    ],
    addresses: [{ type: 'home', street: `${index} Main Street`, city: 'Springfield', postalCode: '12345' }],
    organizations: [{ name: 'Example Corp', title: 'Engineer' }],
    notes: 'Met at the conference; follow up in spring.',
  };
}

const photo = new Uint8Array(20_000).map((_, index) => (index * 13) & 0xff);

async function* contacts(count: number): AsyncIterable<PstContactInput> {
  for (let index = 0; index < count; index++) {
    yield {
      folderId: index % 10 === 0 ? 'vip' : 'all',
      contact: benchContact(index),
      ...(index % 20 === 0 ? { photo: { mediaType: 'image/jpeg', bytes: photo } } : {}),
    };
  }
}

const folders = [
  { id: 'all', name: 'Contacts' },
  { id: 'vip', name: 'VIP', parentId: 'all' },
];

async function timed(
  count: number,
  path: string,
): Promise<{ seconds: number; peakRssMb: number; bytes: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  try {
    const result = await writePst(path, folders, contacts(count));
    return {
      seconds: (performance.now() - start) / 1000,
      peakRssMb: peak / 1024 / 1024,
      bytes: result.bytes,
    };
  } finally {
    clearInterval(timer);
  }
}

/** Runs the PST benchmark and returns its measurements. */
export async function benchPst(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-pst-'));
  try {
    const small = await timed(10_000, join(dir, '10k.pst'));
    const large = await timed(100_000, join(dir, '100k.pst'));
    const out = join(dir, 'readpst');
    await run('mkdir', ['-p', out]);
    const start = performance.now();
    await run('readpst', ['-S', '-cv', '-tc', '-8', '-o', out, join(dir, '10k.pst')], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const readpstSeconds = (performance.now() - start) / 1000;
    return {
      'pst.write10k.seconds': round(small.seconds),
      'pst.write10k.megabytes': round(small.bytes / 1024 / 1024),
      'pst.write100k.seconds': round(large.seconds),
      'pst.write100k.megabytes': round(large.bytes / 1024 / 1024),
      'pst.write100k.peakRssMb': round(large.peakRssMb),
      'pst.write100k.maxRssMb': round(process.resourceUsage().maxRSS / 1024),
      'pst.readpst10k.seconds': round(readpstSeconds),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchPst();
  console.table(Object.entries(results).map(([metric, value]) => ({ metric, value })));
}
