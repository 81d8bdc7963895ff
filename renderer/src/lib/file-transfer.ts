/**
 * Files in and out in the browser host (issue 16 item 5): a picked file is uploaded into the
 * profile's own import folder, an export is fetched as a download. Both go to the host's
 * /files/ routes, let in by the page's session cookie (or its token, where the page still has one);
 * Electron uses its native dialogs instead.
 */
import { resolveToken } from '../../web-shim';
import type { ApiError } from './api-types';
import { strings } from '../strings';

function token(): string {
  let storage: Storage | undefined;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = undefined;
  }
  return resolveToken(window.location, storage) ?? '';
}

/** The address of a finished export's file, to be opened as a download. */
export function downloadUrl(jobId: string): string {
  const query = new URLSearchParams({ job: jobId });
  if (token()) query.set('token', token());
  return `/files/download?${query.toString()}`;
}

/**
 * Uploads a file the person picked; answers the server path to give `accounts.addVcard`, or the
 * host's sentence (a file of the wrong kind, too large, the profile locked).
 */
export async function uploadSource(
  file: File,
  kind: 'vcard' | 'pst',
): Promise<{ ok: true; path: string } | { ok: false; error: ApiError }> {
  const query = new URLSearchParams({ name: file.name, kind });
  if (token()) query.set('token', token());
  try {
    const response = await fetch(`/files/upload?${query.toString()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
    });
    const body = (await response.json()) as { ok?: boolean; path?: string; code?: string; message?: string };
    if (response.ok && body.ok && body.path) return { ok: true, path: body.path };
    return {
      ok: false,
      error: {
        code: body.code ?? 'upload-failed',
        message: body.message ?? strings.unexpectedError,
        retryable: true,
      },
    };
  } catch {
    return {
      ok: false,
      error: { code: 'upload-failed', message: strings.files.uploadFailed, retryable: true },
    };
  }
}
