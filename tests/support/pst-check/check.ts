/**
 * Strict structural checker for Unicode PST files, written from [MS-PST] independently of the writer.
 * The open readers ignore CRCs, signatures and allocation maps (pst.md §3.4), so tests run this on
 * every file they write. It returns problems instead of throwing; an empty list means the file passed.
 *
 * Known deviations of Outlook's own files (dist-list.pst, passworded.pst), reported as warnings:
 * slots marked allocated in the AMap but referenced by nothing (leaked space, pst.md §5.1), a missing
 * DList page (passworded.pst), and PidTagMessageSize values that are not the node's payload size.
 */
import { readFile } from 'node:fs/promises';
import { NdbChecker, type NodeEntry, type Problem } from './check-ndb';
import { LtpReader, type CellValue, type TableData } from './check-ltp';
import { pstCrc } from '../../../main/core/export/pst/crc';

export type { Problem } from './check-ndb';

const hex = (value: number) => '0x' + value.toString(16);
const pcTypes = new Set([0x02, 0x04, 0x05]);
const tcTypes = new Set([0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12]);

/** Checks the PST at `path`; see the module comment for what is checked. */
export async function checkPst(path: string): Promise<Problem[]> {
  return checkPstBytes(await readFile(path));
}

/** Same as checkPst for bytes already in memory. */
export function checkPstBytes(file: Buffer): Problem[] {
  const ndb = new NdbChecker(file);
  try {
    runChecks(ndb);
  } catch (error) {
    ndb.error('file', `unreadable structure: ${(error as Error).message}`);
  }
  return ndb.problems;
}

function runChecks(ndb: NdbChecker): void {
  if (!ndb.run()) return;
  const ltp = new LtpReader(ndb);
  const pcs = new Map<number, Map<number, CellValue>>();
  const tables = new Map<number, TableData>();
  const sizes = new Map<number, number>();

  for (const node of ndb.nodes.values()) {
    const type = node.nid & 0x1f;
    const isPc = pcTypes.has(type) || node.nid === 0x21 || node.nid === 0x61;
    if (!isPc && !tcTypes.has(type)) continue;
    const where = `node ${hex(node.nid)}`;
    if (node.bidData === 0) continue;
    const blocks = ltp.dataBlocks(node.bidData, where);
    if (!blocks) continue;
    if (type === 0x10 && blocks[0]?.[3] !== 0x7c) {
      ndb.warn(where, 'search contents table is not a TC; not checked');
      continue;
    }
    const subs = ltp.subnodes(node.bidSub, where);
    if (isPc) {
      const values = ltp.propertyContext(blocks, subs, where);
      if (values) pcs.set(node.nid, values);
    } else {
      const table = ltp.tableContext(blocks, subs, where);
      if (table) tables.set(node.nid, table);
    }
    if (type === 0x04) {
      sizes.set(node.nid, payloadSize(ltp, blocks, subs, where));
      checkMessageSubnodes(ltp, subs, where);
    }
  }

  checkNameMap(ndb, pcs.get(0x61));
  checkFolders(ndb, pcs, tables, sizes);
}

function payloadSize(
  ltp: LtpReader,
  blocks: Buffer[],
  subs: Map<number, { bidData: number; bidSub: number }>,
  where: string,
): number {
  let size = blocks.reduce((sum, block) => sum + block.length, 0);
  for (const sub of subs.values()) {
    size += payloadSize(
      ltp,
      ltp.dataBlocks(sub.bidData, where) ?? [],
      ltp.subnodes(sub.bidSub, where),
      where,
    );
  }
  return size;
}

/** Attachment tables and objects inside a message (§2.4.6): every row must have its attachment subnode. */
function checkMessageSubnodes(
  ltp: LtpReader,
  subs: Map<number, { bidData: number; bidSub: number }>,
  where: string,
): void {
  for (const [nid, sub] of subs) {
    const type = nid & 0x1f;
    const blocks = ltp.dataBlocks(sub.bidData, `${where}/${hex(nid)}`);
    if (!blocks) continue;
    const inner = ltp.subnodes(sub.bidSub, `${where}/${hex(nid)}`);
    if (type === 0x11 || type === 0x12) {
      const table = ltp.tableContext(blocks, inner, `${where}/${hex(nid)}`);
      if (table && type === 0x11) {
        for (const row of table.rows) {
          if (!subs.has(row.rowId))
            ltp['ndb'].error(where, `attachment row ${hex(row.rowId)} has no attachment subnode`);
        }
      }
    } else if (type === 0x05) {
      ltp.propertyContext(blocks, inner, `${where}/${hex(nid)}`);
    }
  }
}

function checkNameMap(ndb: NdbChecker, values: Map<number, CellValue> | undefined): void {
  if (!values) return;
  const buckets = values.get(0x0001)?.data.readUInt32LE(0) ?? 0;
  if (buckets !== 251) ndb.warn('name map', `bucket count ${buckets}, expected 251`);
  for (const id of [0x0002, 0x0003, 0x0004]) {
    if (!values.get(id)?.data.length)
      ndb.error('name map', `stream ${hex(id)} missing or empty (pst-extractor fails)`);
  }
  const entries = values.get(0x0003)?.data ?? Buffer.alloc(0);
  const strings = values.get(0x0004)?.data ?? Buffer.alloc(0);
  for (let offset = 0; offset + 8 <= entries.length; offset += 8) {
    const key = entries.readUInt32LE(offset);
    const guid = entries.readUInt16LE(offset + 4);
    let hash = (key ^ guid) >>> 0;
    const expected = Buffer.from(entries.subarray(offset, offset + 8));
    if (guid & 1) {
      if (key + 4 > strings.length || key + 4 + strings.readUInt32LE(key) > strings.length) {
        ndb.error('name map', `entry ${offset / 8} points outside the string stream`);
        continue;
      }
      const crc = pstCrc(strings, key + 4, key + 4 + strings.readUInt32LE(key));
      hash = (crc ^ guid) >>> 0;
      expected.writeUInt32LE(crc, 0); // bucket copies of string names hold the name's CRC (§2.4.7.5)
    }
    const bucket = values.get(0x1000 + (hash % buckets))?.data;
    let found = false;
    for (let at = 0; bucket && at + 8 <= bucket.length; at += 8) {
      if (bucket.subarray(at, at + 8).equals(expected)) found = true;
    }
    if (!found) ndb.error('name map', `entry ${offset / 8} is not in its hash bucket`);
  }
}

function int32(values: Map<number, CellValue> | undefined, id: number): number | undefined {
  const value = values?.get(id);
  return value ? value.data.readInt32LE(0) : undefined;
}

function checkFolders(
  ndb: NdbChecker,
  pcs: Map<number, Map<number, CellValue>>,
  tables: Map<number, TableData>,
  sizes: Map<number, number>,
): void {
  const children = new Map<number, NodeEntry[]>();
  for (const node of ndb.nodes.values()) {
    if (node.nid === node.nidParent) continue;
    children.set(node.nidParent, [...(children.get(node.nidParent) ?? []), node]);
  }
  for (const node of ndb.nodes.values()) {
    if ((node.nid & 0x1f) !== 0x02) continue;
    const where = `folder ${hex(node.nid)}`;
    const pc = pcs.get(node.nid);
    if (!pc) continue;
    if (node.nid !== 0x122 && !ndb.nodes.has(node.nidParent)) ndb.error(where, 'nidParent does not exist');
    const index = node.nid >>> 5;
    const hierarchy = tables.get(((index << 5) | 0x0d) >>> 0);
    const contents = tables.get(((index << 5) | 0x0e) >>> 0);
    if (!hierarchy || !contents || !ndb.nodes.has(((index << 5) | 0x0f) >>> 0)) {
      ndb.error(where, 'hierarchy, contents or FAI contents table missing');
      continue;
    }
    const kids = children.get(node.nid) ?? [];
    const folderKids = kids.filter((kid) => (kid.nid & 0x1f) === 0x02 || (kid.nid & 0x1f) === 0x03);
    const messageKids = kids.filter((kid) => (kid.nid & 0x1f) === 0x04);
    const count = int32(pc, 0x3602);
    if (count !== contents.rows.length)
      ndb.error(where, `PidTagContentCount ${count} but ${contents.rows.length} contents rows`);
    if (messageKids.length !== contents.rows.length) {
      ndb.error(
        where,
        `${messageKids.length} messages have it as nidParent, ${contents.rows.length} contents rows`,
      );
    }
    const subfolders = pc.get(0x360a)?.data[0] === 1;
    if (subfolders !== hierarchy.rows.length > 0)
      ndb.error(where, `PidTagSubfolders ${subfolders} but ${hierarchy.rows.length} hierarchy rows`);
    const hierarchyIds = new Set(hierarchy.rows.map((row) => row.rowId));
    for (const kid of folderKids) {
      if (!hierarchyIds.has(kid.nid))
        ndb.error(where, `child folder ${hex(kid.nid)} missing from the hierarchy table`);
    }
    for (const row of hierarchy.rows) {
      const child = ndb.nodes.get(row.rowId);
      if (!child || child.nidParent !== node.nid)
        ndb.error(where, `hierarchy row ${hex(row.rowId)} is not a child folder`);
      compareRow(ndb, `${where} hierarchy row ${hex(row.rowId)}`, row.cells, pcs.get(row.rowId));
    }
    for (const row of contents.rows) {
      const message = ndb.nodes.get(row.rowId);
      if (!message || message.nidParent !== node.nid)
        ndb.error(where, `contents row ${hex(row.rowId)} is not a message of this folder`);
      const messagePc = pcs.get(row.rowId);
      compareRow(ndb, `${where} contents row ${hex(row.rowId)}`, row.cells, messagePc);
      const declared = int32(messagePc, 0x0e08);
      const actual = sizes.get(row.rowId);
      if (declared !== undefined && actual !== undefined && declared !== actual) {
        ndb.warn(`message ${hex(row.rowId)}`, `PidTagMessageSize ${declared}, payload ${actual}`);
      }
    }
  }
}

/** Every cell must hold the object's own value (scanpst: "row doesn't match sub-object", pst.md §7.3). */
function compareRow(
  ndb: NdbChecker,
  where: string,
  cells: Map<number, CellValue>,
  object: Map<number, CellValue> | undefined,
): void {
  if (!object) return;
  for (const [id, cell] of cells) {
    if (id === 0x67f2 || id === 0x67f3) continue;
    const own = object.get(id);
    if (!own) {
      // Outlook fills replication columns (0x0E30, 0x0E33, 0x0E34…) its folder PCs lack: a warning.
      ndb.warn(where, `cell ${hex(id)} has no counterpart on the object`);
      continue;
    }
    const width = cell.data.length;
    if (
      !own.data.subarray(0, width).equals(cell.data) ||
      (own.type & 0x1000 ? false : own.data.length > 4 && own.data.length !== width)
    ) {
      ndb.error(where, `cell ${hex(id)} differs from the object's value`);
    }
  }
}

/** One line per problem, for test failure messages and logs. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.severity}: ${problem.where}: ${problem.message}`).join('\n');
}
