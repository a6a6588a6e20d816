import type { Frame } from "../frame.js";
import { binaryMetrics } from "../metrics/evaluate.js";
import type { Preprocessor } from "../preprocess/preprocessor.js";

export interface LogisticOptions {
  /** Full-batch optimisation steps (Adam). */
  steps?: number;
  learningRate?: number;
  /** L2 penalty on the weights (not the intercept). */
  l2?: number;
}

export interface BaselineResult {
  name: string;
  roc_auc: number;
  accuracy: number;
  f1: number;
  log_loss: number;
}

/**
 * Design matrix for a linear model from the forest's preprocessing: numeric columns standardised
 * with training means and deviations, categorical codes one-hot encoded (one column per level).
 */
function designMatrix(pre: Preprocessor, frame: Frame, rows: Int32Array, scale?: { mean: number[]; sd: number[] }) {
  const X = pre.transform(frame, rows);
  const width: number[] = [];
  for (const s of pre.specs) {
    if (s.kind === "numeric") {
      width.push(1);
      if (s.indicator) width.push(1);
    } else width.push(s.levels.length);
  }
  const isCat: boolean[] = [];
  for (const s of pre.specs) {
    if (s.kind === "numeric") {
      isCat.push(false);
      if (s.indicator) isCat.push(false);
    } else isCat.push(true);
  }
  const cols = width.reduce((a, b) => a + b, 0);
  const n = rows.length;
  const mean: number[] = scale?.mean ?? [];
  const sd: number[] = scale?.sd ?? [];
  if (!scale) {
    X.forEach((col, j) => {
      if (isCat[j]) {
        mean.push(0);
        sd.push(1);
        return;
      }
      let m = 0;
      for (const v of col) m += v;
      m /= n;
      let v2 = 0;
      for (const v of col) v2 += (v - m) ** 2;
      mean.push(m);
      sd.push(Math.sqrt(v2 / n) || 1);
    });
  }
  const data = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) {
    let at = i * cols;
    X.forEach((col, j) => {
      const v = col[i] as number;
      if (isCat[j]) {
        const w = width[j] as number;
        const code = Math.min(w - 1, Math.max(0, Math.round(v)));
        data[at + code] = 1;
        at += w;
      } else {
        data[at] = (v - (mean[j] as number)) / (sd[j] as number);
        at += 1;
      }
    });
  }
  return { data, n, cols, scale: { mean, sd } };
}

let ready: Promise<typeof import("@tensorflow/tfjs")> | undefined;

/** tfjs with its WebAssembly backend (the .wasm files ship in the npm package), quiet in production mode. */
function loadTf(): Promise<typeof import("@tensorflow/tfjs")> {
  ready ??= (async () => {
    const tf = await import("@tensorflow/tfjs");
    tf.enableProdMode();
    try {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const { createRequire } = await import("node:module");
      const { dirname, join } = await import("node:path");
      const dir = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json"));
      wasm.setWasmPaths(`${join(dir, "dist")}/`);
      if (await tf.setBackend("wasm")) return tf;
    } catch {
      // Fall back to the pure JavaScript backend below.
    }
    await tf.setBackend("cpu");
    return tf;
  })();
  return ready;
}

/**
 * A logistic-regression baseline trained with @tensorflow/tfjs (WebAssembly backend, CPU as a fallback;
 * tfjs-node does not install here): full-batch Adam on the same training rows and preprocessing as the forest, zero
 * initial weights (deterministic). Scored on the same test rows.
 */
export async function logisticBaseline(
  pre: Preprocessor,
  frame: Frame,
  y: Uint8Array,
  train: Int32Array,
  test: Int32Array,
  threshold: number,
  options: LogisticOptions = {},
): Promise<BaselineResult> {
  const tf = await loadTf();
  const steps = options.steps ?? 300;
  const lr = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 1e-4;
  const tr = designMatrix(pre, frame, train);
  const te = designMatrix(pre, frame, test, tr.scale);
  const yTrain = Float32Array.from(train, (i) => y[i] as number);
  const scores = tf.tidy(() => {
    const X = tf.tensor2d(tr.data, [tr.n, tr.cols]);
    const Y = tf.tensor2d(yTrain, [tr.n, 1]);
    const w = tf.variable(tf.zeros([tr.cols, 1]));
    const b = tf.variable(tf.zeros([1]));
    const opt = tf.train.adam(lr);
    for (let s = 0; s < steps; s++) {
      opt.minimize(() => {
        const logits = X.matMul(w).add(b);
        return tf.losses.sigmoidCrossEntropy(Y, logits).add(w.square().sum().mul(l2)) as import("@tensorflow/tfjs").Scalar;
      });
    }
    const Xt = tf.tensor2d(te.data, [te.n, te.cols]);
    return Xt.matMul(w).add(b).sigmoid().dataSync() as Float32Array;
  });
  const yTest = Uint8Array.from(test, (i) => y[i] as number);
  const p = Float64Array.from(scores);
  const m = binaryMetrics(yTest, p, threshold);
  return {
    name: `logistic regression (tfjs ${tf.getBackend()}, ${steps} Adam steps)`,
    roc_auc: m.roc_auc,
    accuracy: m.accuracy,
    f1: m.f1,
    log_loss: m.log_loss,
  };
}
