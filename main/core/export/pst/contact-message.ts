/**
 * One IPM.Contact message node ([MS-PST] §2.4.5): its PC, an empty recipient table (outlook-pst-rs
 * requires one, pst.md §7.4) and, with a photo, the attachment table plus the attachment object
 * carrying PidTagAttachmentContactPhoto ([MS-OXOCNTC] §2.2.1.8).
 */
import { bestDisplayName, type Contact } from '../../contacts/model';
import type { PhotoBytes } from '../../contacts/model';
import { contentSize, type NodeContent, type SubnodeContent } from './blocks';
import { contactProperties } from './contact-properties';
import { makeNid, nidAttachmentTemplate, nidRecipientTemplate, nidTypeAttachment } from './nids';
import { buildPropertyContext } from './property-context';
import {
  binaryValue,
  booleanValue,
  int32Value,
  stringValue,
  timeValue,
  type PropValue,
} from './property-values';
import { attachmentColumns, recipientColumns } from './table-templates';
import { buildTableContext } from './table-context';

const messageFlagRead = 0x01;
const messageFlagHasAttach = 0x10;
const photoAttachmentNid = makeNid(nidTypeAttachment, 0x400);

/** What the folder's contents-table row needs to repeat the message's values (pst.md §7.3). */
export interface MessageSummary {
  readonly displayName: string;
  readonly flags: number;
  readonly size: number;
}

export interface ContactMessage {
  readonly content: NodeContent;
  readonly summary: MessageSummary;
}

/**
 * The values a contents-table row shares with its message. Built by one function for both, so the row
 * holds exactly the message's bytes (scanpst: "row doesn't match sub-object", pst.md §7.3).
 */
export function contentsRowValues(summary: MessageSummary, now: Date): PropValue[] {
  const fixed = fixedRowValues(now);
  const subject = stringValue(0x0037, summary.displayName); // PidTagSubject
  return [
    ...fixed,
    subject,
    { id: 0x0070, type: subject.type, data: subject.data }, // PidTagConversationTopic
    int32Value(0x0e07, summary.flags),
    int32Value(0x0e08, summary.size),
  ];
}

let fixedCache: { time: number; values: PropValue[] } | undefined;

/** Values equal in every row of one export, built once (100,000 rows must not mean 100,000 copies). */
function fixedRowValues(now: Date): PropValue[] {
  if (fixedCache?.time !== now.getTime()) {
    fixedCache = {
      time: now.getTime(),
      values: [
        int32Value(0x0017, 1), // PidTagImportance: normal
        stringValue(0x001a, 'IPM.Contact'),
        int32Value(0x0036, 0), // PidTagSensitivity
        timeValue(0x0e06, now),
        timeValue(0x3008, now),
      ],
    };
  }
  return fixedCache.values;
}

let recipientTable: NodeContent | undefined;

/** The empty recipient table every contact carries; identical bytes each time, so built once. */
function emptyRecipientTable(): NodeContent {
  recipientTable ??= buildTableContext(recipientColumns, []);
  return recipientTable;
}

function extensionOf(mediaType: string): string {
  if (mediaType === 'image/png') return '.png';
  if (mediaType === 'image/gif') return '.gif';
  if (mediaType === 'image/bmp') return '.bmp';
  return '.jpg';
}

function photoSubnodes(photo: PhotoBytes): SubnodeContent[] {
  // Outlook names the contact picture "ContactPicture.jpg" whatever its format.
  const fileName = 'ContactPicture' + extensionOf(photo.mediaType);
  const tableValues = [
    int32Value(0x0e20, photo.bytes.length), // PidTagAttachSize
    stringValue(0x3704, fileName),
    int32Value(0x3705, 1), // PidTagAttachMethod = afByValue
    int32Value(0x370b, -1), // PidTagRenderingPosition: not rendered
  ];
  const attachment = buildPropertyContext([
    ...tableValues,
    int32Value(0x0ffe, 7), // PidTagObjectType = MAPI_ATTACH
    binaryValue(0x3701, photo.bytes),
    stringValue(0x3703, extensionOf(photo.mediaType)),
    stringValue(0x3707, fileName),
    stringValue(0x370e, photo.mediaType),
    booleanValue(0x7fff, true), // PidTagAttachmentContactPhoto
  ]);
  return [
    {
      nid: nidAttachmentTemplate,
      content: buildTableContext(attachmentColumns, [{ rowId: photoAttachmentNid, values: tableValues }]),
    },
    { nid: photoAttachmentNid, content: attachment },
  ];
}

/** Builds the message node; PidTagMessageSize is the total payload of the node and its subnodes. */
export function buildContactMessage(
  contact: Contact,
  categories: readonly string[],
  photo: PhotoBytes | undefined,
  now: Date,
  searchKey: Buffer,
): ContactMessage {
  const subnodes: SubnodeContent[] = [{ nid: nidRecipientTemplate, content: emptyRecipientTable() }];
  if (photo) subnodes.push(...photoSubnodes(photo));
  const displayName = bestDisplayName(contact);
  const flags = messageFlagRead | (photo ? messageFlagHasAttach : 0);
  const values = [
    timeValue(0x3007, now),
    binaryValue(0x300b, searchKey),
    int32Value(0x3fde, 65001), // PidTagInternetCodepage (pst.md §7.4)
    ...contactProperties(contact, categories, photo !== undefined),
  ];
  // The size sits inline in the PC it measures, so a build with 0 gives the final layout and only the
  // 4 inline bytes change (pst.md §7.4); one build instead of two halves the garbage per message.
  const content = buildPropertyContext(
    [...values, ...contentsRowValues({ displayName, flags, size: 0 }, now)],
    subnodes,
  );
  const summary = { displayName, flags, size: contentSize(content) };
  content.patchInline(0x0e08, int32Value(0x0e08, summary.size).data);
  return { content, summary };
}
