import { formatCsvRow } from "../csv/format.js";
import { readCsv } from "../csv/read.js";
import { ConfigMismatchError, SchemaError } from "../errors.js";
import type { ByteSource } from "../extract/source.js";
import { AtomicTextWriter } from "../load/atomic.js";
import { type EtlOptions, type ResolvedEtlOptions, resolveOptions } from "../options.js";
import { buildColumnSchema } from "../schema/infer.js";
import { ColumnProfile } from "../schema/profile.js";
import type { ColumnSchema, DatasetSchema } from "../schema/types.js";
import { isBooleanText, isDateText, parseNumber } from "../schema/values.js";
import { type CellCounts, emptyCellCounts, makeCellNormaliser } from "./cells.js";
import { RowHashSet } from "./row-hash-set.js";

/** The reasons a row can be rejected for; each is counted in the report. */
export type RejectRule =
  | "ragged_row"
  | "missing_target"
  | "required_missing"
  | "type_mismatch"
  | "out_of_range"
  | "not_allowed_value"
  | "date_out_of_range"
  | "date_order"
  | "duplicate_row";

export interface EtlReport {
  input: string;
  bytes: number | null;
  encoding: "utf-8" | "latin1";
  delimiter: string;
  has_header: boolean;
  columns_in: number;
  columns_out: number;
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  rejected_by_rule: Partial<Record<RejectRule, number>>;
  cells: CellCounts & { type_mismatch_as_missing: number };
  dropped_columns: { name: string; reason: string }[];
  target: string;
  positive_class: string;
  class_counts: Record<string, number>;
  warnings: string[];
}

export interface EtlOutputs {
  /** Where the cleaned rows go (CSV). */
  processed: string;
  /** Where rejected rows go, with line, rule, column and detail (CSV). */
  rejected: string;
}

export interface EtlProgress {
  pass: "profile" | "clean";
  rows: number;
}

export interface EtlResult {
  schema: DatasetSchema;
  report: EtlReport;
}

const LARGE_INPUT = 100 * 1024 * 1024;

/**
 * Extract → infer → clean → load in two streaming passes: the first profiles every column to decide
 * the schema, the second applies the rules and writes the processed and rejected rows atomically.
 */
export async function runEtl(source: ByteSource, options: EtlOptions, outputs: EtlOutputs, onProgress?: (p: EtlProgress) => void): Promise<EtlResult> {
  const opts = resolveOptions(options);
  const bytes = (await source.size()) ?? null;
  const warnings: string[] = [];
  if (bytes !== null && bytes > LARGE_INPUT) {
    warnings.push(`the input is ${(bytes / 1048576).toFixed(0)} MB: keep files over 100 MB in object storage (s3://...) rather than in git`);
  }

  // Pass 1: profile.
  const first = await readCsv(source, csvOptions(opts));
  const { columns, delimiter, hasHeader } = first;
  const targetIndex = columns.indexOf(opts.target);
  if (targetIndex < 0) {
    throw new ConfigMismatchError(
      `target column "${opts.target}" is not in ${source.name}; its columns are: ${columns.join(", ")}. Pass --target with one of them`,
    );
  }
  for (const name of Object.keys(opts.rules)) {
    if (!columns.includes(name)) {
      throw new ConfigMismatchError(`the config has rules for column "${name}", which ${source.name} does not have; columns: ${columns.join(", ")}`);
    }
  }
  const normalisers = columns.map((c) => makeCellNormaliser(opts.missingTokens, opts.rules[c]));
  const profiles = columns.map((c) => new ColumnProfile(c));
  let rowsIn = 0;
  for await (const batch of first.batches) {
    for (const record of batch) {
      rowsIn++;
      if (record.fields.length !== columns.length) continue;
      for (let j = 0; j < columns.length; j++) {
        (profiles[j] as ColumnProfile).add((normalisers[j] as (s: string) => string)(record.fields[j] as string), record.line);
      }
    }
    if (onProgress) onProgress({ pass: "profile", rows: rowsIn });
  }
  const encoding = first.encoding;
  if (rowsIn === 0) throw new SchemaError(`${source.name} has a header but no data rows`);
  const planned = profiles.map((p) => buildColumnSchema(p, rowsIn, opts));
  const { positive, negative } = chooseClasses(profiles[targetIndex] as ColumnProfile, opts);

  // Pass 2: clean and write.
  const cells = { ...emptyCellCounts(), type_mismatch_as_missing: 0 };
  const cleaners = columns.map((c) => makeCellNormaliser(opts.missingTokens, opts.rules[c], cells));
  const kept = planned.map((s, j) => (s.role === "dropped" ? -1 : j)).filter((j) => j >= 0);
  const checks = planned.map((s) => makeChecker(s, opts));
  const finalProfiles = kept.map((j) => new ColumnProfile(columns[j] as string));
  const processed = new AtomicTextWriter(outputs.processed);
  const rejected = new AtomicTextWriter(outputs.rejected);
  const rejectedByRule: Partial<Record<RejectRule, number>> = {};
  const seen = new RowHashSet();
  const dateOrder = opts.dateOrder.map(({ before, after }) => {
    const b = columns.indexOf(before);
    const a = columns.indexOf(after);
    if (b < 0 || a < 0) throw new ConfigMismatchError(`dateOrder names a column the data does not have: ${b < 0 ? before : after}`);
    return { b, a, before, after };
  });
  let rowsOut = 0;
  let rowsRejected = 0;
  let rowsSeen = 0;
  const reject = async (line: number, rule: RejectRule, column: string, detail: string, fields: string[]) => {
    rowsRejected++;
    rejectedByRule[rule] = (rejectedByRule[rule] ?? 0) + 1;
    await rejected.write(formatCsvRow([String(line), rule, column, detail, ...fields]));
  };
  try {
    await processed.write(formatCsvRow(kept.map((j) => columns[j] as string)));
    await rejected.write(formatCsvRow(["source_line", "rule", "column", "detail", ...columns]));
    const second = await readCsv(source, { delimiter, header: hasHeader, columns });
    const values: string[] = new Array(columns.length);
    for await (const batch of second.batches) {
      if (onProgress) onProgress({ pass: "clean", rows: rowsSeen });
      rows: for (const record of batch) {
        rowsSeen++;
        const raw = record.fields;
        if (raw.length !== columns.length) {
          await reject(record.line, "ragged_row", "", `expected ${columns.length} fields, found ${raw.length}`, raw);
          continue;
        }
        for (let j = 0; j < columns.length; j++) values[j] = (cleaners[j] as (s: string) => string)(raw[j] as string);
        if (values[targetIndex] === "") {
          await reject(record.line, "missing_target", opts.target, "the target is missing", raw);
          continue;
        }
        for (let j = 0; j < columns.length; j++) {
          const check = checks[j];
          if (!check) continue;
          const fault = check(values[j] as string);
          if (fault === undefined) continue;
          if (fault.rule === "type_mismatch" && opts.onTypeMismatch === "missing") {
            values[j] = "";
            cells.type_mismatch_as_missing++;
            continue;
          }
          await reject(record.line, fault.rule, columns[j] as string, fault.detail, raw);
          continue rows;
        }
        for (const { b, a, before, after } of dateOrder) {
          const vb = values[b] as string;
          const va = values[a] as string;
          if (vb !== "" && va !== "" && Date.parse(vb) > Date.parse(va)) {
            await reject(record.line, "date_order", before, `${before} ${vb} is after ${after} ${va}`, raw);
            continue rows;
          }
        }
        if (opts.dropDuplicates) {
          const firstLine = seen.addOrGet(values, record.line);
          if (firstLine >= 0) {
            await reject(record.line, "duplicate_row", "", `same values as line ${firstLine}`, raw);
            continue;
          }
        }
        const out = kept.map((j) => values[j] as string);
        for (let k = 0; k < kept.length; k++) (finalProfiles[k] as ColumnProfile).add(out[k] as string, record.line);
        await processed.write(formatCsvRow(out));
        rowsOut++;
      }
    }
    await processed.commit();
    await rejected.commit();
  } catch (error) {
    await processed.abort();
    await rejected.abort();
    throw error;
  }

  const finalColumns: ColumnSchema[] = kept.map((j, k) => {
    const plannedColumn = planned[j] as ColumnSchema;
    const rebuilt = buildColumnSchema(finalProfiles[k] as ColumnProfile, rowsOut, {
      ...opts,
      rules: { ...opts.rules, [plannedColumn.name]: { ...opts.rules[plannedColumn.name], type: plannedColumn.type } },
    });
    return { ...rebuilt, role: plannedColumn.role, type: plannedColumn.type, dropReason: undefined } as ColumnSchema;
  });
  for (const c of finalColumns) if (c.dropReason === undefined) delete c.dropReason;
  const droppedColumns = planned.filter((s) => s.role === "dropped").map((s) => ({ name: s.name, reason: s.dropReason ?? "" }));
  const targetProfile = finalProfiles[kept.indexOf(targetIndex)] as ColumnProfile;
  const classCounts: Record<string, number> = {};
  for (const [value, count] of targetProfile.counts) classCounts[value] = count;
  if (rowsOut === 0) throw new SchemaError(`every row of ${source.name} was rejected; see the rejects file for the reasons`);
  if (Object.keys(classCounts).length < 2) {
    throw new SchemaError(`after cleaning, the target "${opts.target}" has only the class ${Object.keys(classCounts).join(", ")}; a classifier needs two`);
  }
  const schema: DatasetSchema = {
    version: 1,
    target: opts.target,
    positiveClass: positive,
    negativeClass: negative,
    rows: rowsOut,
    columns: finalColumns,
  };
  const report: EtlReport = {
    input: source.name,
    bytes,
    encoding,
    delimiter,
    has_header: hasHeader,
    columns_in: columns.length,
    columns_out: kept.length,
    rows_in: rowsIn,
    rows_out: rowsOut,
    rows_rejected: rowsRejected,
    rejected_by_rule: rejectedByRule,
    cells,
    dropped_columns: droppedColumns,
    target: opts.target,
    positive_class: positive,
    class_counts: classCounts,
    warnings,
  };
  return { schema, report };
}

function csvOptions(opts: ResolvedEtlOptions) {
  return {
    ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
    ...(opts.header !== undefined ? { header: opts.header } : {}),
    ...(opts.columns !== undefined ? { columns: opts.columns } : {}),
  };
}

/** Picks the positive and negative labels; the target must have exactly two. */
function chooseClasses(target: ColumnProfile, opts: ResolvedEtlOptions): { positive: string; negative: string } {
  const labels = [...target.counts.keys()];
  if (labels.length !== 2) {
    const shown = labels.slice(0, 10).join(", ") + (labels.length > 10 ? ", ..." : "");
    throw new SchemaError(
      labels.length < 2
        ? `target "${opts.target}" has ${labels.length} class${labels.length === 1 ? ` (${shown})` : "es"}; a binary classifier needs two`
        : `target "${opts.target}" has ${target.distinctCapped ? "over 1000" : labels.length} classes (${shown}); pipe trains binary classifiers: pick a two-class target or recode it under etl.rules.${opts.target}.recode`,
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

/** Numbers compare as numbers, other labels as strings (so "0" < "1" and "No" < "Yes"). */
export function compareLabels(a: string, b: string): number {
  const na = parseNumber(a);
  const nb = parseNumber(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

type Fault = { rule: RejectRule; detail: string } | undefined;

/** The per-cell checks a column's schema and rules call for; undefined when there are none. */
function makeChecker(schema: ColumnSchema, opts: ResolvedEtlOptions): ((v: string) => Fault) | undefined {
  if (schema.role === "dropped") return undefined;
  const rules = opts.rules[schema.name];
  const numeric = schema.type === "integer" || schema.type === "float";
  const allowed = rules?.allowed ? new Set(rules.allowed) : undefined;
  const minDate = rules?.minDate ? Date.parse(rules.minDate) : undefined;
  const maxDate = rules?.maxDate ? Date.parse(rules.maxDate) : undefined;
  return (v: string): Fault => {
    if (v === "") {
      return rules?.required ? { rule: "required_missing", detail: "a required value is missing" } : undefined;
    }
    if (numeric) {
      const n = parseNumber(v);
      if (n === undefined) return { rule: "type_mismatch", detail: `"${v}" is not a number` };
      if (schema.type === "integer" && !Number.isInteger(n)) return { rule: "type_mismatch", detail: `"${v}" is not an integer` };
      if (rules?.min !== undefined && n < rules.min) return { rule: "out_of_range", detail: `${v} < min ${rules.min}` };
      if (rules?.max !== undefined && n > rules.max) return { rule: "out_of_range", detail: `${v} > max ${rules.max}` };
    } else if (schema.type === "boolean") {
      if (!isBooleanText(v)) return { rule: "type_mismatch", detail: `"${v}" is not true/false` };
    } else if (schema.type === "date") {
      if (!isDateText(v)) return { rule: "type_mismatch", detail: `"${v}" is not a date` };
      const t = Date.parse(v);
      if (minDate !== undefined && t < minDate) return { rule: "date_out_of_range", detail: `${v} is before ${rules?.minDate}` };
      if (maxDate !== undefined && t > maxDate) return { rule: "date_out_of_range", detail: `${v} is after ${rules?.maxDate}` };
    }
    if (allowed && !allowed.has(v)) return { rule: "not_allowed_value", detail: `"${v}" is not one of the allowed values` };
    return undefined;
  };
}
