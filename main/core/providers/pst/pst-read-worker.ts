/**
 * Worker-thread entry of the PST reader (see pst-reader.ts for why a worker). Reads the file named
 * in workerData, posts `{ progress }` every few items and then one answer: `{ ok: true, result }`
 * or `{ ok: false, kind, message }`.
 * Runs from the esbuild bundle as out/main/pst-read-worker.cjs, and from sources through
 * pst-read-worker-tsx.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PstReadError, readPstFile } from './pst-read';

const { path } = workerData as { path: string };
try {
  const result = readPstFile(path, (progress) => parentPort!.postMessage({ progress }));
  parentPort!.postMessage({ ok: true, result });
} catch (error) {
  parentPort!.postMessage(
    error instanceof PstReadError
      ? { ok: false, kind: error.kind, message: error.message }
      : { ok: false, kind: 'invalid-input', message: 'The PST file could not be read (it may be damaged).' },
  );
}
