/**
 * Property context ([MS-PST] §2.3.3): a heap whose user root is a BTH keyed by property ID (cbKey 2)
 * with 6-byte records {wPropType, dwValueHnid}. Values over 3580 bytes go to subnodes.
 */
import { chunkRaw, type NodeContent, type SubnodeContent } from './blocks';
import { recordsPerLeaf, reserveBthHeader, writeBth } from './bth';
import { clientSigPc, HeapBuilder, maxHeapItem } from './heap';
import { isInlineType, type PropValue } from './property-values';

/** NID_TYPE_LTP (0x1F) subnode ids for values and row matrices inside one node. */
export class SubnodeIds {
  private next = 1;
  take(): number {
    return ((this.next++ << 5) | 0x1f) >>> 0;
  }
}

/** Stores a variable-size value: a heap allocation when it fits, else a subnode; returns the HNID. */
export function storeValue(
  heap: HeapBuilder,
  data: Buffer,
  subnodes: SubnodeContent[],
  ids: SubnodeIds,
): number {
  if (data.length <= maxHeapItem) return heap.allocate(data);
  const nid = ids.take();
  subnodes.push({ nid, content: { blocks: chunkRaw(data), subnodes: [] } });
  return nid;
}

/** A PC plus where each inline value landed, so a value can be patched after the build. */
export interface BuiltPropertyContext extends NodeContent {
  /** Replaces the 4 inline bytes of an inline-typed property (e.g. PidTagMessageSize). */
  patchInline(id: number, value: Buffer): void;
}

/** Builds a PC node from property values (any order; duplicates by ID are a caller bug). */
export function buildPropertyContext(
  values: readonly PropValue[],
  extraSubnodes: readonly SubnodeContent[] = [],
): BuiltPropertyContext {
  const heap = new HeapBuilder(clientSigPc);
  const headerHid = reserveBthHeader(heap);
  heap.setUserRoot(headerHid);
  const subnodes: SubnodeContent[] = [];
  const ids = new SubnodeIds();
  const sorted = [...values].sort((a, b) => a.id - b.id);
  const records = sorted.map((value, index) => {
    if (index > 0 && sorted[index - 1].id === value.id)
      throw new Error(`internal: duplicate property 0x${value.id.toString(16)}`);
    const record = Buffer.alloc(8);
    record.writeUInt16LE(value.id, 0);
    record.writeUInt16LE(value.type, 2);
    if (isInlineType(value.type)) value.data.copy(record, 4);
    else record.writeUInt32LE(storeValue(heap, value.data, subnodes, ids), 4);
    return record;
  });
  const leaves = writeBth(heap, headerHid, 2, 6, Buffer.concat(records));
  const blocks = heap.build();
  return {
    blocks,
    subnodes: [...subnodes, ...extraSubnodes],
    patchInline(id: number, value: Buffer) {
      const index = sorted.findIndex((item) => item.id === id);
      if (index < 0 || !isInlineType(sorted[index].type))
        throw new Error('internal: no inline property to patch');
      const perLeaf = recordsPerLeaf(8);
      const location = heap.locate(leaves[Math.floor(index / perLeaf)]);
      value.copy(blocks[location.block], location.offset + (index % perLeaf) * 8 + 4, 0, 4);
    },
  };
}
