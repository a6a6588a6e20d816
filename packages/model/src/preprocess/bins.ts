import type { CellCleaner } from "./preprocessor.js";

/**
 * A number the ETL cut into bins (`etl.rules.<column>.discretize`): the fitted edges, ascending, and each
 * bin's label as the processed file writes it (`(a, b]`, the first `[a, b]`; or the bin's number).
 */
export interface FittedBins {
  edges: number[];
  labels: string[];
}

/** A plain number as the ETL reads one: [-+]?(digits[.digits] | .digits)(e[-+]digits)?. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/u;

/** The bin of `x`, as @pipe/etl's binOf: right-closed, the lowest edge included; beyond the edges, the end bins. */
export function binIndex(edges: readonly number[], x: number): number {
  const last = edges.length - 2;
  if (last <= 0) return 0;
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= (edges[mid + 1] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A cell binned as the ETL binned the training rows: a number becomes its bin's label; a blank stays
 * missing; anything else (a label already — the processed file's own cell — or a word) is left as it is,
 * for the encoding to read. A test holds it to @pipe/etl's binLabelOf.
 */
export function binCleaner(bins: FittedBins): CellCleaner {
  return (text) => {
    const t = text.trim();
    if (!PLAIN_NUMBER.test(t)) return t;
    const n = Number(t);
    return Number.isFinite(n) ? (bins.labels[binIndex(bins.edges, n)] as string) : t;
  };
}
