/**
 * writePst: one pass from the input to a finished Unicode PST (pst.md §0). Contacts stream in; each
 * message's blocks are written at once and its row goes straight into its folder's streaming contents
 * table. What stays per message is its NBT entry (16 bytes), its blocks' BBT entries (6 bytes each) and
 * 4 bytes of row id. Folders, B-trees, maps and the header are written at the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Contact } from '../../contacts/model';
import type { PhotoBytes } from '../../contacts/model';
import type { NodeContent } from './blocks';
import { BlockStore } from './blocks';
import { PageIds, writeBbt, writeNbt } from './btree';
import { buildContactMessage, contentsRowValues } from './contact-message';
import type { RandomAccessOutput } from '../encrypted-scratch-file';
import { FileSink } from './file-sink';
import { Uint32Column } from './growable';
import { buildHeader } from './header';
import { writeMaps } from './maps';
import { nameToIdMapValues } from './name-to-id-map';
import {
  makeNid,
  nidAttachmentTemplate,
  nidContentsTemplate,
  nidFaiTemplate,
  nidHierarchyTemplate,
  nidMessageStore,
  nidNameToIdMap,
  nidRecipientTemplate,
  nidRootFolder,
  nidSearchContentsTemplate,
  nidTypeFolder,
  nidTypeMessage,
  tableNids,
} from './nids';
import { buildPropertyContext } from './property-context';
import { buildFolder, buildStore, type FolderNode } from './store';
import { buildTableContext, StreamingTableContext } from './table-context';
import {
  attachmentColumns,
  contentsColumns,
  faiColumns,
  hierarchyColumns,
  recipientColumns,
} from './table-templates';

/** A folder to create; parentId undefined = directly under "Top of Personal Folders". */
export interface PstFolderInput {
  id: string;
  name: string;
  parentId?: string;
}

/** One contact and the folder it goes in. */
export interface PstContactInput {
  folderId: string;
  contact: Contact;
  photo?: PhotoBytes;
}

export interface PstWriteOptions {
  signal?: AbortSignal;
  /** Called with the number of contacts written so far. */
  onProgress?(done: number): void;
  /** PidTagDisplayName of the store; Outlook shows it as the root of the tree. */
  storeName?: string;
  /**
   * Where the bytes go instead of a new file at `path` (an encrypted scratch file for a PST inside a
   * password ZIP). The writer closes it.
   */
  output?: RandomAccessOutput;
}

export interface PstWriteResult {
  folders: number;
  contacts: number;
  bytes: number;
}

/** Search keys come from one random pool refilled every 4,096 messages (randomBytes per call is slow). */
function searchKeys(): () => Buffer {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset >= pool.length) {
      pool = randomBytes(16 * 4096);
      offset = 0;
    }
    offset += 16;
    return pool.subarray(offset - 16, offset);
  };
}

function abortError(): Error {
  const error = new Error('PST export was cancelled');
  error.name = 'AbortError';
  return error;
}

interface UserFolder extends FolderNode {
  readonly contents: StreamingTableContext;
}

/** NBT entries as four typed columns (16 bytes per node instead of a JS object each). */
class NodeIndex {
  private readonly nids = new Uint32Column();
  private readonly parents = new Uint32Column();
  private readonly dataBids = new Uint32Column();
  private readonly subBids = new Uint32Column();

  add(nid: number, nidParent: number, bidData: number, bidSub: number): void {
    this.nids.push(nid);
    this.parents.push(nidParent);
    this.dataBids.push(bidData);
    this.subBids.push(bidSub);
  }

  /** Entry positions in ascending NID order (messages arrive in order; folders come last). */
  sortedOrder(): Uint32Array {
    const order = Uint32Array.from({ length: this.nids.length }, (_, index) => index);
    return order.sort((a, b) => this.nids.get(a) - this.nids.get(b));
  }

  entryAt(index: number): { nid: number; nidParent: number; bidData: number; bidSub: number } {
    return {
      nid: this.nids.get(index),
      nidParent: this.parents.get(index),
      bidData: this.dataBids.get(index),
      bidSub: this.subBids.get(index),
    };
  }
}

function checkFolders(folders: readonly PstFolderInput[]): void {
  const ids = new Set<string>();
  for (const folder of folders) {
    if (ids.has(folder.id)) throw new Error(`Duplicate PST folder id ${folder.id}`);
    ids.add(folder.id);
  }
  const byId = new Map(folders.map((folder) => [folder.id, folder]));
  for (const folder of folders) {
    const seen = new Set<string>();
    let current: PstFolderInput | undefined = folder;
    while (current?.parentId !== undefined) {
      if (seen.has(current.id)) throw new Error(`PST folder ${folder.id} is its own ancestor`);
      seen.add(current.id);
      if (!byId.has(current.parentId)) throw new Error(`PST folder ${current.id} has an unknown parent`);
      current = byId.get(current.parentId);
    }
  }
}

/**
 * Writes a Unicode PST holding the given contact folders (IPF.Contact) and contacts (IPM.Contact).
 * The caller writes to a temporary name and renames on success: on error or abort the handle is closed
 * and the partial file is left for the caller to delete.
 */
export async function writePst(
  path: string,
  folders: readonly PstFolderInput[],
  contacts: AsyncIterable<PstContactInput>,
  options: PstWriteOptions = {},
): Promise<PstWriteResult> {
  checkFolders(folders);
  const { signal } = options;
  if (signal?.aborted) throw abortError();
  const now = new Date();
  const providerUid = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
  // 0600 for a new file: a contact export is as private as the backup (the export job removes any
  // stale file first, since an existing file keeps its mode).
  const handle = options.output ?? (await open(path, 'w', 0o600));
  try {
    const sink = new FileSink(handle);
    const blocks = new BlockStore(sink);
    const nbt = new NodeIndex();
    const writeNode = (nid: number, nidParent: number, content: NodeContent) => {
      const refs = blocks.writeNode(content);
      nbt.add(nid, nidParent, refs.bidData, refs.bidSub);
    };

    // Fixed NIDs: subtree 0x8022, search root 0x8042, Deleted Items 0x8062, then user folders (pst.md §2).
    const subtreeNid = makeNid(nidTypeFolder, 0x401);
    const finderNid = makeNid(nidTypeFolder, 0x402);
    const wastebasketNid = makeNid(nidTypeFolder, 0x403);
    writeNode(
      nidMessageStore,
      0,
      buildStore(providerUid, options.storeName ?? 'Personal Folders', {
        subtree: subtreeNid,
        wastebasket: wastebasketNid,
        finder: finderNid,
      }),
    );
    writeNode(nidNameToIdMap, 0, buildPropertyContext(nameToIdMapValues()));
    writeNode(nidHierarchyTemplate, 0, buildTableContext(hierarchyColumns, []));
    writeNode(nidContentsTemplate, 0, buildTableContext(contentsColumns, []));
    writeNode(nidFaiTemplate, 0, buildTableContext(faiColumns, []));
    writeNode(nidSearchContentsTemplate, 0, buildTableContext(contentsColumns, []));
    writeNode(nidAttachmentTemplate, 0, buildTableContext(attachmentColumns, []));
    writeNode(nidRecipientTemplate, 0, buildTableContext(recipientColumns, []));

    const systemFolder = (
      nid: number,
      parentNid: number,
      name: string,
      containerClass?: string,
    ): FolderNode => ({
      nid,
      parentNid,
      name,
      containerClass,
      childNids: [],
      contentCount: 0,
    });
    const root = systemFolder(nidRootFolder, nidRootFolder, '');
    const subtree = systemFolder(subtreeNid, nidRootFolder, 'Top of Personal Folders');
    const finder = systemFolder(finderNid, nidRootFolder, 'Search Root');
    const wastebasket = systemFolder(wastebasketNid, subtreeNid, 'Deleted Items', 'IPF.Note');
    root.childNids.push(subtreeNid, finderNid);
    subtree.childNids.push(wastebasketNid);
    const byNid = new Map<number, FolderNode>([root, subtree, finder, wastebasket].map((f) => [f.nid, f]));

    const userFolders = new Map<string, UserFolder>();
    folders.forEach((input, index) => {
      const contents = new StreamingTableContext(contentsColumns, blocks);
      const folder: UserFolder = {
        nid: makeNid(nidTypeFolder, 0x404 + index),
        parentNid: 0,
        name: input.name,
        containerClass: 'IPF.Contact',
        childNids: [],
        contents,
        get contentCount() {
          return contents.rowCount;
        },
      };
      userFolders.set(input.id, folder);
      byNid.set(folder.nid, folder);
    });
    for (const input of folders) {
      const folder = userFolders.get(input.id) as UserFolder;
      const parent = input.parentId === undefined ? subtree : (userFolders.get(input.parentId) as UserFolder);
      (folder as { parentNid: number }).parentNid = parent.nid;
      parent.childNids.push(folder.nid);
    }

    let count = 0;
    const nextSearchKey = searchKeys();
    const folderNames = new Map(folders.map((folder) => [folder.id, folder.name]));
    for await (const item of contacts) {
      if (signal?.aborted) throw abortError();
      const folder = userFolders.get(item.folderId);
      if (!folder) throw new Error(`Contact refers to unknown PST folder ${item.folderId}`);
      const nid = makeNid(nidTypeMessage, 0x10001 + count);
      const categories = [
        ...new Set(
          [item.folderId, ...item.contact.folderIds]
            .map((id) => folderNames.get(id))
            .filter((name): name is string => Boolean(name)),
        ),
      ];
      const message = buildContactMessage(item.contact, categories, item.photo, now, nextSearchKey());
      writeNode(nid, folder.nid, message.content);
      folder.contents.addRow({ rowId: nid, values: contentsRowValues(message.summary, now) });
      count += 1;
      options.onProgress?.(count);
      await sink.flushIfNeeded();
    }
    if (signal?.aborted) throw abortError();

    const userByNid = new Map([...userFolders.values()].map((folder) => [folder.nid, folder]));
    for (const folder of byNid.values()) {
      const nodes = buildFolder(folder, (nid) => byNid.get(nid) as FolderNode);
      const nids = tableNids(folder.nid);
      writeNode(folder.nid, folder.parentNid, nodes.pc);
      writeNode(nids.hierarchy, 0, nodes.hierarchy);
      const user = userByNid.get(folder.nid);
      if (user) {
        const refs = user.contents.finish();
        nbt.add(nids.contents, 0, refs.bidData, refs.bidSub);
      } else writeNode(nids.contents, 0, buildTableContext(contentsColumns, []));
      writeNode(nids.fai, 0, nodes.fai);
      await sink.flushIfNeeded();
    }

    const order = nbt.sortedOrder();
    const pages = new PageIds();
    const nbtRoot = await writeNbt(sink, pages, order.length, (index) => nbt.entryAt(order[index]));
    const bbtRoot = await writeBbt(sink, pages, blocks.count, (index) => blocks.entryAt(index));
    const fileEof = sink.padToIntervalEnd();
    const intervals = sink.intervals;
    await sink.flush();
    const maps = await writeMaps(sink, intervals, () => pages.take());
    const header = buildHeader({
      bidNextP: pages.bidNext,
      bidNextB: blocks.bidNext,
      lastNidIndex: new Map([
        [nidTypeFolder, 0x403 + folders.length],
        [nidTypeMessage, 0x10000 + count],
      ]),
      fileEof,
      lastAMap: maps.lastAMap,
      amapFree: maps.freeBytes,
      nbt: nbtRoot,
      bbt: bbtRoot,
      headerFreeMap: maps.headerFreeMap,
    });
    await sink.writeAt(0, header);
    return { folders: folders.length, contacts: count, bytes: fileEof };
  } finally {
    await handle.close();
  }
}
