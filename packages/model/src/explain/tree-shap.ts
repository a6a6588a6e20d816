import { ModelError } from "../errors.js";
import { codeOf, type PackedForest, rightOf } from "../forest/packed.js";
import { gaussLegendre } from "./quadrature.js";
import { shapKernel } from "./wasm/kernel.js";

/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2020) for a packed forest, with players that may own
 * several matrix columns (a numeric column and its missing indicator are one player).
 *
 * The game: v(S) is a tree's expected output when the players in S are known, following the row at
 * a split on a known player and the training rows' shares (the node covers) at any other split.
 * One leaf l then contributes v_l · Π_{g on its path} (g ∈ S ? o_g : z_g), with o_g = 1 when the row
 * satisfies every split on g along the path (else 0) and z_g the product of g's cover ratios. The
 * Shapley value of such a product game has a closed form (the Beta integral of the Shapley weights):
 *
 *   φ_i = v_l · (o_i − z_i) · ∫₀¹ Π_{g ≠ i} (z_g + (o_g − z_g)·t) dt,
 *
 * a polynomial of degree < (players on the path) integrated exactly by Gauss–Legendre quadrature.
 * The walk keeps the product Q(t) = Π_g (z_g + (o_g − z_g)·t) at the quadrature nodes from the root
 * down, so a node costs one pass over the nodes and a leaf one per player on its path (a player the
 * row does not satisfy costs nothing extra: its term is −v_l ∫ Q(t)/(1 − t) dt, shared by all of them).
 */
export interface TreeExplainer {
  /** The players' count. */
  players: number;
  /** Which walk explains: WebAssembly's where the runtime has it, else JavaScript's (the same numbers to rounding). */
  walk: "webassembly" | "javascript";
  /** The forest's expected output over the training rows (cover-weighted mean of the leaves, averaged over trees). */
  baseValue: number;
  /**
   * Writes the row's contributions (one per player, in the forest's output: the trees' mean) into
   * `out` and returns the forest's output for the row; base + Σ out = that output.
   */
  explainRow(x: ArrayLike<number>, out: Float64Array): number;
  /**
   * `explainRow` for rows start … end − 1 of a column-major matrix, walked together: per row, its
   * contributions then its output, at `out[(i − start) · (players + 1)]`. The same numbers as row by row.
   */
  explainRows(X: readonly Float64Array[], start: number, end: number, out: Float64Array): void;
  /**
   * The trees' contributions are summed in `groups` consecutive groups of trees (see groupStart), each
   * group's sum then added in order: the same numbers whether one thread walks every group or threads
   * share them out.
   */
  groups: number;
  /**
   * Group `group`'s part of rows start … end − 1: per row, its contributions summed over the group's
   * trees (not yet divided by the trees' count), `players` numbers at `out[(i − start) · players]`.
   * `sumGroups` makes `explainRows`'s contributions of every group's part.
   */
  explainGroup(X: readonly Float64Array[], start: number, end: number, group: number, out: Float64Array): void;
  /** The outputs of rows start … end − 1 (`explainRows`'s, the forest's scorer's), at `out[i − start]`. */
  scoreRows(X: readonly Float64Array[], start: number, end: number, out: Float64Array): void;
}

/** How many groups a forest's trees are summed in: a thread's share when threads split one block's trees. */
export const TREE_GROUPS = 8;

/** The first tree of group q of `groups` over `trees` trees (q = groups gives the end). */
export function groupStart(q: number, groups: number, trees: number): number {
  return Math.floor((q * trees) / groups);
}

/**
 * Rows' contributions from their groups' parts: `parts` holds group after group, each `rows × players`
 * numbers as `explainGroup` writes them; row i's contributions go to `out[i · width …]`, each summed over
 * the groups in order (from 0) and divided by `trees` — the arithmetic `explainRows` does, so the numbers
 * are the same.
 */
export function sumGroups(parts: Float64Array, rows: number, players: number, groups: number, trees: number, out: Float64Array, width = players): void {
  const size = rows * players;
  for (let i = 0; i < rows; i++)
    for (let p = 0; p < players; p++) {
      let sum = 0;
      for (let q = 0; q < groups; q++) sum += parts[q * size + i * players + p] as number;
      out[i * width + p] = sum / trees;
    }
}

/**
 * Rows walked through the trees together. The walk visits every node of every tree whatever the row
 * (only the arithmetic depends on it), so a block pays the per-node costs — the plan's loads, the
 * call, the loop set-up — once for all its rows.
 */
export const BLOCK = 16;

/**
 * An explainer for `forest` where matrix column f belongs to player `playerOf[f]`. Throws a ModelError
 * when the forest has no node covers (a model file written before pipe kept them).
 */
export function treeExplainer(forest: PackedForest, playerOf: Int32Array, players: number): TreeExplainer {
  const { nodes, values, roots, cuts } = forest;
  const covers = forest.covers as Int32Array;
  if (!forest.covers)
    throw new ModelError(
      "this model file does not record how many training rows reached each tree node, which explanations need; train it again with this pipe",
    );
  if (playerOf.length !== cuts.length) throw new ModelError(`the explainer maps ${playerOf.length} columns to players; the forest has ${cuts.length}`);
  // Right children found once: the walk visits every node of every tree for each row.
  const right = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) if ((nodes[i] as number) >= 0) right[i] = rightOf(forest, i, nodes[i] as number);
  const plan = walkPlan(forest, right, playerOf, players, covers);
  const { pathPlayers, depth } = plan;
  // Degree of the integrand ≤ pathPlayers − 1 ≤ 2K − 1.
  const K = Math.max(1, Math.ceil(pathPlayers / 2));
  const { nodes: t, weights: w } = gaussLegendre(K);
  // The nodes lie inside (0, 1): 1/(1 − t) is finite.
  const u = Float64Array.from(t, (tk) => 1 / (1 - tk));
  const wu = Float64Array.from(t, (tk, k) => (w[k] as number) / (1 - tk));
  const { featShift, codeShift, codeMask } = forest.layout;
  const columns = cuts.length;
  // The walk in WebAssembly where it runs (the plan then lives in its memory only, written there by a
  // second pass); else in JavaScript, the plan in arrays by node.
  const leafValueOf = (node: number) => {
    const word = nodes[node] as number;
    return word < 0 ? (forest.values[~word] as number) : 0;
  };
  const kernel = shapKernel(plan.splits, { t, w, rootSplits: plan.rootSplits, depth, block: BLOCK, columns, players, layout: forest.layout }, (write) =>
    walkPlan(forest, right, playerOf, players, covers, (node, split, g, flag, z0, zl, zr, rightSplit) =>
      write(split, nodes[node] as number, g, flag, z0, zl, zr, leafValueOf(node + 1), leafValueOf(right[node] as number), rightSplit),
    ),
  );

  const base = plan.expected / roots.length;

  // For each of the block's B rows (row b's K values at b·K), per level: Q at the quadrature nodes
  // of the node at that level when it is a left child (or a root), S (the sum of v_l·Q_l over the
  // leaves below), the player's excluded part kept aside, and the Q of the node's right child. Per
  // level and row: the row's side of the split and its o for the split's player. Per player and
  // row: the part of S below its later splits, which those splits account for (see walk), and o.
  const KB = K * BLOCK;
  const stride = 4 * KB;
  const buffer = new Float64Array(kernel ? 0 : (depth + 2) * stride);
  const goes = new Uint8Array((depth + 2) * BLOCK);
  const oAt = new Float64Array((depth + 2) * BLOCK);
  const excluded = new Float64Array(kernel ? 0 : players * KB);
  const o = new Float64Array(players * BLOCK).fill(1);
  const codes = kernel ? kernel.codes : new Int32Array(columns * BLOCK);
  const phi = kernel ? kernel.phi : new Float64Array(players * BLOCK);
  const outputs = new Float64Array(BLOCK);
  let B = 1;
  // What the walk reads, in one object whose fields it copies into locals: the JIT then keeps them in
  // registers, where a closure's captured variables would be loaded again at every use in the loops.
  const { player, zIn, zEdge, flags, leafValue } = kernel ? EMPTY_PLAN : planArrays(forest, right, playerOf, players, covers);
  const tree = { nodes, player, flags, zIn, zEdge, leafValue, right, featShift, codeShift, codeMask };
  const state = { buf: buffer, t, w, K, u, wu, o, goes, oAt, excluded, codes, phi, B, columns, players, KB, stride };

  /**
   * The node's S into the buffer at its level, and each player's contributions from the leaves below
   * whose last split on that player is one of this subtree's. A leaf l's term for player h,
   * v_l·(o_h − z_h)·Σ_k w_k Q_l(t_k)/f_h(t_k), depends on h's factor after h's last split above l;
   * so at the split on g, the edge to child c adds (o − z)·Σ_k w_k (S_c − E_g)(t_k)/f_c(t_k), where
   * E_g is the part of S_c below later splits on g; a leaf child's S_c is v·R·f_c, so its term is
   * v·(o − z)·Σ_k w_k R(t_k). R, Q without g's factor f_0, is formed and used in one pass with the
   * children's Q = R·f_c and the leaf children's part of S. A node costs O(K) per row whatever its
   * depth. Everything but the rows' side of each split (o) is the same for every row and planned once
   * (walkPlan); each row's arithmetic runs in the same order whatever the block, so a row's numbers
   * do not depend on the rows walked with it.
   */
  function walk(node: number, level: number, qa: number): void {
    const { buf, t, w, K, u, wu, o, goes, oAt, excluded, codes, phi, B, columns, players, KB, stride } = state;
    const { nodes, player, flags, zIn, zEdge, leafValue, right, featShift, codeShift, codeMask } = tree;
    const word = nodes[node] as number;
    const g = player[node] as number;
    const feature = word >>> featShift;
    const cut = (word >>> codeShift) & codeMask;
    const flag = flags[node] as number;
    const z0 = zIn[node] as number;
    const la = level * stride;
    const sa = la + KB;
    const ka = sa + KB;
    const qr = ka + KB;
    const ql = la + stride;
    const csa = ql + KB;
    const ga = g * KB;
    const og = g * BLOCK;
    const lb = level * BLOCK;
    const again = (flag & RESPLIT) !== 0;
    const first = (flag & FIRST) !== 0;
    const left = node + 1;
    const rightChild = right[node] as number;
    const zl = zEdge[left] as number;
    const zr = zEdge[rightChild] as number;
    const vl = (flag & LEFT_LEAF) !== 0 ? (leafValue[left] as number) : 0;
    const vr = (flag & RIGHT_LEAF) !== 0 ? (leafValue[rightChild] as number) : 0;
    // A leaf child needs no Q of its own (a leaf's writes would go unread).
    const inner = (flag & (LEFT_LEAF | RIGHT_LEAF)) !== (LEFT_LEAF | RIGHT_LEAF);
    // A row that failed an earlier split on g has f_0 = z0·(1 − t): R = Q·(1/z0)·u without dividing by each.
    const inverse = 1 / z0;
    for (let b = 0; b < B; b++) {
      const o0 = o[og + b] as number;
      const toLeft = (codes[b * columns + feature] as number) <= cut ? 1 : 0;
      goes[lb + b] = toLeft;
      oAt[lb + b] = o0;
      // Each child's factor z + s·t, and the leaf children's v·f summed: a + c·t.
      const sl = (toLeft === 1 ? o0 : 0) - zl;
      const sr = (toLeft === 0 ? o0 : 0) - zr;
      const a = vl * zl + vr * zr;
      const c = vl * sl + vr * sr;
      let rho = 0;
      const i0 = b * K;
      if (first)
        // The first split on g: its factor so far is 1 (o = 1, z = 1), so R is Q itself.
        for (let k = 0, i = i0; k < K; k++, i++) {
          const rk = buf[qa + i] as number;
          const tk = t[k] as number;
          rho += (w[k] as number) * rk;
          buf[sa + i] = rk * (a + c * tk);
          if (inner) {
            buf[ql + i] = rk * (zl + sl * tk);
            buf[qr + i] = rk * (zr + sr * tk);
          }
        }
      else if (o0 === 1) {
        const s0 = 1 - z0;
        for (let k = 0, i = i0; k < K; k++, i++) {
          const tk = t[k] as number;
          const rk = (buf[qa + i] as number) / (z0 + s0 * tk);
          rho += (w[k] as number) * rk;
          buf[sa + i] = rk * (a + c * tk);
          if (inner) {
            buf[ql + i] = rk * (zl + sl * tk);
            buf[qr + i] = rk * (zr + sr * tk);
          }
        }
      } else
        for (let k = 0, i = i0; k < K; k++, i++) {
          const tk = t[k] as number;
          const rk = (buf[qa + i] as number) * inverse * (u[k] as number);
          rho += (w[k] as number) * rk;
          buf[sa + i] = rk * (a + c * tk);
          if (inner) {
            buf[ql + i] = rk * (zl + sl * tk);
            buf[qr + i] = rk * (zr + sr * tk);
          }
        }
      phi[b * players + g] = (phi[b * players + g] as number) + c * rho;
    }
    if (again) for (let i = 0; i < B * K; i++) buf[ka + i] = excluded[ga + i] as number;
    for (let side = 0; side < 2; side++) {
      if ((flag & (side === 0 ? LEFT_LEAF : RIGHT_LEAF)) !== 0) continue;
      const child = side === 0 ? left : rightChild;
      const z1 = side === 0 ? zl : zr;
      for (let b = 0; b < B; b++) o[og + b] = (goes[lb + b] as number) === 1 - side ? (oAt[lb + b] as number) : 0;
      if (again) excluded.fill(0, ga, ga + B * K);
      walk(child, level + 1, side === 0 ? ql : qr);
      for (let b = 0; b < B; b++) {
        const hot = (goes[lb + b] as number) === 1 - side && (oAt[lb + b] as number) === 1;
        let s = 0;
        // A cold edge's factor is z1·(1 − t) and its weight o − z = −z1: the term is −Σ_k w_k·u_k·(S_c − E_g)(t_k).
        if (hot) {
          const s1 = 1 - z1;
          if (again)
            for (let k = 0, i = b * K; k < K; k++, i++) {
              const sc = buf[csa + i] as number;
              s += ((w[k] as number) * (sc - (excluded[ga + i] as number))) / (z1 + s1 * (t[k] as number));
              buf[sa + i] = (buf[sa + i] as number) + sc;
            }
          else
            for (let k = 0, i = b * K; k < K; k++, i++) {
              const sc = buf[csa + i] as number;
              s += ((w[k] as number) * sc) / (z1 + s1 * (t[k] as number));
              buf[sa + i] = (buf[sa + i] as number) + sc;
            }
          s *= s1;
        } else if (again)
          for (let k = 0, i = b * K; k < K; k++, i++) {
            const sc = buf[csa + i] as number;
            s -= (wu[k] as number) * (sc - (excluded[ga + i] as number));
            buf[sa + i] = (buf[sa + i] as number) + sc;
          }
        else
          for (let k = 0, i = b * K; k < K; k++, i++) {
            const sc = buf[csa + i] as number;
            s -= (wu[k] as number) * sc;
            buf[sa + i] = (buf[sa + i] as number) + sc;
          }
        phi[b * players + g] = (phi[b * players + g] as number) + s;
      }
    }
    for (let b = 0; b < B; b++) o[og + b] = oAt[lb + b] as number;
    // An earlier split on g leaves this subtree's leaves to this split.
    if (!first) {
      if (again) for (let i = 0; i < B * K; i++) excluded[ga + i] = (buf[ka + i] as number) + (buf[sa + i] as number);
      else for (let i = 0; i < B * K; i++) excluded[ga + i] = (excluded[ga + i] as number) + (buf[sa + i] as number);
    }
  }

  /** Explains the B rows whose codes are set in trees from … to − 1: their contributions' sums over those trees into phi. */
  function explainBlock(from: number, to: number): void {
    phi.fill(0, 0, B * players);
    for (let k = from; k < to; k++) {
      const root = roots[k] as number;
      // A stump gives every row its value, which is also its expected value: no contribution.
      if ((nodes[root] as number) < 0) continue;
      if (kernel) kernel.tree(k, B);
      else {
        buffer.fill(1, 0, B * K);
        walk(root, 0, 0);
      }
    }
  }

  /** The B rows' outputs: their leaf values summed over every tree in order, as the forest's scorer sums them. */
  function outputsOfBlock(): void {
    outputs.fill(0, 0, B);
    for (let k = 0; k < roots.length; k++) {
      const root = roots[k] as number;
      for (let b = 0; b < B; b++) outputs[b] = (outputs[b] as number) + leafOf(nodes, values, root, right, codes, b * columns, featShift, codeShift, codeMask);
    }
  }

  const trees = roots.length;
  const groups = Math.max(1, Math.min(TREE_GROUPS, trees));
  const width = players + 1;
  // The block's contributions summed over the groups walked so far, per row.
  const sums = new Float64Array(BLOCK * players);
  /** Adds group q's part of the block's rows' contributions to `sums` (zeroed first when `first`). */
  const addGroup = (q: number, first: boolean) => {
    if (first) sums.fill(0, 0, B * players);
    explainBlock(groupStart(q, groups, trees), groupStart(q + 1, groups, trees));
    for (let i = 0; i < B * players; i++) sums[i] = (sums[i] as number) + (phi[i] as number);
  };
  const setCodes = (X: readonly Float64Array[], from: number) => {
    for (let f = 0; f < columns; f++) {
      const col = X[f] as Float64Array;
      const c = cuts[f] as Float64Array;
      for (let b = 0; b < B; b++) codes[b * columns + f] = codeOf(c, col[from + b] as number);
    }
  };
  const checkRoom = (name: string, needed: number, out: Float64Array) => {
    if (out.length < needed) throw new ModelError(`${name} writes ${needed} numbers; got room for ${out.length}`);
  };
  /** Calls `block(from)` for rows start … end − 1 by blocks, their codes set. */
  const byBlocks = (X: readonly Float64Array[], start: number, end: number, block: (from: number) => void) => {
    for (let from = start; from < end; from += BLOCK) {
      B = Math.min(BLOCK, end - from);
      state.B = B;
      setCodes(X, from);
      block(from);
    }
  };
  return {
    players,
    walk: kernel ? "webassembly" : "javascript",
    baseValue: base,
    groups,
    explainRow(x, out) {
      if (out.length !== players) throw new ModelError(`explainRow writes ${players} contributions; got room for ${out.length}`);
      for (let f = 0; f < columns; f++) codes[f] = codeOf(cuts[f] as Float64Array, x[f] as number);
      B = 1;
      state.B = B;
      for (let q = 0; q < groups; q++) addGroup(q, q === 0);
      for (let p = 0; p < players; p++) out[p] = (sums[p] as number) / trees;
      outputsOfBlock();
      return (outputs[0] as number) / trees;
    },
    explainRows(X, start, end, out) {
      checkRoom("explainRows", (end - start) * width, out);
      byBlocks(X, start, end, (from) => {
        for (let q = 0; q < groups; q++) addGroup(q, q === 0);
        outputsOfBlock();
        for (let b = 0; b < B; b++) {
          const at = (from - start + b) * width;
          for (let p = 0; p < players; p++) out[at + p] = (sums[b * players + p] as number) / trees;
          out[at + players] = (outputs[b] as number) / trees;
        }
      });
    },
    explainGroup(X, start, end, group, out) {
      checkRoom("explainGroup", (end - start) * players, out);
      if (!Number.isInteger(group) || group < 0 || group >= groups) throw new ModelError(`explainGroup: group ${group} is not one of 0 … ${groups - 1}`);
      byBlocks(X, start, end, (from) => {
        addGroup(group, true);
        out.set(sums.subarray(0, B * players), (from - start) * players);
      });
    },
    scoreRows(X, start, end, out) {
      checkRoom("scoreRows", end - start, out);
      byBlocks(X, start, end, (from) => {
        outputsOfBlock();
        for (let b = 0; b < B; b++) out[from - start + b] = (outputs[b] as number) / trees;
      });
    },
  };
}

function leafOf(
  nodes: Int32Array,
  values: Float64Array,
  root: number,
  right: Int32Array,
  codes: Int32Array,
  at: number,
  featShift: number,
  codeShift: number,
  codeMask: number,
): number {
  let i = root;
  let w = nodes[i] as number;
  while (w >= 0) {
    i = (codes[at + (w >>> featShift)] as number) <= ((w >>> codeShift) & codeMask) ? i + 1 : (right[i] as number);
    w = nodes[i] as number;
  }
  return values[~w] as number;
}

/** The JavaScript walk's plan arrays, unused (and not kept) when the WebAssembly kernel walks. */
const EMPTY_PLAN = {
  player: new Int32Array(0),
  zIn: new Float64Array(0),
  zEdge: new Float64Array(0),
  flags: new Uint8Array(0),
  leafValue: new Float64Array(0),
};

const FIRST = 1;
const RESPLIT = 2;
const LEFT_LEAF = 4;
const RIGHT_LEAF = 8;

/** A split node's plan, as walkPlan hands it out: its number among the splits in preorder, its player, flags, z before it and after each edge, its right child's split number (-1: a leaf). */
type EmitSplit = (node: number, split: number, g: number, flag: number, z0: number, zl: number, zr: number, rightSplit: number) => void;

/**
 * What the walk needs of each node that does not depend on the row: a split's player, that player's
 * z before the split (zIn) and after the edge into each child (zEdge, by child), whether the split is
 * the first on its player along the path (FIRST) or has another below it (RESPLIT), which children
 * are leaves; and, over all trees, the most players on a root-to-leaf path, the deepest leaf, and the
 * sum of the trees' expected outputs (each its cover-weighted mean leaf). Each split goes to `emit`
 * (after its subtree: its flags need it), which keeps what its walk reads.
 */
function walkPlan(forest: PackedForest, right: Int32Array, playerOf: Int32Array, players: number, covers: Int32Array, emit?: EmitSplit) {
  const { nodes, values, roots } = forest;
  const featShift = forest.layout.featShift;
  const z = new Float64Array(players).fill(1);
  const seen = new Int32Array(players);
  const onPath = new Int32Array(players);
  let distinct = 0;
  let pathPlayers = 0;
  let depth = 0;
  let expected = 0;
  let rootCover = 1;
  let splits = 0;
  /** The node's split number, -1 for a leaf. */
  const visit = (node: number, level: number): number => {
    const w = nodes[node] as number;
    if (w < 0) {
      if (distinct > pathPlayers) pathPlayers = distinct;
      if (level > depth) depth = level;
      expected += ((values[~w] as number) * (covers[node] as number)) / rootCover;
      return -1;
    }
    const split = splits++;
    const g = playerOf[w >>> featShift] as number;
    const z0 = z[g] as number;
    let flag = onPath[g] === 0 ? FIRST : 0;
    if (flag) distinct++;
    const before = (seen[g] as number) + 1;
    seen[g] = before;
    onPath[g] = (onPath[g] as number) + 1;
    const r = right[node] as number;
    const zl = (z0 * (covers[node + 1] as number)) / (covers[node] as number);
    const zr = (z0 * (covers[r] as number)) / (covers[node] as number);
    if ((nodes[node + 1] as number) < 0) flag |= LEFT_LEAF;
    if ((nodes[r] as number) < 0) flag |= RIGHT_LEAF;
    z[g] = zl;
    visit(node + 1, level + 1);
    z[g] = zr;
    const rightSplit = visit(r, level + 1);
    z[g] = z0;
    onPath[g] = onPath[g] - 1;
    if (onPath[g] === 0) distinct--;
    if (seen[g] > before) flag |= RESPLIT;
    emit?.(node, split, g, flag, z0, zl, zr, rightSplit);
    return split;
  };
  // Each tree's root by its split number (-1 for a stump).
  const rootSplits = new Int32Array(roots.length);
  for (let t = 0; t < roots.length; t++) {
    rootCover = covers[roots[t] as number] as number;
    rootSplits[t] = visit(roots[t] as number, 0);
  }
  return { pathPlayers, depth, expected, splits, rootSplits };
}

/** The plan in arrays by node, for the JavaScript walk (leafValue: a leaf's value, 0 for a split). */
function planArrays(forest: PackedForest, right: Int32Array, playerOf: Int32Array, players: number, covers: Int32Array) {
  const { nodes, values } = forest;
  const total = nodes.length;
  const player = new Int32Array(total);
  const zIn = new Float64Array(total);
  const zEdge = new Float64Array(total);
  const flags = new Uint8Array(total);
  const leafValue = new Float64Array(total);
  for (let i = 0; i < total; i++) if ((nodes[i] as number) < 0) leafValue[i] = values[~(nodes[i] as number)] as number;
  walkPlan(forest, right, playerOf, players, covers, (node, _split, g, flag, z0, zl, zr) => {
    player[node] = g;
    zIn[node] = z0;
    flags[node] = flag;
    zEdge[node + 1] = zl;
    zEdge[right[node] as number] = zr;
  });
  return { player, zIn, zEdge, flags, leafValue };
}
