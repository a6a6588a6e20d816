import type { ColumnFacts } from "../internal/profile.js";
import type { ResolvedEtlOptions } from "../options.js";

/**
 * A word such as `None` or `NA` in the target is read as missing (a default missing token, as in
 * pandas) and its row rejected as `missing_target` — right for a gap, wrong where the word is a class
 * ("None" for no damage, "NA" for North America). The rejects file says so row by row; these say it
 * once, with the setting that keeps the word, where a user looks: the error about the target's classes
 * and the run's warnings.
 */

/** Below this share of the rows, target values read as missing through a token are not warned about. */
const WARN_SHARE = 0.01;

/** A column's cells read as missing through a token, the most frequent token first. */
export function tokensOf(column: ColumnFacts): [string, number][] {
  return [...(column.missingTokens ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** What keeps `tokens` as values of the target: the file-wide list without them, or the column's own without them. */
function keepAdvice(tokens: readonly string[], opts: ResolvedEtlOptions): string {
  const quoteShell = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const fileWide = opts.missingTokens.filter((t) => !tokens.includes(t.trim()));
  const own = opts.rules[opts.target]?.missingTokens;
  const parts: string[] = [];
  if (fileWide.length !== opts.missingTokens.length) parts.push(`--set ${quoteShell(`etl.missingTokens=${JSON.stringify(fileWide)}`)}`);
  const ownLeft = own?.filter((t) => !tokens.includes(t.trim()));
  if (own && ownLeft && ownLeft.length !== own.length)
    parts.push(`etl.rules.${opts.target}.missingTokens without ${tokens.map((t) => JSON.stringify(t)).join(", ")}`);
  return parts.join(" and ");
}

/** `"None", a missing token`, or `missing tokens ("None" 8000 times, "NA" 939)`: what emptied the cells. */
function describe(tokens: [string, number][]): string {
  if (tokens.length === 1) return `"${(tokens[0] as [string, number])[0]}", a missing token (etl.missingTokens)`;
  const shown = tokens.slice(0, 3).map(([t, n], k) => `"${t}" ${n}${k === 0 ? " times" : ""}`);
  return `missing tokens (etl.missingTokens: ${shown.join(", ")}${tokens.length > 3 ? `, and ${tokens.length - 3} more` : ""})`;
}

/** The other class of a flag written only where it is set: 1 → 0, Yes → No, true → false; else "not X". */
export function complementOf(label: string): string {
  const pairs: [string, string][] = [
    ["1", "0"],
    ["1.0", "0"],
    ["yes", "no"],
    ["y", "n"],
    ["true", "false"],
    ["t", "f"],
  ];
  const lower = label.toLowerCase();
  const pair = pairs.find(([a]) => a === lower);
  if (!pair) return `not ${label}`;
  const [, other] = pair;
  if (label === label.toUpperCase() && label !== label.toLowerCase()) return other.toUpperCase();
  if (label[0] === (label[0] as string).toUpperCase() && label !== lower) return (other[0] as string).toUpperCase() + other.slice(1);
  return other;
}

/**
 * For the error that the target has not two classes: what its missing values hid ("" when nothing did) —
 * the cells missing tokens emptied (e.g. `; besides, 8939 of its values were read as missing because they
 * are "None"...`), and, for a single class, the blanks a `fill` can make the other one (a flag written only
 * where it is set).
 */
export function targetMissingNote(target: ColumnFacts, opts: ResolvedEtlOptions, labels: readonly string[]): string {
  const tokens = tokensOf(target);
  const blanks = target.missing - tokens.reduce((sum, [, n]) => sum + n, 0);
  let note = "";
  if (labels.length === 1 && blanks > 0) {
    const other = complementOf(labels[0] as string);
    const rule = JSON.stringify({ fill: other });
    note += `; besides, ${blanks} of its values are blank: if a blank means ${JSON.stringify(other)} here (a flag written only where it is set), fill them: --set 'etl.rules.${opts.target}=${rule.replaceAll("'", "'\\''")}'`;
  }
  return note + tokensNote(opts, tokens, note === "" ? "besides," : "and");
}

function tokensNote(opts: ResolvedEtlOptions, tokens: [string, number][], lead: string): string {
  if (tokens.length === 0) return "";
  const words = tokens.map(([t]) => t);
  const cells = tokens.reduce((sum, [, n]) => sum + n, 0);
  const one = words.length === 1;
  return `; ${lead} ${cells} of its values were read as missing because they are ${describe(tokens)}, and their rows rejected: if ${one ? "that is a class" : "those are classes"} here, not ${one ? "a gap" : "gaps"}, keep ${one ? "it" : "them"} with ${keepAdvice(words, opts)}`;
}

/**
 * A warning when missing tokens, not blanks, emptied at least 1% of the rows' target (their rows are
 * rejected as missing_target); undefined otherwise.
 */
export function targetTokensWarning(target: ColumnFacts, rows: number, opts: ResolvedEtlOptions): string | undefined {
  const tokens = tokensOf(target);
  const cells = tokens.reduce((sum, [, n]) => sum + n, 0);
  if (cells === 0 || cells < WARN_SHARE * rows) return undefined;
  const words = tokens.map(([t]) => t);
  const share = ((100 * cells) / rows).toFixed(cells === rows ? 0 : 1);
  const it = words.length === 1 ? `"${words[0]}" is a value` : "those are values";
  return (
    `${cells} rows (${share}%) were rejected as missing_target because their target "${opts.target}" holds ${describe(tokens)}, not a blank: ` +
    `if ${it} of ${opts.target} here, keep ${words.length === 1 ? "it" : "them"} with ${keepAdvice(words, opts)}`
  );
}
