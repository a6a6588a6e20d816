import { type Confusion, confusion } from "./confusion.js";
import { formatFixed } from "./format.js";
import { f1From, precisionFrom, recallFrom } from "./threshold-metrics.js";

const pad = (s: string, w: number) => s.padStart(w);

/**
 * The text of scikit-learn's `classification_report(yTrue, yPred, digits)`, character for character,
 * with class names (default "0" and "1").
 */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: { digits?: number; targetNames?: readonly [string, string] } = {},
): string {
  const digits = options.digits ?? 2;
  const names = options.targetNames ?? ["0", "1"];
  const c = confusion(yTrue, yPred);
  // Class 0's view swaps the roles of positives and negatives.
  const c0: Confusion = { tp: c.tn, tn: c.tp, fp: c.fn, fn: c.fp };
  const rows = [
    { name: names[0], p: precisionFrom(c0), r: recallFrom(c0), f: f1From(c0), s: c.tn + c.fp },
    { name: names[1], p: precisionFrom(c), r: recallFrom(c), f: f1From(c), s: c.tp + c.fn },
  ] as const;
  const total = rows[0].s + rows[1].s;
  const width = Math.max(...names.map((n) => n.length), "weighted avg".length, digits);
  const num = (x: number) => ` ${pad(formatFixed(x, digits), 9)}`;
  // scikit-learn's pathological case: with no correct prediction at all its counts become floats,
  // and the support column prints "2.0" instead of "2".
  const support = (s: number) => (c.tp + c.tn === 0 ? `${s}.0` : String(s));
  const line = (name: string, p: number, r: number, f: number, s: number) => `${pad(name, width)} ${num(p)}${num(r)}${num(f)} ${pad(support(s), 9)}\n`;
  let out = `${pad("", width)} ${["precision", "recall", "f1-score", "support"].map((h) => ` ${pad(h, 9)}`).join("")}\n\n`;
  for (const row of rows) out += line(row.name, row.p, row.r, row.f, row.s);
  out += "\n";
  const acc = total === 0 ? 0 : (c.tp + c.tn) / total;
  out += `${pad("accuracy", width)} ${` ${pad("", 9)}`.repeat(2)}${num(acc)} ${pad(support(total), 9)}\n`;
  const macro = (k: "p" | "r" | "f") => (rows[0][k] + rows[1][k]) / 2;
  const weighted = (k: "p" | "r" | "f") => (total === 0 ? 0 : (rows[0][k] * rows[0].s + rows[1][k] * rows[1].s) / total);
  out += line("macro avg", macro("p"), macro("r"), macro("f"), total);
  out += line("weighted avg", weighted("p"), weighted("r"), weighted("f"), total);
  return out;
}
