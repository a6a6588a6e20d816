import { parseCsv } from "./parser.js";
import { WHITESPACE, whitespaceToTabs } from "./whitespace.js";

const CANDIDATES = [",", ";", "\t", "|"] as const;

/**
 * Picks the delimiter whose field count is most consistent (and largest) over the sample's first
 * lines. Runs of white space ({@link WHITESPACE}) are the last resort, chosen only when no single
 * character splits every line alike: a comma-separated file whose values hold spaces must stay one.
 */
export function detectDelimiter(sample: string, parsed?: Map<string, string[][]>): string {
  const text = cutAtLastNewline(sample);
  let best: string = ",";
  let bestScore = -1;
  let bestEven = false;
  for (const d of CANDIDATES) {
    const split = splitOf(text, d, parsed);
    if (split && split.score > bestScore) {
      bestScore = split.score;
      bestEven = split.even;
      best = d;
    }
  }
  if (bestEven) return best;
  const runs = splitOf(whitespaceToTabs(text), "\t");
  return runs?.even && runs.score > bestScore ? WHITESPACE : best;
}

/**
 * How well `delimiter` splits the first 50 records: a score of 1,000 × the share as wide as the first
 * plus that width, and whether all are; undefined when it cannot split them in two or more fields.
 * Every record parsed goes into `parsed` (by delimiter), for whoever reads the sample next.
 */
function splitOf(text: string, delimiter: string, parsed?: Map<string, string[][]>): { score: number; even: boolean } | undefined {
  let records: string[][];
  try {
    const all = parseCsv(text, { delimiter }).map((r) => r.fields);
    parsed?.set(delimiter, all);
    records = all.slice(0, 50);
  } catch {
    return undefined;
  }
  if (records.length === 0) return undefined;
  const width = records[0]?.length ?? 0;
  if (width < 2) return undefined;
  const alike = records.filter((r) => r.length === width).length;
  return { score: (alike / records.length) * 1000 + Math.min(width, 999), even: alike === records.length };
}

const NUMBERISH = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** In an all-text file, the first row is a header when at least this share of its cells never appear again in their column. */
const UNSEEN_SHARE = 0.6;

/**
 * A first row is a header when it holds one of `expectedNames` as a whole field; when none of its
 * cells is a number while some later row has a number in a column; or — every cell text — when most
 * of its cells never appear again in their column (a column may be named after one of its values:
 * "urban" holding urban and rural).
 */
export function detectHeader(sample: string, delimiter: string, expectedNames: readonly string[] = []): boolean {
  let records: string[][];
  try {
    const text = cutAtLastNewline(sample);
    records = parseCsv(delimiter === WHITESPACE ? whitespaceToTabs(text) : text, { delimiter: delimiter === WHITESPACE ? "\t" : delimiter })
      .slice(0, 50)
      .map((r) => r.fields);
  } catch {
    // A broken sample (an unterminated quote...) is reported by the full parse, with the file's name.
    return true;
  }
  const first = records[0];
  if (!first) return true;
  // A name the caller looks for (the target) as a whole field of the first row: that row names the
  // columns, whatever else it holds (years as column names: "id,2019,2020,churned").
  if (expectedNames.length > 0 && first.some((c) => expectedNames.includes(c.trim()))) return true;
  const rest = records.slice(1);
  if (first.some((c) => NUMBERISH.test(c))) return wordsOverNumbers(first, rest);
  if (rest.length === 0) return true;
  // Blank names (trailing delimiters, unnamed columns) neither make nor break a header.
  for (let j = 0; j < first.length; j++) {
    if ((first[j] as string).trim() !== "" && rest.some((r) => NUMBERISH.test(r[j] ?? ""))) return true;
  }
  // All text: a header if most of its cells never appear again in their column.
  const named = first.map((c, j) => ({ c, j })).filter(({ c }) => c.trim() !== "");
  if (named.length === 0) return true;
  const unseen = named.filter(({ c, j }) => rest.every((r) => r[j] !== c)).length;
  return unseen >= UNSEEN_SHARE * named.length;
}

/**
 * A first row with numbers in it is still a header when in at least half of the columns it holds a word
 * above a column of numbers (scikit-learn's iris.csv starts "150,4,setosa,versicolor,virginica" above
 * rows of numbers). One odd word above numbers (a data row with a stray token) is not enough: taking a
 * data row for the header would lose it.
 */
function wordsOverNumbers(first: readonly string[], rest: readonly (readonly string[])[]): boolean {
  if (rest.length < 3) return false;
  let words = 0;
  for (let j = 0; j < first.length; j++) {
    const cell = (first[j] as string).trim();
    if (cell === "" || NUMBERISH.test(cell) || MISSING_WORDS.has(cell)) continue;
    const below = rest.map((r) => (r[j] ?? "").trim()).filter((v) => v !== "" && !MISSING_WORDS.has(v));
    if (below.length >= 3 && below.every((v) => NUMBERISH.test(v))) words++;
  }
  return words > 0 && 2 * words >= first.length;
}

/** Tokens that stand for a missing value, not a name (a subset of the ETL's defaults: detection runs before options apply). */
const MISSING_WORDS = new Set(["NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "?", "-"]);

function cutAtLastNewline(sample: string): string {
  const i = Math.max(sample.lastIndexOf("\n"), sample.lastIndexOf("\r"));
  return i > 0 ? sample.slice(0, i + 1) : sample;
}
