import { parseCsv } from "./parser.js";
import { WHITESPACE, whitespaceToTabs } from "./whitespace.js";

const CANDIDATES = [",", ";", "\t", "|"] as const;

/**
 * Picks the delimiter whose field count is most consistent (and largest) over the sample's first
 * lines. Runs of white space ({@link WHITESPACE}) are the last resort, chosen only when no single
 * character splits every line alike: a comma-separated file whose values hold spaces must stay one.
 */
export function detectDelimiter(sample: string): string {
  const text = cutAtLastNewline(sample);
  let best: string = ",";
  let bestScore = -1;
  let bestEven = false;
  for (const d of CANDIDATES) {
    const split = splitOf(text, d);
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
 */
function splitOf(text: string, delimiter: string): { score: number; even: boolean } | undefined {
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter })
      .slice(0, 50)
      .map((r) => r.fields);
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
 * A first row is a header when none of its cells is a number while some later row has a number
 * in a column, or — every cell text — when most of its cells never appear again in their column
 * (a column may be named after one of its values: "urban" holding urban and rural).
 */
export function detectHeader(sample: string, delimiter: string): boolean {
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
  if (first.some((c) => NUMBERISH.test(c))) return false;
  const rest = records.slice(1);
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

function cutAtLastNewline(sample: string): string {
  const i = Math.max(sample.lastIndexOf("\n"), sample.lastIndexOf("\r"));
  return i > 0 ? sample.slice(0, i + 1) : sample;
}
