import { ModelError } from "../errors.js";
import { codeOf, type PackedForest, rightOf } from "../forest/packed.js";
import { gaussLegendre } from "./quadrature.js";

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
  /** The forest's expected output over the training rows (cover-weighted mean of the leaves, averaged over trees). */
  baseValue: number;
  /**
   * Writes the row's contributions (one per player, in the forest's output: the trees' mean) into
   * `out` and returns the forest's output for the row; base + Σ out = that output.
   */
  explainRow(x: ArrayLike<number>, out: Float64Array): number;
}

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
  const { player, zIn, zEdge, flags, leafValue, pathPlayers, depth } = plan;
  // Degree of the integrand ≤ pathPlayers − 1 ≤ 2K − 1.
  const K = Math.max(1, Math.ceil(pathPlayers / 2));
  const { nodes: t, weights: w } = gaussLegendre(K);
  const { featShift, codeShift, codeMask } = forest.layout;

  const base = plan.expected / roots.length;

  // Per level: Q at the quadrature nodes for the node at that level, R (Q without the node's player's
  // factor), S (the sum of v_l·Q_l over the leaves below), and the player's excluded part kept aside.
  // Per player: the part of S below its later splits, which those splits account for (see walk).
  const stride = 4 * K;
  const buf = new Float64Array((depth + 2) * stride);
  const excluded = new Float64Array(players * K);
  const o = new Uint8Array(players).fill(1);
  const codes = new Int32Array(cuts.length);
  let phi: Float64Array = new Float64Array(players);

  /**
   * The node's S into the buffer at its level, and each player's contributions from the leaves below
   * whose last split on that player is one of this subtree's. A leaf l's term for player h,
   * v_l·(o_h − z_h)·Σ_k w_k Q_l(t_k)/f_h(t_k), depends on h's factor after h's last split above l;
   * so at the split on g, the edge to child c adds (o − z)·Σ_k w_k (S_c − E_g)(t_k)/f_c(t_k), where
   * E_g is the part of S_c below later splits on g. A node costs O(K) whatever its depth. Everything
   * but the row's side of each split (o) is the same for every row and planned once (walkPlan).
   */
  function walk(node: number, level: number): void {
    const word = nodes[node] as number;
    const g = player[node] as number;
    const goesLeft = (codes[word >>> featShift] as number) <= ((word >>> codeShift) & codeMask);
    const flag = flags[node] as number;
    const z0 = zIn[node] as number;
    const o0 = o[g] as number;
    const s0 = o0 - z0;
    const qa = level * stride;
    const ra = qa + K;
    const sa = ra + K;
    const ka = sa + K;
    const ca = qa + stride;
    const csa = ca + 2 * K;
    const ga = g * K;
    const again = (flag & RESPLIT) !== 0;
    let rho = 0;
    for (let k = 0; k < K; k++) {
      const rk = (buf[qa + k] as number) / (z0 + s0 * (t[k] as number));
      buf[ra + k] = rk;
      rho += (w[k] as number) * rk;
      buf[sa + k] = 0;
    }
    if (again) for (let k = 0; k < K; k++) buf[ka + k] = excluded[ga + k] as number;
    let phiG = 0;
    for (let side = 0; side < 2; side++) {
      const child = side === 0 ? node + 1 : (right[node] as number);
      const z1 = zEdge[child] as number;
      const o1 = (side === 0) === goesLeft ? o0 : 0;
      const s1 = o1 - z1;
      if ((flag & (side === 0 ? LEFT_LEAF : RIGHT_LEAF)) !== 0) {
        // S_c = v·R·f_c: its term is v·(o − z)·Σ_k w_k R(t_k).
        const v = leafValue[child] as number;
        phiG += s1 * v * rho;
        for (let k = 0; k < K; k++) buf[sa + k] = (buf[sa + k] as number) + v * (buf[ra + k] as number) * (z1 + s1 * (t[k] as number));
        continue;
      }
      for (let k = 0; k < K; k++) buf[ca + k] = (buf[ra + k] as number) * (z1 + s1 * (t[k] as number));
      if (again) excluded.fill(0, ga, ga + K);
      o[g] = o1;
      walk(child, level + 1);
      let s = 0;
      if (again)
        for (let k = 0; k < K; k++) {
          const sc = buf[csa + k] as number;
          s += ((w[k] as number) * (sc - (excluded[ga + k] as number))) / (z1 + s1 * (t[k] as number));
          buf[sa + k] = (buf[sa + k] as number) + sc;
        }
      else
        for (let k = 0; k < K; k++) {
          const sc = buf[csa + k] as number;
          s += ((w[k] as number) * sc) / (z1 + s1 * (t[k] as number));
          buf[sa + k] = (buf[sa + k] as number) + sc;
        }
      phiG += s1 * s;
    }
    phi[g] = (phi[g] as number) + phiG;
    o[g] = o0;
    // An earlier split on g leaves this subtree's leaves to this split.
    if ((flag & FIRST) === 0) {
      if (again) for (let k = 0; k < K; k++) excluded[ga + k] = (buf[ka + k] as number) + (buf[sa + k] as number);
      else for (let k = 0; k < K; k++) excluded[ga + k] = (excluded[ga + k] as number) + (buf[sa + k] as number);
    }
  }

  return {
    players,
    baseValue: base,
    explainRow(x, out) {
      if (out.length !== players) throw new ModelError(`explainRow writes ${players} contributions; got room for ${out.length}`);
      for (let f = 0; f < codes.length; f++) codes[f] = codeOf(cuts[f] as Float64Array, x[f] as number);
      out.fill(0);
      phi = out;
      let output = 0;
      for (let k = 0; k < roots.length; k++) {
        const root = roots[k] as number;
        const rootWord = nodes[root] as number;
        if (rootWord < 0) {
          // A stump: every row gets its value, which is also its expected value.
          output += values[~rootWord] as number;
          continue;
        }
        for (let j = 0; j < K; j++) buf[j] = 1;
        walk(root, 0);
        output += leafOf(nodes, values, roots[k] as number, right, codes, forest.layout.featShift, forest.layout.codeShift, forest.layout.codeMask);
      }
      const trees = roots.length;
      for (let p = 0; p < players; p++) out[p] = (out[p] as number) / trees;
      return output / trees;
    },
  };
}

function leafOf(
  nodes: Int32Array,
  values: Float64Array,
  root: number,
  right: Int32Array,
  codes: Int32Array,
  featShift: number,
  codeShift: number,
  codeMask: number,
): number {
  let i = root;
  let w = nodes[i] as number;
  while (w >= 0) {
    i = (codes[w >>> featShift] as number) <= ((w >>> codeShift) & codeMask) ? i + 1 : (right[i] as number);
    w = nodes[i] as number;
  }
  return values[~w] as number;
}

const FIRST = 1;
const RESPLIT = 2;
const LEFT_LEAF = 4;
const RIGHT_LEAF = 8;

/**
 * What the walk needs of each node that does not depend on the row: a split's player, that player's
 * z before the split (zIn) and after the edge into each child (zEdge, by child), whether the split is
 * the first on its player along the path (FIRST) or has another below it (RESPLIT), which children
 * are leaves, and the leaves' values; and, over all trees, the most players on a root-to-leaf path,
 * the deepest leaf, and the sum of the trees' expected outputs (each its cover-weighted mean leaf).
 */
function walkPlan(forest: PackedForest, right: Int32Array, playerOf: Int32Array, players: number, covers: Int32Array) {
  const { nodes, values, roots } = forest;
  const featShift = forest.layout.featShift;
  const total = nodes.length;
  const player = new Int32Array(total);
  const zIn = new Float64Array(total);
  const zEdge = new Float64Array(total);
  const flags = new Uint8Array(total);
  const leafValue = new Float64Array(total);
  const z = new Float64Array(players).fill(1);
  const seen = new Int32Array(players);
  const onPath = new Int32Array(players);
  let distinct = 0;
  let pathPlayers = 0;
  let depth = 0;
  let expected = 0;
  let rootCover = 1;
  const visit = (node: number, level: number): void => {
    const w = nodes[node] as number;
    if (w < 0) {
      leafValue[node] = values[~w] as number;
      if (distinct > pathPlayers) pathPlayers = distinct;
      if (level > depth) depth = level;
      expected += ((values[~w] as number) * (covers[node] as number)) / rootCover;
      return;
    }
    const g = playerOf[w >>> featShift] as number;
    player[node] = g;
    const z0 = z[g] as number;
    zIn[node] = z0;
    let flag = onPath[g] === 0 ? FIRST : 0;
    if (flag) distinct++;
    const before = (seen[g] as number) + 1;
    seen[g] = before;
    onPath[g] = (onPath[g] as number) + 1;
    const r = right[node] as number;
    for (const child of [node + 1, r]) {
      const z1 = (z0 * (covers[child] as number)) / (covers[node] as number);
      zEdge[child] = z1;
      if ((nodes[child] as number) < 0) flag |= child === node + 1 ? LEFT_LEAF : RIGHT_LEAF;
      z[g] = z1;
      visit(child, level + 1);
    }
    z[g] = z0;
    onPath[g] = onPath[g] - 1;
    if (onPath[g] === 0) distinct--;
    if (seen[g] > before) flag |= RESPLIT;
    flags[node] = flag;
  };
  for (let t = 0; t < roots.length; t++) {
    rootCover = covers[roots[t] as number] as number;
    visit(roots[t] as number, 0);
  }
  return { player, zIn, zEdge, flags, leafValue, pathPlayers, depth, expected };
}
