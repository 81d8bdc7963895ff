/**
 * The message store PC (NID 0x21, [MS-PST] §2.4.3) and the folder nodes ([MS-PST] §2.4.4): a PC plus
 * hierarchy, contents and FAI contents tables whose rows agree with the children's own properties
 * and with their NBT nidParent (pst.md §3.2, §7.3).
 */
import type { NodeContent } from './blocks';
import { buildPropertyContext } from './property-context';
import { binaryValue, booleanValue, int32Value, stringValue, type PropValue } from './property-values';
import { buildTableContext } from './table-context';
import { faiColumns, hierarchyColumns } from './table-templates';

export interface FolderNode {
  readonly nid: number;
  readonly parentNid: number;
  readonly name: string;
  readonly containerClass?: string;
  readonly childNids: number[];
  readonly contentCount: number;
}

/** EntryID of a folder: 4 zero flag bytes, the store's provider UID, the NID (pst.md §7.2). */
export function entryId(providerUid: Buffer, nid: number): Buffer {
  const id = Buffer.alloc(24);
  providerUid.copy(id, 4);
  id.writeUInt32LE(nid, 20);
  return id;
}

export interface StoreIds {
  readonly subtree: number;
  readonly wastebasket: number;
  readonly finder: number;
}

/** The store PC. PidTagValidFolderMask sets only the bits of folders that exist (pst.md §7.2). */
export function buildStore(providerUid: Buffer, displayName: string, ids: StoreIds): NodeContent {
  return buildPropertyContext([
    binaryValue(0x0ff9, providerUid), // PidTagRecordKey = provider UID
    stringValue(0x3001, displayName),
    int32Value(0x35df, 0x01 | 0x08 | 0x80), // subtree, wastebasket, finder
    binaryValue(0x35e0, entryId(providerUid, ids.subtree)),
    binaryValue(0x35e3, entryId(providerUid, ids.wastebasket)),
    binaryValue(0x35e7, entryId(providerUid, ids.finder)),
    int32Value(0x67ff, 0), // PidTagPstPassword: none
  ]);
}

/** The properties a folder's PC and its row in the parent's hierarchy table share. */
export function folderValues(folder: FolderNode): PropValue[] {
  const values = [
    stringValue(0x3001, folder.name),
    int32Value(0x3602, folder.contentCount), // PidTagContentCount (pst-extractor reads only this many)
    int32Value(0x3603, 0),
    booleanValue(0x360a, folder.childNids.length > 0), // PidTagSubfolders
  ];
  if (folder.containerClass) values.push(stringValue(0x3613, folder.containerClass));
  return values;
}

/** A folder's nodes but the contents table, which the writer streams as messages arrive. */
export interface FolderNodes {
  readonly pc: NodeContent;
  readonly hierarchy: NodeContent;
  readonly fai: NodeContent;
}

/** Builds a folder's PC, hierarchy and FAI nodes; `children` resolves child NIDs to their folders. */
export function buildFolder(folder: FolderNode, children: (nid: number) => FolderNode): FolderNodes {
  const hierarchyRows = folder.childNids.map((nid) => ({ rowId: nid, values: folderValues(children(nid)) }));
  return {
    pc: buildPropertyContext(folderValues(folder)),
    hierarchy: buildTableContext(hierarchyColumns, hierarchyRows),
    fai: buildTableContext(faiColumns, []),
  };
}
