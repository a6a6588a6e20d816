import { ModelError } from "../errors.js";
import { Random } from "../random.js";

export interface TrainTestSplit {
  train: Int32Array;
  test: Int32Array;
}

function indicesByClass(y: Uint8Array): [number[], number[]] {
  const byClass: [number[], number[]] = [[], []];
  for (let i = 0; i < y.length; i++) byClass[y[i] as 0 | 1].push(i);
  return byClass;
}

/**
 * A stratified train/test split: each class is shuffled with the seeded generator and the same share
 * of it goes to the test rows, so both sides keep the class balance. Indices come back sorted.
 */
export function stratifiedSplit(y: Uint8Array, testSize: number, seed: number): TrainTestSplit {
  if (!(testSize > 0 && testSize < 1)) throw new ModelError(`test size must be between 0 and 1 (got ${testSize})`);
  const rng = new Random(seed);
  const train: number[] = [];
  const test: number[] = [];
  const nTest = Math.ceil(testSize * y.length);
  const classes = indicesByClass(y);
  let assigned = 0;
  classes.forEach((rows, k) => {
    rng.shuffle(rows);
    // The last class takes what rounding left, so the total test size is exact.
    const share = k === classes.length - 1 ? nTest - assigned : Math.round((rows.length * nTest) / y.length);
    assigned += share;
    // One by one: spreading hundreds of thousands of rows as arguments overflows the stack.
    for (let r = 0; r < rows.length; r++) (r < share ? test : train).push(rows[r] as number);
  });
  for (const [name, side] of [
    ["training", train],
    ["test", test],
  ] as const) {
    let pos = 0;
    for (const i of side) pos += y[i] as number;
    if (pos === 0 || pos === side.length) {
      throw new ModelError(`the ${name} rows hold one class only: the data has too few rows of a class for a ${testSize} test split`);
    }
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

/** Stratified k folds: yields k train/test splits whose test parts partition the rows. */
export function stratifiedKFold(y: Uint8Array, k: number, seed: number): TrainTestSplit[] {
  if (!Number.isInteger(k) || k < 2) throw new ModelError(`cross-validation needs at least 2 folds (got ${k})`);
  const rng = new Random(seed);
  const fold = new Int32Array(y.length);
  for (const rows of indicesByClass(y)) {
    if (rows.length < k) throw new ModelError(`a class has ${rows.length} rows, fewer than the ${k} folds asked for`);
    rng.shuffle(rows);
    rows.forEach((row, i) => {
      fold[row] = i % k;
    });
  }
  const out: TrainTestSplit[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}
