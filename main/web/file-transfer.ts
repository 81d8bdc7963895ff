/**
 * Files in and out of the browser host (issue 16 item 5), behind the same token as the page:
 *
 * - `POST /files/upload?token=T&name=N&kind=vcard|pst`: the body is the file the person picked. It
 *   is checked for its kind, then written into the open profile's own `imports/` folder under a new
 *   name; the answer is `{ ok: true, path }` for `accounts.addVcard` / `accounts.addPst`, or
 *   `{ ok: false, code, message }` with the sentence when it is refused. Nothing is written
 *   outside that folder and the person never types a server path.
 * - `GET /files/download?token=T&job=ID`: the file a succeeded export job wrote, as a download.
 *   Only files of export jobs of the open profile are served.
 *
 * Kept apart from web-host.ts so the host's own request handling stays small; the host calls
 * {@link handleFileTransfer} first and serves its static files when it answers false.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AppCore } from '../core/app';
import { assertSourceKind, type SourceKind } from '../core/accounts/source-kind';
import { ApiFailure } from '../core/contract/api-failure';

/** A PST of 100,000 contacts with photos stays well under this. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export interface FileTransferContext {
  readonly app: AppCore;
  /** True when the request carries the host's token. */
  readonly authorised: (url: URL) => boolean;
  /** The host's security headers, sent on every answer. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Answers upload and download requests; false for any other path (the host serves it). */
export async function handleFileTransfer(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: FileTransferContext,
): Promise<boolean> {
  if (url.pathname !== '/files/upload' && url.pathname !== '/files/download') return false;
  const answer = (status: number, body: unknown) => {
    response.writeHead(status, { ...context.headers, 'Content-Type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  if (!context.authorised(url)) {
    answer(403, { message: 'This request needs the access token of the page.' });
    return true;
  }
  try {
    if (url.pathname === '/files/upload') {
      if (request.method !== 'POST') return (answer(405, { message: 'Use POST.' }), true);
      // A refused file is an answer like any API Result (ok: false), not a broken request.
      const uploaded = await receiveUpload(request, url, context.app).then(
        (value) => ({ ok: true as const, ...value }),
        (error: unknown) => {
          if (!(error instanceof ApiFailure)) throw error;
          return { ok: false as const, code: error.code, message: error.message };
        },
      );
      answer(200, uploaded);
    } else {
      if (request.method !== 'GET') return (answer(405, { message: 'Use GET.' }), true);
      await sendDownload(response, url, context);
    }
  } catch (error) {
    const failure = error instanceof ApiFailure ? error : undefined;
    if (!failure) console.error(error);
    if (!response.headersSent)
      answer(failure?.code === 'not-found' ? 404 : failure ? 400 : 500, {
        code: failure?.code ?? 'internal',
        message: failure?.message ?? 'The file could not be transferred.',
      });
    else response.destroy();
  }
  return true;
}

/** A file name safe on every system, keeping the extension the person's file had. */
export function safeFileName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/'))
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^\.+/, '')
    .slice(-120);
  return cleaned || 'upload';
}

async function receiveUpload(
  request: IncomingMessage,
  url: URL,
  app: AppCore,
): Promise<{ path: string; name: string }> {
  const session = app.requireSession();
  const kind = url.searchParams.get('kind') as SourceKind | null;
  if (kind !== 'vcard' && kind !== 'pst')
    throw new ApiFailure('invalid-request', 'Say which kind of file this is.');
  const name = safeFileName(url.searchParams.get('name') ?? 'upload');
  // A folder per upload keeps the person's own file name (the source's user is named after it).
  const folder = join(session.vault.folder, 'imports', randomUUID());
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const target = join(folder, name);
  const partial = `${target}.part`;
  // Streamed to disk: a PST may be far larger than what should sit in memory.
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES) done(new ApiFailure('too-large', 'This file is larger than 2 GB.'));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(request, limit, createWriteStream(partial, { mode: 0o600 }));
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  try {
    await assertSourceKind(partial, kind);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, target);
  return { path: target, name };
}

async function sendDownload(response: ServerResponse, url: URL, context: FileTransferContext): Promise<void> {
  const session = context.app.requireSession();
  const job = session.jobs.get(url.searchParams.get('job') ?? '');
  const path = (job?.result as { path?: unknown } | undefined)?.path;
  if (!job || job.kind !== 'export' || job.state !== 'succeeded' || typeof path !== 'string')
    throw new ApiFailure('not-found', 'There is no finished export with this id.');
  const size = (await stat(path).catch(() => undefined))?.size;
  if (size === undefined) throw new ApiFailure('not-found', 'The exported file is no longer there.');
  const name = basename(path);
  response.writeHead(200, {
    ...context.headers,
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  });
  await new Promise<void>((resolve, reject) => {
    createReadStream(path).on('error', reject).pipe(response).on('finish', resolve).on('error', reject);
  });
}
