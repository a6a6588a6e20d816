import { compiledOnce, instanceWithMemory } from "../../wasm/instance.js";
import { TREE_SHAP_WASM_BASE64 } from "./tree-shap-bytes.js";

/**
 * tree-shap.wat's walk with a forest's plan in its memory: the block's codes and contributions are views
 * of that memory (the caller writes the one and reads the other), `tree` walks one tree for the block.
 */
export interface ShapKernel {
  /** The block's codes, row-major (`columns` per row). */
  readonly codes: Int32Array;
  /** The block's contributions, row-major (`players` per row): the caller zeroes them per block. */
  readonly phi: Float64Array;
  /** Adds the terms of tree k (its root a split) for the block's first `rows` rows. */
  tree(k: number, rows: number): void;
}

/** Writes split number `split`'s record: its packed word, player, flags, z before it and after each edge, its children's leaf values (0 for a split) and its right child's split number. */
export type RecordWriter = (
  split: number,
  word: number,
  g: number,
  flag: number,
  z0: number,
  zl: number,
  zr: number,
  vl: number,
  vr: number,
  rightSplit: number,
) => void;

export interface KernelShape {
  /** Quadrature points and weights (K of each). */
  t: Float64Array;
  w: Float64Array;
  /** Each tree's root by its split number. */
  rootSplits: Int32Array;
  depth: number;
  block: number;
  columns: number;
  players: number;
  layout: { featShift: number; codeShift: number; codeMask: number };
}

/** Bytes of a split's record: one cache line. */
const RECORD = 64;
const module = compiledOnce(TREE_SHAP_WASM_BASE64);
/** Every address the walk computes stays a positive 32-bit integer below this. */
const MAX_BYTES = 2 ** 31;

/**
 * The kernel for a forest of `splits` split nodes whose records `fill` writes (into the module's memory: no
 * other copy of the plan is made), or undefined where the JavaScript walk must do it: a runtime without
 * WebAssembly (`node --jitless`), the loops switched off for a test, or a forest too large for its memory.
 */
export function shapKernel(splits: number, shape: KernelShape, fill: (write: RecordWriter) => void): ShapKernel | undefined {
  const compiled = module();
  if (!compiled) return undefined;
  const K = shape.t.length;
  // The walk takes the points two at a time: an odd count gets a last point of weight 0 (t inside (0, 1)).
  const Kp = K + (K % 2);
  const { block, columns, players, depth } = shape;
  let end = 0;
  const region = (bytes: number) => {
    const at = end;
    end += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const at = {
    splits: region(RECORD * splits),
    t: region(8 * Kp),
    w: region(8 * Kp),
    u: region(8 * Kp),
    wu: region(8 * Kp),
    buf: region(8 * (depth + 2) * 4 * block * Kp),
    goes: region(4 * (depth + 2) * block),
    oAt: region(8 * (depth + 2) * block),
    exc: region(8 * players * block * Kp),
    o: region(8 * players * block),
    codes: region(4 * block * columns),
    phi: region(8 * block * players),
    // Five vectors of Kp points, a slot of zeros and two slots where unread writes go (see tree-shap.wat).
    scratch: region(8 * Kp * (5 + 3 * block)),
  };
  if (end > MAX_BYTES) return undefined;
  const made = instanceWithMemory(compiled, end);
  if (!made) return undefined;
  const { exports, buffer } = made;
  // Each split's record (see tree-shap.wat), numbered in preorder.
  const words = new Int32Array(buffer, at.splits, (RECORD / 4) * splits);
  const reals = new Float64Array(buffer, at.splits, (RECORD / 8) * splits);
  fill((s, word, g, flag, z0, zl, zr, vl, vr, rightSplit) => {
    words[16 * s] = word;
    words[16 * s + 1] = g | (flag << 24);
    words[16 * s + 2] = rightSplit;
    reals[8 * s + 2] = z0;
    reals[8 * s + 3] = zl;
    reals[8 * s + 4] = zr;
    reals[8 * s + 5] = vl;
    reals[8 * s + 6] = vr;
  });

  const t = new Float64Array(buffer, at.t, Kp).fill(0.5);
  const w = new Float64Array(buffer, at.w, Kp);
  const u = new Float64Array(buffer, at.u, Kp);
  const wu = new Float64Array(buffer, at.wu, Kp);
  t.set(shape.t);
  w.set(shape.w);
  for (let k = 0; k < Kp; k++) {
    u[k] = 1 / (1 - (t[k] as number));
    wu[k] = (w[k] as number) / (1 - (t[k] as number));
  }
  // Every row's indicator o starts at 1 (each player's factor before its first split).
  new Float64Array(buffer, at.o, players * block).fill(1);
  const { featShift, codeShift, codeMask } = shape.layout;
  (exports.setup as (...args: number[]) => void)(
    at.splits,
    at.t,
    at.w,
    at.u,
    at.wu,
    at.buf,
    at.goes,
    at.oAt,
    at.exc,
    at.o,
    at.codes,
    at.phi,
    Kp,
    block,
    columns,
    players,
    featShift,
    codeShift,
    codeMask,
    at.scratch,
  );
  const walkTree = exports.tree as (root: number, rows: number) => void;
  return {
    codes: new Int32Array(buffer, at.codes, block * columns),
    phi: new Float64Array(buffer, at.phi, block * players),
    tree: (k, rows) => walkTree(shape.rootSplits[k] as number, rows),
  };
}
