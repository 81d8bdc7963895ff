/** NID types and the special NIDs of a PST ([MS-PST] §2.2.2.1, §2.4.1). */
export const nidTypeInternal = 0x01;
export const nidTypeFolder = 0x02;
export const nidTypeMessage = 0x04;
export const nidTypeAttachment = 0x05;

export const nidMessageStore = 0x21;
export const nidNameToIdMap = 0x61;
export const nidRootFolder = 0x122;
export const nidHierarchyTemplate = 0x60d;
export const nidContentsTemplate = 0x60e;
export const nidFaiTemplate = 0x60f;
export const nidSearchContentsTemplate = 0x610;
export const nidAttachmentTemplate = 0x671;
export const nidRecipientTemplate = 0x692;
export const nidSearchManagementQueue = 0x1e1;
export const nidSearchActivityList = 0x201;

/** NID from a type and index: nidType in the low 5 bits (§2.2.2.1). */
export function makeNid(type: number, index: number): number {
  return ((index << 5) | type) >>> 0;
}

/** A folder's hierarchy, contents and FAI tables share its index (§2.4.4: NID types 0x0D, 0x0E, 0x0F). */
export function tableNids(folderNid: number): { hierarchy: number; contents: number; fai: number } {
  const index = folderNid >>> 5;
  return { hierarchy: makeNid(0x0d, index), contents: makeNid(0x0e, index), fai: makeNid(0x0f, index) };
}
