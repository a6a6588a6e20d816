import { compiledOnce, instanceWithMemory } from "../../wasm/instance.js";
import { wasmOff } from "../../wasm/switch.js";
import { type PackedForest, rightOf } from "../packed.js";
import { WALK_WASM_BASE64 } from "./walk-bytes.js";

/**
 * A forest's packed arrays copied into WebAssembly memory, beside room for a block of rows' codes
 * and sums, and walk.wat's walk over them: the batch scorer's tree walk, about 1.35× quicker than the
 * same steps in JavaScript (walk.wat says why). One per forest and thread, made on first use.
 */
export interface WasmWalker {
  /** How many rows a block may have. */
  readonly capacity: number;
  /** Codes a row takes in `codes`: the features, rounded up to a power of two (walk.wat says why). */
  readonly stride: number;
  /** The block's codes, row-major (row r's feature f at `r * stride + f`): the caller writes them. */
  readonly codes: Uint16Array;
  /** The block's sums of leaf values, one per row: the caller zeroes the rows it walks, then reads them. */
  readonly sums: Float64Array;
  /** Adds every tree's leaf value, tree by tree, to `sums[r]` for the block's rows r < rows. */
  walk(rows: number): void;
  /** The sum of every tree's leaf value, in tree order, for the row whose codes are the block's first. */
  walkRow(): number;
}

/** Memory a walker may take: its addresses stay below 2 GB, where every offset walk.wat computes fits in 32 bits. */
const MAX_BYTES = 2 ** 31;
const walkModule = compiledOnce(WALK_WASM_BASE64);
const walkers = new WeakMap<PackedForest, WasmWalker | null>();

/**
 * The walker of `p` with room for blocks of `rows` rows; undefined where the JavaScript walk must do
 * it: a forest too large for the walker's memory, or a runtime without WebAssembly (`node --jitless`).
 */
export function wasmWalker(p: PackedForest, rows: number): WasmWalker | undefined {
  // Switched off for a test: neither a walker kept from before nor one kept for later.
  if (wasmOff()) return undefined;
  let walker = walkers.get(p);
  if (walker === undefined || (walker !== null && walker.capacity < rows)) {
    walker = build(p, rows);
    walkers.set(p, walker);
  }
  return walker ?? undefined;
}

/** The walker `wasmWalker` made for `p` in this thread, if it made one. */
export function builtWalker(p: PackedForest): WasmWalker | undefined {
  if (wasmOff()) return undefined;
  return walkers.get(p) ?? undefined;
}

function build(p: PackedForest, capacity: number): WasmWalker | null {
  const module = walkModule();
  if (!module) return null;
  const { nodes, values, roots } = p;
  const features = p.cuts.length;
  const align = (n: number) => Math.ceil(n / 8) * 8;
  const valuesAt = 8 * nodes.length;
  const rootsAt = valuesAt + 8 * values.length;
  const stride = 2 ** Math.ceil(Math.log2(Math.max(1, features)));
  const codesAt = rootsAt + align(4 * roots.length);
  const sumsAt = codesAt + align(2 * capacity * stride);
  const end = sumsAt + 8 * capacity;
  if (end > MAX_BYTES) return null;
  // No memory to grow into: the JavaScript walk needs none beyond the forest.
  const made = instanceWithMemory(module, end);
  if (!made) return null;
  const { exports, buffer } = made;
  layOutNodes(p, new DataView(buffer, 0, valuesAt), valuesAt);
  new Float64Array(buffer, valuesAt, values.length).set(values);
  const rootAddresses = new Int32Array(buffer, rootsAt, roots.length);
  for (let t = 0; t < roots.length; t++) rootAddresses[t] = 8 * (roots[t] as number);
  const walk = exports.walk as (...args: number[]) => void;
  const walkRow = exports.walkRow as (...args: number[]) => number;
  const trees = roots.length;
  const shift = Math.log2(stride) + 1;
  return {
    capacity,
    stride,
    codes: new Uint16Array(buffer, codesAt, capacity * stride),
    sums: new Float64Array(buffer, sumsAt, capacity),
    walk: (rows) => walk(rootsAt, trees, codesAt, sumsAt, shift, rows),
    walkRow: () => walkRow(rootsAt, trees, codesAt),
  };
}

/**
 * The packed words as walk.wat's 8-byte nodes, in the same order: a split's feature as a byte offset
 * into a row's codes, its threshold code and its right child's distance in bytes (far ones included);
 * a leaf's 0xffff and its value's address.
 */
function layOutNodes(p: PackedForest, view: DataView, valuesAt: number): void {
  const { nodes } = p;
  const { featShift, codeShift, codeMask } = p.layout;
  for (let i = 0; i < nodes.length; i++) {
    const w = nodes[i] as number;
    const at = 8 * i;
    if (w < 0) {
      view.setUint16(at, LEAF, true);
      view.setInt32(at + 4, valuesAt + 8 * ~w, true);
    } else {
      view.setUint16(at, 2 * (w >>> featShift), true);
      view.setUint16(at + 2, (w >>> codeShift) & codeMask, true);
      view.setInt32(at + 4, 8 * (rightOf(p, i, w) - i), true);
    }
  }
}

/** walk.wat's mark of a leaf where a split keeps its feature's offset (an even number of bytes). */
const LEAF = 0xffff;
