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
  const ends = Int32Array.from(roots, (_, t) => (t + 1 < roots.length ? (roots[t + 1] as number) : nodes.length));
  // Right children found once: the walk visits every node of every tree for each row.
  const right = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) if ((nodes[i] as number) >= 0) right[i] = rightOf(forest, i, nodes[i] as number);
  const { pathPlayers, depth } = pathSizes(forest, right, playerOf, players);
  // Degree of the integrand ≤ pathPlayers − 1 ≤ 2K − 1.
  const K = Math.max(1, Math.ceil(pathPlayers / 2));
  const { nodes: t, weights: w } = gaussLegendre(K);
  const { featShift, codeShift, codeMask } = forest.layout;

  let base = 0;
  for (let k = 0; k < roots.length; k++) base += expectedValue(nodes, values, covers, roots[k] as number, ends[k] as number);
  base /= roots.length;

  const resplit = resplits(forest, right, playerOf, players);
  // Per level: Q at the quadrature nodes for the node at that level, R (Q without the node's player's
  // factor), S (the sum of v_l·Q_l over the leaves below). Per player: the part of S below its later
  // splits, which those splits account for (see walk).
  const q = new Float64Array((depth + 2) * K);
  const r = new Float64Array((depth + 2) * K);
  const sums = new Float64Array((depth + 2) * K);
  const excluded = new Float64Array(players * K);
  const keptExcluded = new Float64Array((depth + 2) * K);
  const z = new Float64Array(players).fill(1);
  const o = new Uint8Array(players).fill(1);
  const onPath = new Uint8Array(players);
  const codes = new Int32Array(cuts.length);
  let phi: Float64Array = new Float64Array(players);

  /**
   * The node's S into `sums` at its level, and each player's contributions from the leaves below
   * whose last split on that player is one of this subtree's. A leaf l's term for player h,
   * v_l·(o_h − z_h)·Σ_k w_k Q_l(t_k)/f_h(t_k), depends on h's factor after h's last split above l;
   * so at the split on g, the edge to child c adds (o − z)·Σ_k w_k (S_c − E_g)(t_k)/f_c(t_k), where
   * E_g is the part of S_c below later splits on g. A node costs O(K) whatever its depth.
   */
  function walk(node: number, level: number): void {
    const word = nodes[node] as number;
    const f = word >>> featShift;
    const g = playerOf[f] as number;
    const goesLeft = (codes[f] as number) <= ((word >>> codeShift) & codeMask);
    const cover = covers[node] as number;
    const z0 = z[g] as number;
    const o0 = o[g] as number;
    const s0 = o0 - z0;
    const added = onPath[g] === 0;
    onPath[g] = (onPath[g] as number) + 1;
    const qa = level * K;
    const ca = qa + K;
    const ga = g * K;
    const again = resplit[node] === 1;
    let rho = 0;
    for (let k = 0; k < K; k++) {
      const rk = (q[qa + k] as number) / (z0 + s0 * (t[k] as number));
      r[qa + k] = rk;
      rho += (w[k] as number) * rk;
      sums[qa + k] = 0;
    }
    if (again) for (let k = 0; k < K; k++) keptExcluded[qa + k] = excluded[ga + k] as number;
    let phiG = 0;
    for (let side = 0; side < 2; side++) {
      const child = side === 0 ? node + 1 : (right[node] as number);
      const z1 = (z0 * (covers[child] as number)) / cover;
      const o1 = (side === 0) === goesLeft ? o0 : 0;
      const s1 = o1 - z1;
      const childWord = nodes[child] as number;
      if (childWord < 0) {
        // S_c = v·R·f_c: its term is v·(o − z)·Σ_k w_k R(t_k).
        const v = values[~childWord] as number;
        phiG += s1 * v * rho;
        for (let k = 0; k < K; k++) sums[qa + k] = (sums[qa + k] as number) + v * (r[qa + k] as number) * (z1 + s1 * (t[k] as number));
        continue;
      }
      for (let k = 0; k < K; k++) q[ca + k] = (r[qa + k] as number) * (z1 + s1 * (t[k] as number));
      if (again) excluded.fill(0, ga, ga + K);
      z[g] = z1;
      o[g] = o1;
      walk(child, level + 1);
      let s = 0;
      if (again) for (let k = 0; k < K; k++) s += ((w[k] as number) * ((sums[ca + k] as number) - (excluded[ga + k] as number))) / (z1 + s1 * (t[k] as number));
      else for (let k = 0; k < K; k++) s += ((w[k] as number) * (sums[ca + k] as number)) / (z1 + s1 * (t[k] as number));
      phiG += s1 * s;
      for (let k = 0; k < K; k++) sums[qa + k] = (sums[qa + k] as number) + (sums[ca + k] as number);
    }
    phi[g] = (phi[g] as number) + phiG;
    z[g] = z0;
    o[g] = o0;
    onPath[g] = (onPath[g] as number) - 1;
    // An earlier split on g leaves this subtree's leaves to this split.
    if (!added) {
      if (again) for (let k = 0; k < K; k++) excluded[ga + k] = (keptExcluded[qa + k] as number) + (sums[qa + k] as number);
      else for (let k = 0; k < K; k++) excluded[ga + k] = (excluded[ga + k] as number) + (sums[qa + k] as number);
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
        for (let j = 0; j < K; j++) q[j] = 1;
        walk(root, 0);
        output += leafOf(nodes, values, roots[k] as number, right, codes, forest.layout.featShift, forest.layout.codeShift, forest.layout.codeMask);
      }
      const trees = roots.length;
      for (let p = 0; p < players; p++) out[p] = (out[p] as number) / trees;
      return output / trees;
    },
  };
}

/** A tree's cover-weighted mean leaf value: its output when nothing about the row is known. */
function expectedValue(nodes: Int32Array, values: Float64Array, covers: Int32Array, root: number, end: number): number {
  let sum = 0;
  for (let i = root; i < end; i++) {
    const w = nodes[i] as number;
    if (w < 0) sum += (values[~w] as number) * (covers[i] as number);
  }
  return sum / (covers[root] as number);
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

/** Per split node: 1 when a split below it is on the same player (row-independent, found once). */
function resplits(forest: PackedForest, right: Int32Array, playerOf: Int32Array, players: number): Uint8Array {
  const { nodes, roots } = forest;
  const featShift = forest.layout.featShift;
  const seen = new Int32Array(players);
  const out = new Uint8Array(nodes.length);
  const visit = (node: number): void => {
    const w = nodes[node] as number;
    if (w < 0) return;
    const g = playerOf[w >>> featShift] as number;
    const before = (seen[g] as number) + 1;
    seen[g] = before;
    visit(node + 1);
    visit(right[node] as number);
    if ((seen[g] as number) > before) out[node] = 1;
  };
  for (let t = 0; t < roots.length; t++) visit(roots[t] as number);
  return out;
}

/** The most players on any root-to-leaf path, and the deepest leaf's depth, over all trees. */
function pathSizes(forest: PackedForest, right: Int32Array, playerOf: Int32Array, players: number): { pathPlayers: number; depth: number } {
  const { nodes, roots } = forest;
  const featShift = forest.layout.featShift;
  const count = new Int32Array(players);
  let distinct = 0;
  let most = 0;
  let deepest = 0;
  const visit = (node: number, depth: number): void => {
    const w = nodes[node] as number;
    if (w < 0) {
      if (distinct > most) most = distinct;
      if (depth > deepest) deepest = depth;
      return;
    }
    const g = playerOf[w >>> featShift] as number;
    if (count[g] === 0) distinct++;
    count[g] = (count[g] as number) + 1;
    visit(node + 1, depth + 1);
    visit(right[node] as number, depth + 1);
    count[g] = (count[g] as number) - 1;
    if (count[g] === 0) distinct--;
  };
  for (let t = 0; t < roots.length; t++) visit(roots[t] as number, 0);
  return { pathPlayers: most, depth: deepest };
}
