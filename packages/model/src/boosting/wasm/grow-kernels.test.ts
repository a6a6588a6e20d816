import { describe, expect, it } from "vitest";
import { Random } from "../../random.js";
import { growKernels } from "./grow-kernels.js";

/** Rows, bins, gradients and histogram layout of a small problem, and the kernels over them. */
function problem(n: number, binsPerFeature: number[], seed: number) {
  const rng = new Random(seed);
  const features = binsPerFeature.length;
  const offsets = new Int32Array(features + 1);
  for (let f = 0; f < features; f++) offsets[f + 1] = (offsets[f] as number) + 3 * (binsPerFeature[f] as number);
  const width = offsets[features] as number;
  const kernels = growKernels(n, features, offsets, width, 3);
  if (!kernels) throw new Error("WebAssembly is available in every Node this package supports");
  for (let i = 0; i < n; i++) for (let f = 0; f < features; f++) kernels.bins[i * features + f] = rng.int(binsPerFeature[f] as number);
  for (let i = 0; i < n; i++) {
    kernels.g[i] = rng.next() - 0.5;
    kernels.h[i] = rng.next() / 4;
    kernels.rows[i] = i;
  }
  // A row order of a node after some splits: shuffled.
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = kernels.rows[i] as number;
    kernels.rows[i] = kernels.rows[j] as number;
    kernels.rows[j] = t;
  }
  return { kernels, features, offsets, width };
}

describe("the boosted trees' row loops in WebAssembly", () => {
  it("build each bin's (Σg, Σh, n) adding the rows in the JavaScript loop's order: the same sums bit for bit", () => {
    const { kernels, features, offsets, width } = problem(3000, [256, 2, 17, 1, 90], 4);
    const hist = kernels.histograms[1] as Float64Array;
    kernels.histogram(100, 2900, hist);
    const expected = new Float64Array(width);
    for (let k = 100; k < 2900; k++) {
      const row = kernels.rows[k] as number;
      for (let f = 0; f < features; f++) {
        const at = (offsets[f] as number) + 3 * (kernels.bins[row * features + f] as number);
        expected[at] = (expected[at] as number) + (kernels.g[row] as number);
        expected[at + 1] = (expected[at + 1] as number) + (kernels.h[row] as number);
        expected[at + 2] = (expected[at + 2] as number) + 1;
      }
    }
    expect(hist).toEqual(expected);
    // Added to what the histogram held; the pool's other histograms untouched.
    kernels.histogram(0, 100, hist);
    let counted = 0;
    for (let b = 0; b < 256; b++) counted += hist[3 * b + 2] as number;
    expect(counted).toBe(2900);
    expect((kernels.histograms[0] as Float64Array).every((v) => v === 0)).toBe(true);
    expect((kernels.histograms[2] as Float64Array).every((v) => v === 0)).toBe(true);
  });

  it("partition a node's rows stably by a split, as the JavaScript loop does", () => {
    const { kernels, features } = problem(2000, [40, 7, 256], 9);
    for (const [start, end, feature, split] of [
      [0, 2000, 0, 19],
      [13, 1500, 2, 0],
      [500, 501, 1, 6],
      [700, 700, 2, 100],
      [0, 2000, 2, 255],
    ] as const) {
      const before = Array.from(kernels.rows);
      const slice = before.slice(start, end);
      const goesLeft = (row: number) => (kernels.bins[row * features + feature] as number) <= split;
      const expected = [...before.slice(0, start), ...slice.filter(goesLeft), ...slice.filter((r) => !goesLeft(r)), ...before.slice(end)];
      const middle = kernels.partition(start, end, feature, split);
      expect(middle).toBe(start + slice.filter(goesLeft).length);
      expect(Array.from(kernels.rows)).toEqual(expected);
      // Each side's sums, added in its rows' new order.
      const sums = [0, 0, 0, 0];
      for (let k = start; k < end; k++) {
        const side = k < middle ? 0 : 2;
        const row = kernels.rows[k] as number;
        sums[side] = (sums[side] as number) + (kernels.g[row] as number);
        sums[side + 1] = (sums[side + 1] as number) + (kernels.h[row] as number);
      }
      expect(Array.from(kernels.sides)).toEqual(sums);
    }
  });

  it("find the best split of a histogram as TreeGrower.bestSplit's loop does, and subtract histograms", () => {
    const { kernels, features, offsets } = problem(4000, [256, 3, 60, 1, 200], 11);
    const hist = kernels.histograms[0] as Float64Array;
    kernels.histogram(0, 4000, hist);
    let G = 0;
    let H = 0;
    for (let i = 0; i < 4000; i++) {
      G += kernels.g[kernels.rows[i] as number] as number;
      H += kernels.h[kernels.rows[i] as number] as number;
    }
    const reference = (minLeaf: number, lambda: number, minHessian: number) => {
      const parent = (G * G) / (H + lambda);
      let best: { gain: number; feature: number; bin: number } | null = null;
      for (let f = 0; f < features; f++) {
        const o = offsets[f] as number;
        const nb = ((offsets[f + 1] as number) - o) / 3;
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 0; b < nb - 1; b++) {
          gl += hist[o + 3 * b] as number;
          hl += hist[o + 3 * b + 1] as number;
          cl += hist[o + 3 * b + 2] as number;
          if (cl < minLeaf) continue;
          if (4000 - cl < minLeaf) break;
          const hr = H - hl;
          if (hl < minHessian || hr < minHessian) continue;
          const gr = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
          if (gain > 1e-12 && (best === null || gain > best.gain)) best = { gain, feature: f, bin: b };
        }
      }
      return best;
    };
    for (const [minLeaf, lambda, minHessian] of [
      [20, 0, 1e-3],
      [1, 1, 1e-3],
      [1900, 0, 1e-3],
      [2001, 0, 1e-3],
      [20, 0, 400],
    ] as const) {
      const expected = reference(minLeaf, lambda, minHessian);
      const found = kernels.bestSplit(hist, 4000, minLeaf, G, H, lambda, (G * G) / (H + lambda), minHessian);
      expect(found ? { ...kernels.best } : null).toEqual(expected);
    }
    expect(reference(2001, 0, 1e-3)).toBeNull();
    // The larger child's histogram: its parent's minus the smaller's.
    const small = kernels.histograms[1] as Float64Array;
    kernels.histogram(0, 1000, small);
    const expected = Float64Array.from(hist, (v, k) => v - (small[k] as number));
    kernels.subtract(hist, small);
    expect(hist).toEqual(expected);
  });

  it("leave a problem too large for their memory to the JavaScript loops", () => {
    expect(growKernels(2 ** 28, 8, new Int32Array(9), 24, 2)).toBeUndefined();
  });
});
