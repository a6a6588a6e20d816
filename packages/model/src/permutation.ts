import { codeOf } from "./forest/packed.js";
import { rocAuc } from "./metrics/curves.js";
import type { Random } from "./random.js";

/** Bytes of the rows scored at once (bounds the memory for wide data). */
const STACK_BYTES = 32 * 1024 * 1024;

/**
 * Permutation importance on a sample (column-major `Xs`, labels `ys`): per feature, the drop in ROC
 * AUC for each of `repeats` shuffles of its column. The shuffles are drawn in (feature, repeat) order.
 *
 * Exact, with less scoring: a shuffled value that falls between the same two thresholds of its feature
 * (the same code, in the packed forest) sends its row down every tree as the original value did, so
 * the row keeps its unshuffled score; only rows whose code changed are scored, all copies' rows
 * together in large batches. On Adult two rows in five keep their code (sex, race, capital gain and
 * loss, country are mostly one value). Without `cuts` (a model that is not trees) only a value equal to
 * the original keeps the row's score. `meanwhile` runs on this thread while workers score the first
 * batch (see predictProbaAsync).
 */
export async function permutationDrops(
  score: (X: readonly Float64Array[], options: { threads?: number; meanwhile?: () => void }) => Promise<Float64Array>,
  /** Per feature, the sorted thresholds the model splits it at (a packed forest's `cuts`); null: any other value may change the score. */
  cuts: readonly Float64Array[] | null,
  Xs: readonly Float64Array[],
  ys: Uint8Array,
  repeats: number,
  rng: Random,
  threads: number | undefined,
  meanwhile?: () => void,
  /** The forest's scores of the sample's rows when the caller has them (the test rows' scores); else scored here. */
  known?: Float64Array,
): Promise<number[][]> {
  const m = ys.length;
  const F = Xs.length;
  const baseScores = known ?? (await score(Xs, { threads }));
  const base = rocAuc(ys, baseScores);
  const copies = F * repeats;
  const scores = Array.from({ length: copies }, () => Float64Array.from(baseScores));
  const capacity = Math.max(1, Math.floor(STACK_BYTES / (8 * Math.max(1, F))));
  const stack = Xs.map(() => new Float64Array(Math.min(capacity, m * copies)));
  // Where each stacked row's score goes: copy c, row k.
  const toCopy = new Int32Array(stack[0]?.length ?? 0);
  const toRow = new Int32Array(toCopy.length);
  let rows = 0;
  let first = meanwhile;
  const flush = async () => {
    const s = await score(
      stack.map((col) => col.subarray(0, rows)),
      first ? { threads, meanwhile: first } : { threads },
    );
    first = undefined;
    for (let j = 0; j < rows; j++) (scores[toCopy[j] as number] as Float64Array)[toRow[j] as number] = s[j] as number;
    rows = 0;
  };
  for (let f = 0; f < F; f++) {
    const original = Xs[f] as Float64Array;
    const sorted = cuts ? (cuts[f] as Float64Array) : null;
    for (let r = 0; r < repeats; r++) {
      const shuffled = rng.shuffle(Float64Array.from(original));
      const c = f * repeats + r;
      for (let k = 0; k < m; k++) {
        const v = shuffled[k] as number;
        const was = original[k] as number;
        if (sorted ? codeOf(sorted, v) === codeOf(sorted, was) : v === was) continue;
        for (let g = 0; g < F; g++) (stack[g] as Float64Array)[rows] = g === f ? v : ((Xs[g] as Float64Array)[k] as number);
        toCopy[rows] = c;
        toRow[rows] = k;
        if (++rows === toCopy.length) await flush();
      }
    }
  }
  await flush();
  return Array.from({ length: F }, (_, f) => Array.from({ length: repeats }, (_, r) => base - rocAuc(ys, scores[f * repeats + r] as Float64Array)));
}
