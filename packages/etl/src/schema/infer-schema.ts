import { type NumberFormName, openCsv, type ReadCsvOptions } from "../csv/open.js";
import { recordFields } from "../csv/parser.js";
import { HeaderMatcher } from "../csv/repeated-header.js";
import { ConfigMismatchError, SchemaError } from "../errors.js";
import type { ByteSource } from "../extract/source.js";
import { ColumnValues } from "../internal/column-values.js";
import { LineMemo } from "../internal/line-memo.js";
import type { ColumnFacts, ColumnProfile } from "../internal/profile.js";
import { ESCAPED, RowStore } from "../internal/row-store.js";
import { hashBytes, hashBytes2, type RecordView } from "../internal/tokenizer.js";
import { parseNumber } from "../internal/values.js";
import { type EtlOptions, type ResolvedEtlOptions, resolveOptions } from "../options.js";
import { type Binning, binLabels, cutEdges, equalWidthEdges, quantileEdges } from "../rules/discretize.js";
import { leavesPlainNumbers, typedRules } from "../rules/index.js";
import { makeCellNormaliser, type Normaliser } from "../rules/normalise.js";
import { type DuplicatesDecision, decideDuplicates, observedPairsByReading, PairsWhileProfiling } from "./duplicates.js";
import { buildColumnSchema } from "./infer.js";
import { targetMissingNote } from "./target-tokens.js";
import type { ColumnSchema } from "./types.js";

/** What the profile pass learnt: the file's layout, each column's planned schema, the classes, the bins. */
export interface InferredSchema {
  source: string;
  columns: string[];
  delimiter: string;
  hasHeader: boolean;
  encoding: "utf-8" | "latin1";
  /** The columns whose numbers were written in a local form (read plainly), by form. */
  numberForms?: { form: NumberFormName; columns: string[] }[];
  /** The file's encoding when it was UTF-16 (then read as its UTF-8 conversion). */
  convertedFrom?: "UTF-16LE" | "UTF-16BE" | "windows-1252";
  /** Records read after the header, ragged ones included. */
  rows: number;
  /** Type, role and drop reason of every column, from all rows. */
  planned: ColumnSchema[];
  profiles: ColumnProfile[];
  positiveClass: string;
  negativeClass: string;
  /** Fitted bins of the columns with a `discretize` rule. */
  binnings: (Binning | undefined)[];
  /** Whether rows that repeat an earlier row are dropped, and why. */
  duplicates: DuplicatesDecision;
  /** The header row as written, to recognise it when it appears again among the rows. */
  headerFields: string[] | undefined;
  /** @internal The per-value tables, handed to the clean pass so it need not read the values again. */
  values: ColumnValues[];
  /** @internal The rows as dictionary ids, when they fitted in memory: the clean pass replays them. */
  rowStore: RowStore | undefined;
  /** @internal */
  normalisers: Normaliser[];
  /** @internal */
  options: ResolvedEtlOptions;
  /** @internal Set by the clean pass, which may run once per inference. */
  cleaned?: boolean;
}

export interface ProfileProgress {
  pass: "profile";
  rows: number;
}

/** How many distinct raw values all columns together keep in their dictionaries (about 100 MB at most). */
const DICTIONARY_BUDGET = 1 << 19;

/**
 * The profile pass: streams the source once, counts every distinct value of every column, and
 * decides the schema (types, roles, dropped columns with reasons), the two classes and the bins.
 */
export async function inferSchema(source: ByteSource, options: EtlOptions, onProgress?: (p: ProfileProgress) => void): Promise<InferredSchema> {
  const opts = resolveOptions(options);
  const csv = await openCsv(source, firstReadOptions(opts));
  const { columns } = csv;
  checkNamedColumns(columns, opts, source.name, csv);
  const targetIndex = columns.indexOf(opts.target);
  const width = columns.length;
  const perColumn = Math.min(ESCAPED, Math.max(4096, Math.floor(DICTIONARY_BUDGET / width)));
  const normalisers = columns.map((c) => makeCellNormaliser(opts.missingTokens, opts.rules[c]));
  const values = columns.map(
    (c, j) =>
      new ColumnValues(
        c,
        normalisers[j] as Normaliser,
        csv.fieldEncoding,
        perColumn,
        opts.rules[c]?.discretize?.method === "quantile",
        j,
        leavesPlainNumbers(opts.missingTokens, opts.rules[c]),
      ),
  );
  const store = new RowStore(width, opts.inMemoryCells);
  // Repeated lines are recognised whole and counted per record at the end (see settleRepeats).
  const memo = opts.inMemoryCells > 0 ? new LineMemo() : undefined;
  // Identical pairs, for the duplicates policy: from the stored rows, or counted on the way once they are not stored.
  const pairs = new PairsWhileProfiling(width);
  const size = (await source.size()) ?? 0;
  /** The store gives up, at the row in `view` when there is one (its length estimates the file's rows). */
  const abandonRows = (view?: RecordView, expectedRows = 0) => {
    settleRepeats(store, values);
    const rowBytes = view ? (view.ends[view.count - 1] as number) - (view.starts[0] as number) + 1 : 0;
    pairs.startCounting(store, rowBytes > 0 ? Math.ceil((1.1 * size) / rowBytes) : expectedRows);
    store.abandon();
    memo?.stop();
    for (const v of values) v.idsNoLongerNeeded();
  };
  if (!memo) {
    pairs.startCounting(store, size > 0 ? Math.ceil(size / 64) : 0);
    store.abandon();
    for (const v of values) v.idsNoLongerNeeded();
  }
  // The header again among the rows (files joined end to end) is not data: it is kept aside, not profiled.
  const header = csv.headerFields ? new HeaderMatcher(csv.headerFields, csv.fieldEncoding) : undefined;
  let rows = 0;
  let setAside = 0;
  // Rows whose field count is not the header's, and the count of the first of them.
  let ragged = 0;
  let raggedWidth = 0;
  const visit = (view: RecordView) => {
    rows++;
    const { bytes, starts, ends, hashes, hashes2, line } = view;
    if (view.count !== width || header?.matches(view)) {
      setAside++;
      if (view.count !== width && ragged++ === 0) raggedWidth = view.count;
      if (!store.abandoned && !store.addRagged(line, recordFields(view, csv.fieldEncoding), view.count !== width ? "ragged" : "header")) abandonRows();
      return;
    }
    if (store.abandoned) {
      for (let j = 0; j < width; j++)
        (values[j] as ColumnValues).count(bytes, starts[j] as number, ends[j] as number, hashes[j] as number, hashes2[j] as number, line);
      pairs.add(view);
      return;
    }
    const ids = store.begin(line);
    const offset = store.offset;
    for (let j = 0; j < width; j++) {
      const start = starts[j] as number;
      const end = ends[j] as number;
      const id = (values[j] as ColumnValues).count(bytes, start, end, hashes[j] as number, hashes2[j] as number, line);
      // A value its dictionary could not take is kept as bytes (an identifier, an amount that rarely repeats).
      if (id < 0) {
        store.escape(bytes, start, end);
        ids[offset + j] = ESCAPED;
      } else ids[offset + j] = id;
    }
    const record = store.commit();
    if (record < 0) {
      // Committed past the budget: the last record of the store, counted with it.
      pairs.remember(store.records - 1, view);
      abandonRows(view);
      return;
    }
    pairs.remember(record, view);
    if (view.lineEnd >= 0) memo?.add(bytes, view.lineStart, view.lineEnd, view.lineHash, record);
  };
  const repeat = (record: number, line: number) => {
    rows++;
    // The record's cells kept as bytes are counted now, as read (settleRepeats counts the others at the end).
    const escaped = store.escapesOf(record);
    if (escaped >= 0) countEscaped(store, values, record, escaped, line);
    if (!store.repeat(record, line)) abandonRows();
  };
  for await (const n of csv.scan(visit, memo ? { memo, repeat } : undefined)) {
    onProgress?.({ pass: "profile", rows: n });
    // A file far past the budget is read twice anyway: giving up early saves keeping its first rows. (A
    // gzip file's size is less than the bytes it unpacks to: it is never judged, the budget alone decides.)
    if (!store.abandoned && size > 0 && store.wontFit(csv.bytesScanned, size)) abandonRows(undefined, Math.ceil((1.1 * rows * size) / csv.bytesScanned));
  }
  if (!store.abandoned) settleRepeats(store, values);
  memo?.stop();
  if (rows === 0) throw new SchemaError(`${source.name} has a header but no data rows`);
  const profiles = values.map((v) => v.profile());
  const planned = profiles.map((p) => buildColumnSchema(p, rows, opts));
  checkRuleTypes(planned, profiles, opts, source.name);
  // Counted from the rows kept in memory, or by reading the source once more: the same count either way.
  const duplicates = await decideDuplicates(opts.duplicates, profiles, rows - setAside, () =>
    store.abandoned
      ? (pairs.pairs ??
        observedPairsByReading(
          source,
          {
            delimiter: csv.delimiter,
            hasHeader: csv.hasHeader,
            columns,
            headerFields: csv.headerFields,
            encoding: csv.encoding,
            reading: valueReading(opts),
          },
          rows - setAside,
        ))
      : pairs.countStored(store),
  );
  for (const p of profiles) p.settleDistinct();
  checkRowWidths(source.name, width, rows, { rows: ragged, width: raggedWidth });
  const binnings = columns.map((name, j) =>
    fitBins(name, planned[j] as ColumnSchema, profiles[j] as ColumnProfile, opts, () => (values[j] as ColumnValues).weightedNumbers()),
  );
  const { positive, negative } = chooseClasses(profiles[targetIndex] as ColumnProfile, opts, binnings[targetIndex]);
  return {
    source: source.name,
    columns,
    delimiter: csv.delimiter,
    hasHeader: csv.hasHeader,
    encoding: csv.encoding,
    ...(csv.convertedFrom ? { convertedFrom: csv.convertedFrom } : {}),
    ...(csv.numberForms ? { numberForms: csv.numberForms } : {}),
    rows,
    planned,
    profiles,
    positiveClass: positive,
    negativeClass: negative,
    binnings,
    duplicates,
    headerFields: csv.headerFields,
    values,
    rowStore: store.abandoned ? undefined : store,
    normalisers,
    options: opts,
  };
}

/**
 * Most rows disagreeing with the first line's field count: that line is not one of them (a title, a line
 * of counts above rows without names) or the fields are split wrongly. A SchemaError with the way out,
 * rather than an ETL that keeps a handful of rows (or a class count that misleads).
 */
export function checkRowWidths(name: string, width: number, rows: number, ragged: { rows: number; width: number }): void {
  if (2 * ragged.rows <= rows) return;
  throw new SchemaError(
    `${ragged.rows} of the ${rows} rows of ${name} do not have the ${width} field${width === 1 ? "" : "s"} of its first line (the first of them has ${ragged.width}): if that line is not the header, pass --skip-lines 1 (with --no-header when no line names the columns); if the fields are split wrongly, pass --delimiter`,
  );
}

/**
 * How the file's values are written — comment lines, lines above the header, number marks, missing
 * tokens —: the same on every read of it (the profile pass, the clean pass, the engines' staging).
 */
export function valueReading(opts: ResolvedEtlOptions): ReadCsvOptions {
  return {
    ...(opts.comment !== undefined ? { comment: opts.comment } : {}),
    ...(opts.skipLines ? { skipLines: opts.skipLines } : {}),
    ...(opts.decimal !== undefined ? { decimal: opts.decimal } : {}),
    ...(opts.thousands !== undefined ? { thousands: opts.thousands } : {}),
    missingTokens: opts.missingTokens,
  };
}

/** A file's first read: the layout the options fix (the rest detected), how its values are written, the columns looked for. */
export function firstReadOptions(opts: ResolvedEtlOptions): ReadCsvOptions {
  return {
    ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
    ...(opts.header !== undefined ? { header: opts.header } : {}),
    ...(opts.columns !== undefined ? { columns: opts.columns } : {}),
    ...valueReading(opts),
    expectedNames: namedColumns(opts),
  };
}

/** The columns the options name (the target, the columns with rules): what tells a header row among rows of numbers. */
function namedColumns(opts: ResolvedEtlOptions): string[] {
  return [opts.target, ...Object.keys(opts.rules)];
}

/** The target, every column with rules and every dateOrder column must be in the data: a usage error naming the fix otherwise. */
export function checkNamedColumns(
  columns: readonly string[],
  opts: ResolvedEtlOptions,
  name: string,
  { namesOnLine, widthBelowFirst }: { namesOnLine?: number; widthBelowFirst?: number } = {},
): void {
  // A name the data spells otherwise (case, spaces, underscores, hyphens, dots: Kaggle's `capital.gain`
  // for UCI's `capital-gain`): named in the message, not guessed at.
  const squash = (n: string) => n.toLowerCase().replace(/[\s_.-]+/gu, "");
  const spelled = (wanted: string) => {
    const found = columns.filter((c) => squash(c) === squash(wanted));
    return found.length === 1 ? `did you mean "${found[0]}"? (names are matched as written); ` : "";
  };
  if (!columns.includes(opts.target)) {
    // A notice above the header ("# Data source: ...") becomes the one column name when nobody said it is a comment.
    const mark = opts.comment === undefined ? /^[#%]/u.exec(columns[0] ?? "")?.[0] : undefined;
    const hint = mark
      ? ` (the first line starts with "${mark}": if it is a comment, pass --comment "${mark}")`
      : namesOnLine !== undefined
        ? ` (line ${namesOnLine} names the columns: pass --skip-lines ${namesOnLine - 1} to skip the ${namesOnLine === 2 ? "line" : `${namesOnLine - 1} lines`} above it, which ${namesOnLine === 2 ? "is" : "are"} not the header)`
        : widthBelowFirst !== undefined
          ? ` (the first line has ${columns.length} field${columns.length === 1 ? "" : "s"} and the lines below it ${widthBelowFirst}: if that line is not the header, pass --skip-lines 1, with --no-header when no line names the columns)`
          : "";
    throw new ConfigMismatchError(
      `target column "${opts.target}" is not in ${name}; ${spelled(opts.target)}its columns are: ${columns.join(", ")}${hint}. Pass --target with one of them`,
    );
  }
  for (const column of Object.keys(opts.rules)) {
    if (!columns.includes(column)) {
      throw new ConfigMismatchError(
        `the config has rules for column "${column}", which ${name} does not have; ${spelled(column)}columns: ${columns.join(", ")}`,
      );
    }
  }
  for (const { before, after } of opts.dateOrder) {
    for (const column of [before, after]) {
      if (!columns.includes(column))
        throw new ConfigMismatchError(`dateOrder names a column ${name} does not have: ${column}; ${spelled(column)}columns: ${columns.join(", ")}`);
    }
  }
}

/**
 * Counts the cells of the rows that repeated a stored record (they were not counted one by one); cells
 * kept as bytes were counted as each repeat was read.
 */
function settleRepeats(store: RowStore, values: ColumnValues[]): void {
  for (let record = 0; record < store.records; record++) {
    const repeats = store.repeatsOf(record);
    if (repeats === 0) continue;
    const ids = store.idsOf(record);
    for (let j = 0; j < values.length; j++) {
      const id = ids[j] as number;
      if (id !== ESCAPED) (values[j] as ColumnValues).countRepeats(id, repeats);
    }
  }
}

/** Counts the cells of a repeated record that are kept as bytes, for the row at `line` (as if read there). */
function countEscaped(store: RowStore, values: ColumnValues[], record: number, first: number, line: number): void {
  const ids = store.idsOf(record);
  let k = first;
  for (let j = 0; j < values.length; j++) {
    if (ids[j] !== ESCAPED) continue;
    const { buffer, start, end } = store.escapedCell(k++);
    (values[j] as ColumnValues).count(buffer, start, end, hashBytes(buffer, start, end), hashBytes2(buffer, start, end), line);
  }
}

/**
 * A rule that needs a type, on a column that was read as another: an error before any row is
 * written, naming the rule, the column, the first value that made the difference and its line, and
 * the fix — never a rule skipped in silence.
 */
export function checkRuleTypes(planned: readonly ColumnSchema[], profiles: readonly ColumnFacts[], opts: ResolvedEtlOptions, file: string): void {
  const dateOrdered = new Set(opts.dateOrder.flatMap(({ before, after }) => [before, after]));
  planned.forEach((schema, j) => {
    const rules = opts.rules[schema.name];
    const profile = profiles[j] as ColumnFacts;
    if (schema.type === "empty") return;
    const typed = typedRules(rules);
    const numericRule = typed.find((r) => r.needs === "number")?.key;
    if (numericRule && schema.type !== "integer" && schema.type !== "float") {
      const example = profile.nonNumericExamples[0];
      const culprit = example ? `; line ${example.line} holds "${example.value}", which is not a number` : "";
      throw new ConfigMismatchError(
        `etl.rules.${schema.name}.${numericRule} needs a numeric column, but ${file} gives "${schema.name}" the type ${schema.type}${culprit}. ` +
          `Set etl.rules.${schema.name}.type to "float" (or "integer") so such values are rejected as type_mismatch (or read as missing with etl.onTypeMismatch: "missing"), or remove the rule`,
      );
    }
    const dateRule = typed.find((r) => r.needs === "date")?.key ?? (dateOrdered.has(schema.name) ? "dateOrder" : undefined);
    if (dateRule && schema.type !== "date") {
      const example = profile.nonDateExamples[0];
      const culprit = example ? `; line ${example.line} holds "${example.value}", which is not a date` : "";
      const key = dateRule === "dateOrder" ? "etl.dateOrder" : `etl.rules.${schema.name}.${dateRule}`;
      throw new ConfigMismatchError(
        `${key} needs a date column, but ${file} gives "${schema.name}" the type ${schema.type}${culprit}. ` +
          `Set etl.rules.${schema.name}.type to "date" so such values are rejected as type_mismatch (or read as missing with etl.onTypeMismatch: "missing"), or remove the rule`,
      );
    }
  });
}

/** The bins of a column with a `discretize` rule (quantile bins from its weighted numbers), undefined without one. */
export function fitBins(
  name: string,
  schema: ColumnSchema,
  profile: ColumnFacts,
  opts: ResolvedEtlOptions,
  weightedNumbers: () => { values: Float64Array; weights: Float64Array },
): Binning | undefined {
  const rule = opts.rules[name]?.discretize;
  if (!rule || schema.role === "dropped") return undefined;
  if (schema.type !== "integer" && schema.type !== "float") {
    throw new ConfigMismatchError(`etl.rules.${name}.discretize needs a numeric column, and "${name}" is ${schema.type}; remove the rule or set its type`);
  }
  let edges: number[];
  if (rule.method === "cuts") edges = cutEdges(profile.min, profile.max, rule.cuts ?? []);
  else {
    const bins = rule.bins as number;
    if (!Number.isInteger(bins) || bins < 2) {
      throw new ConfigMismatchError(`etl.rules.${name}.discretize.bins must be an integer of at least 2 (got ${rule.bins})`);
    }
    if (rule.method === "width") edges = equalWidthEdges(profile.min, profile.max, bins);
    else {
      const { values: numbers, weights } = weightedNumbers();
      edges = quantileEdges(numbers, weights, bins);
    }
  }
  if (edges.length < 2) throw new SchemaError(`column "${name}" has no numbers to fit bins on`);
  return { edges, labels: binLabels(edges, rule) };
}

/** Picks the positive and negative labels; the target must have exactly two. */
export function chooseClasses(target: ColumnFacts, opts: ResolvedEtlOptions, binning?: Binning): { positive: string; negative: string } {
  // A numeric target cut in two by etl.rules.<target>.discretize: its classes are the two bins, the upper one positive.
  if (binning) return binnedClasses(binning, opts);
  const labels = [...target.counts.keys()];
  if (labels.length > 2 && !target.distinctCapped) {
    const spelled = caseVariants(target.counts);
    if (spelled) {
      const rule = JSON.stringify({ recode: spelled });
      throw new SchemaError(
        `target "${opts.target}" has ${labels.length} classes (${labels.join(", ")}), two once spelled alike (upper and lower case, 1 and 1.0): spell each one way with etl.rules.${opts.target}.recode: --set 'etl.rules.${opts.target}=${rule.replaceAll("'", "'\\''")}'`,
      );
    }
  }
  if (labels.length !== 2) {
    const shown = labels.slice(0, 10).join(", ") + (labels.length > 10 ? ", ..." : "");
    throw new SchemaError(
      (labels.length < 2
        ? `target "${opts.target}" has ${labels.length} class${labels.length === 1 ? ` (${shown})` : "es"}; a binary classifier needs two`
        : `target "${opts.target}" has ${target.distinctCapped ? "over 1000" : labels.length} classes (${shown}); pipe trains binary classifiers: pick a two-class target, or make two classes of this one ${twoClassExample(target, opts)}`) +
        targetMissingNote(target, opts, labels),
    );
  }
  if (opts.positive !== undefined) {
    if (!labels.includes(opts.positive)) {
      throw new ConfigMismatchError(
        `positive class "${opts.positive}" is not a value of "${opts.target}" (${labels.join(", ")}); pass --positive with one of them`,
      );
    }
    return { positive: opts.positive, negative: labels.find((l) => l !== opts.positive) as string };
  }
  const sorted = labels.sort(compareLabels);
  return { positive: sorted[1] as string, negative: sorted[0] as string };
}

/**
 * When the labels make two classes once spelled alike — case aside (`Yes`, `yes`), numbers by value
 * (`1`, `1.0`) — the recode map that spells each label as its class's most frequent spelling (only the
 * labels it changes); otherwise undefined.
 */
function caseVariants(counts: ReadonlyMap<string, number>): Record<string, string> | undefined {
  const classOf = (label: string) => {
    const n = parseNumber(label);
    return n === undefined ? label.toLowerCase() : `number ${n}`;
  };
  const classes = new Map<string, { spelling: string; count: number }>();
  for (const [label, count] of counts) {
    const key = classOf(label);
    const best = classes.get(key);
    if (!best || count > best.count) classes.set(key, { spelling: label, count });
  }
  if (classes.size !== 2) return undefined;
  const recode: Record<string, string> = {};
  for (const label of counts.keys()) {
    const spelling = (classes.get(classOf(label)) as { spelling: string }).spelling;
    if (spelling !== label) recode[label] = spelling;
  }
  return recode;
}

/**
 * A rule that keeps one label and pools every other: one way to make a many-class target binary. The
 * label is the positive class asked for when the target has it (with the flag that sets the rule,
 * ready to paste), else the most frequent one.
 */
function binnedClasses({ labels }: Binning, opts: ResolvedEtlOptions): { positive: string; negative: string } {
  if (labels.length !== 2) {
    throw new SchemaError(
      `etl.rules.${opts.target}.discretize cuts the target into ${labels.length} bin${labels.length === 1 ? "" : "s"} (${labels.join(", ")}); a binary classifier needs two: "bins": 2, or one number in "cuts" from the target's least value up to below its greatest${labels.length < 2 ? " (and a target with more than one value)" : ""}`,
    );
  }
  const [lower, upper] = labels as [string, string];
  if (opts.positive !== undefined && opts.positive !== lower && opts.positive !== upper) {
    throw new ConfigMismatchError(
      `positive class "${opts.positive}" is not one of the target's two bins (${lower}, ${upper}); pass --positive with one of them, or leave it out (the upper bin)`,
    );
  }
  return opts.positive === lower ? { positive: lower, negative: upper } : { positive: upper, negative: lower };
}

function twoClassExample(target: ColumnFacts, opts: ResolvedEtlOptions): string {
  // A numeric target with many values (a quantity to regress): a median split reads better than one value against the rest.
  const labels = [...target.counts.keys()];
  if ((labels.length > 10 || target.distinctCapped) && labels.every((l) => parseNumber(l) !== undefined)) {
    const rule = '{"discretize": {"method": "quantile", "bins": 2}}';
    return `with etl.rules.${opts.target}.discretize, e.g. cut at its median, the upper half positive: --set 'etl.rules.${opts.target}=${rule}'`;
  }
  let top = "";
  let most = -1;
  for (const [label, count] of target.counts) {
    if (count > most) {
      top = label;
      most = count;
    }
  }
  const asked = opts.positive !== undefined && target.counts.has(opts.positive);
  const kept = asked ? (opts.positive as string) : top;
  const rule = `{"recode": {${JSON.stringify(kept)}: ${JSON.stringify(kept)}}, "otherwise": ${JSON.stringify(asked ? `not ${kept}` : "other")}}`;
  return asked
    ? `with etl.rules.${opts.target}.recode and .otherwise, e.g. ${rule} (${JSON.stringify(kept)} against all the others): --set 'etl.rules.${opts.target}=${rule.replaceAll("'", "'\\''")}'`
    : `with etl.rules.${opts.target}.recode and .otherwise, e.g. ${rule} (${JSON.stringify(top)} against all the others)`;
}

/** Numbers compare as numbers, other labels as strings (so "0" < "1" and "No" < "Yes"). */
export function compareLabels(a: string, b: string): number {
  const na = parseNumber(a);
  const nb = parseNumber(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
