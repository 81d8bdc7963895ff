/**
 * Contact photos: `GET …/photo/$value` returns the bytes, or 404 when the contact has none
 * (providers.md 2.1). Graph has no "has photo" flag on a contact, so a photo is only known to be
 * missing when it is loaded; `load` then throws ProviderError('not-found') and the engine records
 * no photo. The key is the contact's changeKey, so unchanged contacts are never fetched again.
 */
import { ProviderError, type PhotoBytes, type PhotoSource } from '../provider';
import { GraphError, type GraphClient } from './graph-client';

/** Message of the not-found error `load` throws for a contact without photo. */
export const NO_PHOTO = 'This contact has no photo.';

export function contactPhotoPath(mailbox: string, contactId: string): string {
  return `${mailbox}/contacts/${encodeURIComponent(contactId)}/photo/$value`;
}

/** A lazily loaded photo of one contact. */
export function graphPhotoSource(
  client: GraphClient,
  mailbox: string,
  contactId: string,
  key: string,
): PhotoSource {
  return {
    key,
    async load(): Promise<PhotoBytes> {
      try {
        const response = await client.request('GET', contactPhotoPath(mailbox, contactId));
        if (!response.bytes || response.bytes.length === 0) throw new ProviderError('not-found', NO_PHOTO);
        const mediaType = (response.headers.get('content-type') ?? 'image/jpeg').split(';')[0].trim();
        return { mediaType, bytes: response.bytes };
      } catch (error) {
        if (error instanceof GraphError && error.status === 404)
          throw new ProviderError('not-found', NO_PHOTO);
        throw error;
      }
    },
  };
}

/** Uploads a photo (PUT binary, 200 with an empty body). Graph takes under 4 MB per request. */
export async function uploadPhoto(
  client: GraphClient,
  mailbox: string,
  contactId: string,
  photo: PhotoBytes,
  signal?: AbortSignal,
): Promise<void> {
  if (photo.bytes.length >= 4 * 1024 * 1024) {
    throw new ProviderError('invalid-input', 'The photo is larger than the 4 MB Microsoft accepts.');
  }
  await client.request('PUT', contactPhotoPath(mailbox, contactId), {
    bytes: photo.bytes,
    contentType: photo.mediaType || 'image/jpeg',
    signal,
  });
}
