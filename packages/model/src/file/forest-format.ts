import { ModelFileError } from "../errors.js";
import { nodeLayout, type PackedForest, rightOf, splitWord } from "../forest/packed.js";
import { decodeBase64, decodedLength } from "./packed-streams.js";

/** A stored forest (model format 2): the packed trees as streams of small integers, base64 in the JSON. */
export interface StoredForest {
  /** Nodes per tree; the trees follow each other in the node streams. */
  node_counts: string;
  /** Per node in depth-first preorder (left subtree first): its split feature, or 65535 for a leaf. Uint16. */
  split_features: string;
  /** Per split node: its threshold's index in its feature's `cuts`. Uint8 when every feature has ≤ 256 cuts, else Uint16. */
  split_codes: string;
  code_bytes: 1 | 2;
  /** Per feature: the thresholds its splits use, ascending. Float64. */
  cuts: string[];
  /** The distinct leaf values (P(positive)). Float64. */
  leaf_values: string;
  /** Per leaf: its value's index in `leaf_values`. Uint16 when there are ≤ 65,536 distinct values, else Uint32. */
  leaf_index: string;
  index_bytes: 2 | 4;
  /**
   * In-bag draws reaching each tree's root. Int32. With `left_covers`, what explanations weigh the
   * branches a row does not take by; both absent in files written before pipe kept them.
   */
  root_covers?: string;
  /** Per split node: the in-bag draws reaching its left child (the right child has the rest). Unsigned LEB128 varints. */
  left_covers?: string;
}

/** A stored forest as read: a stream is its base64 text, or that text's bytes in the file (see separateStreams). */
export type ReadForest = { [K in keyof StoredForest]: StoredForest[K] extends string | undefined ? StoredForest[K] | Uint8Array : StoredForest[K] };

const LEAF = 0xffff;

/**
 * The packed forest as stored. A node needs no child pointers: in preorder the left child follows its
 * parent and the right child follows the left subtree, which the reader finds again. Fully grown
 * trees repeat few leaf values (mostly 0 and 1), so leaves store an index. Adult's 100 trees: 21 MB
 * as format 1's five typed arrays a tree, 2.6 MB here.
 */
export function encodeForest(p: PackedForest): StoredForest {
  const { nodes, values, roots, cuts } = p;
  const { featShift, codeShift, codeMask } = p.layout;
  const total = nodes.length;
  const counts = new Int32Array(roots.length);
  for (let t = 0; t < roots.length; t++) counts[t] = (t + 1 < roots.length ? (roots[t + 1] as number) : total) - (roots[t] as number);
  const features = new Uint16Array(total);
  const codeBytes = cuts.every((c) => c.length <= 256) ? 1 : 2;
  const splits = nodes.reduce((n, w) => (w >= 0 ? n + 1 : n), 0);
  const codes = codeBytes === 1 ? new Uint8Array(splits) : new Uint16Array(splits);
  const distinct = new Map<number | string, number>();
  const leafValue: number[] = [];
  const leafIndex: number[] = [];
  let s = 0;
  for (let i = 0; i < total; i++) {
    const w = nodes[i] as number;
    if (w >= 0) {
      features[i] = w >>> featShift;
      codes[s++] = (w >>> codeShift) & codeMask;
    } else {
      features[i] = LEAF;
      const v = values[~w] as number;
      // A Map takes -0 for 0: kept apart, so every value reads back as it was.
      const key = Object.is(v, -0) ? "-0" : v;
      let k = distinct.get(key);
      if (k === undefined) {
        k = leafValue.length;
        distinct.set(key, k);
        leafValue.push(v);
      }
      leafIndex.push(k);
    }
  }
  const indexBytes = leafValue.length <= 0x10000 ? 2 : 4;
  const stored: StoredForest = {
    node_counts: base64(counts),
    split_features: base64(features),
    split_codes: base64(codes),
    code_bytes: codeBytes,
    cuts: cuts.map(base64),
    leaf_values: base64(Float64Array.from(leafValue)),
    leaf_index: base64(indexBytes === 2 ? Uint16Array.from(leafIndex) : Uint32Array.from(leafIndex)),
    index_bytes: indexBytes,
  };
  if (p.covers) {
    const covers = p.covers;
    stored.root_covers = base64(Int32Array.from(roots, (r) => covers[r] as number));
    // Deep nodes hold a few rows each: one byte for most of them.
    const bytes: number[] = [];
    for (let i = 0; i < total; i++) if ((nodes[i] as number) >= 0) varint(bytes, covers[i + 1] as number);
    stored.left_covers = Buffer.from(bytes).toString("base64");
  }
  return stored;
}

function varint(out: number[], v: number): void {
  let x = v;
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  out.push(x);
}

/** Each node's cover from the roots' and the left children's varints (see StoredForest.left_covers); checked as read. */
function decodeCovers(p: PackedForest, rootCovers: Int32Array, bytes: Uint8Array): Int32Array {
  const { nodes, roots } = p;
  if (rootCovers.length !== roots.length) damaged("root_covers");
  const covers = new Int32Array(nodes.length).fill(-1);
  for (let t = 0; t < roots.length; t++) covers[roots[t] as number] = rootCovers[t] as number;
  let at = 0;
  for (let i = 0; i < nodes.length; i++) {
    const w = nodes[i] as number;
    const c = covers[i] as number;
    if (c < 0) damaged("covers");
    if (w < 0) continue;
    let left = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length || shift > 28) damaged("left_covers");
      const b = bytes[at++] as number;
      left += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (left > c) damaged("left_covers");
    covers[i + 1] = left;
    covers[rightOf(p, i, w)] = c - left;
  }
  if (at !== bytes.length) damaged("left_covers");
  return covers;
}

/**
 * The packed forest from its stored streams, each checked: a damaged or hand-made file fails here
 * with what is wrong rather than walking out of its arrays later.
 */
export function decodeForest(stored: ReadForest, nFeatures: number, trees: number): PackedForest {
  const counts = typed(stored.node_counts, Int32Array, "node_counts");
  // The split features (two bytes a node) are decoded into the upper half of the nodes' own memory
  // (four bytes a node): no array of their own. Node i's word is written after feature i is read,
  // and it covers features 2i − total and 2i − total + 1, both ≤ i, so no feature is overwritten
  // before it is read — a split's feature is kept in its word until its right child is found.
  const total = featureCount(stored.split_features);
  const nodes = new Int32Array(total);
  const features = new Uint16Array(nodes.buffer, 2 * total, total);
  decodeStream(stored.split_features, new Uint8Array(nodes.buffer, 2 * total, 2 * total), "split_features");
  // Read at their stored widths: widened copies would add a third of the nodes' own size to the load's peak.
  const codes: Uint8Array | Uint16Array =
    stored.code_bytes === 1 ? typed(stored.split_codes, Uint8Array, "split_codes") : typed(stored.split_codes, Uint16Array, "split_codes");
  const values = typed(stored.leaf_values, Float64Array, "leaf_values");
  const leafIndex: Uint16Array | Uint32Array =
    stored.index_bytes === 2 ? typed(stored.leaf_index, Uint16Array, "leaf_index") : typed(stored.leaf_index, Uint32Array, "leaf_index");
  if (!Array.isArray(stored.cuts) || stored.cuts.length !== nFeatures) damaged(`cuts for ${nFeatures} features`);
  const cuts = stored.cuts.map((c, f) => typed(c, Float64Array, `cuts of feature ${f}`));
  if (counts.length !== trees) damaged(`node counts for ${trees} trees`);
  const cutCounts = Int32Array.from(cuts, (c) => c.length);
  const layout = nodeLayout(nFeatures, cuts);
  const far = new Map<number, number>();
  const roots = new Int32Array(trees);
  // Split nodes still waiting for their right child, as a stack: no deeper than the largest tree.
  const waiting = new Int32Array(
    Math.min(
      total,
      counts.reduce((m, c) => Math.max(m, c), 0),
    ),
  );
  let at = 0;
  let split = 0;
  let leaf = 0;
  for (let t = 0; t < trees; t++) {
    const count = counts[t] as number;
    if (count < 1 || at + count > total) damaged(`tree ${t}'s node count`);
    roots[t] = at;
    let depth = 0;
    let afterLeaf = false;
    const end = at + count;
    for (let i = at; i < end; i++) {
      // After a leaf comes the right child of the nearest split still waiting for one.
      if (afterLeaf) {
        if (depth === 0) damaged(`tree ${t}'s shape`);
        const parent = waiting[--depth] as number;
        const kept = nodes[parent] as number;
        nodes[parent] = splitWord(layout, kept >>> 16, kept & 0xffff, parent, i, far);
      }
      const f = features[i] as number;
      afterLeaf = f === LEAF;
      if (afterLeaf) {
        if (leaf >= leafIndex.length) damaged("leaf index");
        const k = leafIndex[leaf] as number;
        if (k >= values.length) damaged("leaf index");
        // The leaf names its value in the distinct values directly (the packed layout allows any index).
        nodes[i] = ~k;
        leaf++;
      } else {
        if (f >= nFeatures || split >= codes.length) damaged(`split ${split}`);
        const code = codes[split] as number;
        if (code >= (cutCounts[f] as number)) damaged(`split ${split}`);
        split++;
        // The feature and code (< 2¹⁵ and < 2¹⁶), until the right child's place makes the word.
        nodes[i] = (f << 16) | code;
        waiting[depth++] = i;
      }
    }
    if (depth !== 0 || !afterLeaf) damaged(`tree ${t}'s shape`);
    at = end;
  }
  if (at !== total || split !== codes.length || leaf !== leafIndex.length) damaged("node streams of unequal lengths");
  const packed: PackedForest = { nodes, values, roots, cuts, layout, far, codes: new Int32Array(nFeatures), covers: undefined };
  if (stored.root_covers !== undefined || stored.left_covers !== undefined) {
    // Only explanations read the covers, and as Int32 they weigh as much as the nodes: the stored
    // varints (a byte or two a split) are kept and decoded the first time they are asked for.
    const roots = typed(stored.root_covers, Int32Array, "root_covers");
    const left = typed(stored.left_covers, Uint8Array, "left_covers");
    let covers: Int32Array | undefined;
    Object.defineProperty(packed, "covers", { enumerable: true, get: () => (covers ??= decodeCovers(packed, roots, left)) });
  }
  return packed;
}

/** The number of split features a stored stream holds (two bytes each). */
function featureCount(text: unknown): number {
  const bytes = text instanceof Uint8Array ? decodedLength(text) : typeof text === "string" ? Buffer.byteLength(text, "base64") : -1;
  if (bytes < 0 || bytes % 2 !== 0) damaged("split_features");
  return bytes / 2;
}

/** A stored stream's bytes decoded into `out`, which must be exactly their length. */
function decodeStream(text: unknown, out: Uint8Array, what: string): void {
  if (text instanceof Uint8Array) {
    if (!decodeBase64(text, out)) damaged(what);
    return;
  }
  if (typeof text !== "string") damaged(what);
  const bytes = Buffer.from(text, "base64");
  if (bytes.length !== out.length) damaged(what);
  out.set(bytes);
}

function damaged(what: string): never {
  throw new ModelFileError(`model file: the forest's ${what} is damaged; train again with \`pipe train\``);
}

type Typed = Int32Array | Uint16Array | Uint8Array | Uint32Array | Float64Array;

function base64(a: Typed): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

function typed<T extends Typed>(
  text: unknown,
  Kind: { new (b: ArrayBuffer, offset?: number, length?: number): T; new (length: number): T; BYTES_PER_ELEMENT: number },
  what: string,
): T {
  const size = Kind.BYTES_PER_ELEMENT;
  if (text instanceof Uint8Array) {
    // The stream's base64 bytes as they stand in the file (see separateStreams): decoded into the array itself.
    const length = decodedLength(text);
    if (length < 0 || length % size !== 0) damaged(what);
    const out = new Kind(length / size);
    if (!decodeBase64(text, new Uint8Array(out.buffer, out.byteOffset, out.byteLength))) damaged(what);
    return out;
  }
  if (typeof text !== "string") damaged(what);
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % size !== 0) damaged(what);
  // A large Buffer has a memory block of its own, used as it is; a small one sits in Buffer's shared
  // pool, maybe unaligned for the type: copied.
  if (bytes.byteOffset % size === 0 && bytes.buffer.byteLength === bytes.length && bytes.buffer instanceof ArrayBuffer)
    return new Kind(bytes.buffer, bytes.byteOffset, bytes.length / size);
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new Kind(copy);
}
