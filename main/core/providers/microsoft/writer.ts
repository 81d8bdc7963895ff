/**
 * The write side for restores: contacts are created and updated through `$batch` (20 per call, sent
 * one batch at a time per mailbox), photos are uploaded one by one after their contact exists
 * (the new id is needed, and `dependsOn` cannot pass it along).
 */
import type { Contact, ContactFolder } from '../../contacts/model';
import {
  ProviderError,
  type ContactWriter,
  type WorkContext,
  type WriteItem,
  type WriteResult,
} from '../provider';
import { RESTORE_ID_KEY, RESTORE_ID_PATTERN } from '../restore-identity';
import { contactToGraph, unsupportedGraphFields } from './contact-mapping';
import { toProviderError, writeFailure } from './errors';
import { createGraphFolder, DEFAULT_FOLDER_ALIAS, folderPath, readFolderTree } from './folders';
import { runBatches, type BatchRequest, type BatchResponse } from './graph-batch';
import type { GraphClient } from './graph-client';
import { uploadPhoto } from './photos';

/**
 * The single-value extended property holding a contact's restore id (a named string property in
 * our own property set), so a resumed restore can find the contacts it created.
 */
export const RESTORE_ID_PROPERTY = `String {8b1f3c52-6d0e-4a7b-9c2d-5e4f1a3b7c90} Name ${RESTORE_ID_KEY}`;

/** A ContactWriter for one mailbox (`/me` or `/users/{id}`). */
export function createMicrosoftWriter(client: GraphClient, mailbox: string): ContactWriter {
  let defaultFolderId: string | undefined;
  let known = false;

  async function listFolders(context: WorkContext): Promise<ContactFolder[]> {
    const tree = await readFolderTree(client, mailbox, defaultFolderId, context.signal);
    defaultFolderId = tree.defaultFolderId ?? defaultFolderId;
    known = true;
    return [...tree.folders];
  }

  async function ensureTree(context: WorkContext): Promise<void> {
    if (!known) await listFolders(context);
  }

  function contactsOf(folderId: string | undefined): string {
    const isDefault = !folderId || folderId === defaultFolderId || folderId === DEFAULT_FOLDER_ALIAS;
    return isDefault ? `${mailbox}/contacts` : `${folderPath(mailbox, folderId)}/contacts`;
  }

  async function write(
    items: readonly WriteItem[],
    context: WorkContext,
    toRequest: (item: WriteItem, id: string) => BatchRequest,
    okStatus: number,
  ): Promise<WriteResult[]> {
    // A failure after some chunks went through must still report the contacts those chunks wrote,
    // or the restore journal never learns of them and a resume creates them a second time.
    const answers = new Map<string, BatchResponse>();
    let unanswered: { error: string; retryable: boolean } | undefined;
    try {
      await runBatches(
        client,
        items.map((item, index) => toRequest(item, String(index))),
        context.signal,
        answers,
      );
    } catch (error) {
      const failure = toProviderError(error, context.signal);
      if (context.signal.aborted || answers.size === 0) throw failure;
      unanswered = {
        error: failure instanceof Error ? failure.message : 'Microsoft Graph did not answer.',
        retryable: failure instanceof ProviderError ? failure.retryable : true,
      };
    }
    const results: WriteResult[] = [];
    for (const [index, item] of items.entries()) {
      const answer = answers.get(String(index));
      if (!answer && unanswered) {
        results.push({ key: item.key, ok: false, ...unanswered });
        continue;
      }
      const targetId = (answer?.body as { id?: unknown } | undefined)?.id;
      if (answer?.status !== okStatus || typeof targetId !== 'string') {
        results.push({ key: item.key, ok: false, ...writeFailure(answer?.status ?? 502) });
        continue;
      }
      if (item.photo) {
        try {
          await uploadPhoto(client, mailbox, targetId, item.photo, context.signal);
        } catch (error) {
          const failure = toProviderError(error, context.signal);
          if (context.signal.aborted) throw failure;
          const retryable =
            failure instanceof Error && 'retryable' in failure ? Boolean(failure.retryable) : true;
          results.push({
            key: item.key,
            ok: false,
            error: 'The contact was saved but its photo was not.',
            retryable,
          });
          continue;
        }
      }
      results.push({ key: item.key, ok: true, targetId });
      context.progress(results.length, items.length);
    }
    return results;
  }

  return {
    listFolders: (context) =>
      listFolders(context).catch((e) => Promise.reject(toProviderError(e, context.signal))),

    async createFolder(name, parentId, context) {
      try {
        await ensureTree(context);
        return await createGraphFolder(client, mailbox, name, parentId, defaultFolderId, context.signal);
      } catch (error) {
        throw toProviderError(error, context.signal);
      }
    },

    async existing(targetIds, context) {
      try {
        const answers = await runBatches(
          client,
          targetIds.map((id, index) => ({
            id: String(index),
            method: 'GET' as const,
            url: `${mailbox}/contacts/${encodeURIComponent(id)}?$select=id`,
          })),
          context.signal,
        );
        return new Set(targetIds.filter((_, index) => answers.get(String(index))?.status === 200));
      } catch (error) {
        throw toProviderError(error, context.signal);
      }
    },

    async findRestored(restoreIds, context) {
      // Contacts are read per folder (Graph's /contacts is the default folder only), ids plus our
      // property, which Graph returns only when expanded by its id.
      const wanted = new Set(restoreIds);
      const found = new Map<string, string>();
      if (!wanted.size) return found;
      try {
        const folders = await listFolders(context);
        const paths = new Set([contactsOf(undefined), ...folders.map((folder) => contactsOf(folder.id))]);
        const expand = encodeURIComponent(
          `singleValueExtendedProperties($filter=id eq '${RESTORE_ID_PROPERTY}')`,
        );
        for (const path of paths) {
          const url = `${path}?$select=id&$expand=${expand}&$top=1000`;
          for await (const page of client.pages<{
            id?: string;
            singleValueExtendedProperties?: { id?: string; value?: string }[];
          }>(url, context.signal)) {
            for (const contact of page) {
              for (const property of contact.singleValueExtendedProperties ?? []) {
                if (contact.id && property.value && wanted.has(property.value))
                  found.set(property.value, contact.id);
              }
            }
          }
          if (found.size === wanted.size) break;
        }
        return found;
      } catch (error) {
        throw toProviderError(error, context.signal);
      }
    },

    async create(items, context) {
      try {
        await ensureTree(context);
        return await write(
          items,
          context,
          (item, id) => ({
            id,
            method: 'POST',
            url: contactsOf(item.folderIds[0]),
            body: {
              ...contactToGraph(item.contact, false),
              ...(RESTORE_ID_PATTERN.test(item.restoreId)
                ? { singleValueExtendedProperties: [{ id: RESTORE_ID_PROPERTY, value: item.restoreId }] }
                : {}),
            },
          }),
          201,
        );
      } catch (error) {
        throw toProviderError(error, context.signal);
      }
    },

    async update(items, context) {
      const missing = items.filter((item) => !item.targetId);
      const results: WriteResult[] = missing.map((item) => ({
        key: item.key,
        ok: false,
        error: 'There is no contact to update at Microsoft.',
        retryable: false,
      }));
      try {
        const written = await write(
          items.filter((item) => item.targetId),
          context,
          (item, id) => ({
            id,
            method: 'PATCH',
            url: `${mailbox}/contacts/${encodeURIComponent(item.targetId as string)}`,
            body: contactToGraph(item.contact, true),
          }),
          200,
        );
        return [...results, ...written];
      } catch (error) {
        throw toProviderError(error, context.signal);
      }
    },

    unsupportedFields: (contact: Contact) => unsupportedGraphFields(contact),
  };
}
