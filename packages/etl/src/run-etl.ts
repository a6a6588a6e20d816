import { clean, type EtlOutputs, type RejectRule } from "./clean/clean.js";
import { headerNameNotes, type NumberFormName } from "./csv/open.js";
import type { ByteSource } from "./extract/source.js";
import type { ColumnFacts } from "./internal/profile.js";
import type { EtlOptions } from "./options.js";
import type { CellCounts } from "./rules/normalise.js";
import type { DuplicatesDecision } from "./schema/duplicates.js";
import { tokenDropWarnings } from "./schema/infer.js";
import { inferSchema } from "./schema/infer-schema.js";
import { targetTokensWarning } from "./schema/target-tokens.js";
import type { DatasetSchema } from "./schema/types.js";

export interface EtlReport {
  input: string;
  bytes: number | null;
  /** The input's encoding (a Windows-1252 file is read as its UTF-8 conversion; "latin1" in reports of earlier versions). */
  encoding: "utf-8" | "latin1" | "windows-1252";
  delimiter: string;
  has_header: boolean;
  /** Whether the clean pass replayed the profile pass's rows (they fitted in `inMemoryCells`) or read the source again, or the ETL ran in an engine. */
  second_pass: "replayed from memory" | "source read again" | `in the engine (${"duckdb" | "clickhouse"})`;
  columns_in: number;
  columns_out: number;
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  rejected_by_rule: Partial<Record<RejectRule, number>>;
  cells: CellCounts & { type_mismatch_as_missing: number };
  dropped_columns: { name: string; reason: string }[];
  /** Rows that repeat an earlier row exactly: how many, whether they were dropped, and why. */
  duplicates: DuplicatesDecision & { repeated_rows: number };
  discretised: { name: string; method: string; edges: number[] }[];
  target: string;
  positive_class: string;
  class_counts: Record<string, number>;
  /** The columns whose values were written in a local form (`13,44`, `31/12/2024`) and read plainly, by form; absent when none were. */
  number_forms?: { form: NumberFormName; columns: string[] }[];
  warnings: string[];
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

/** How the report names each local form of numbers the ETL read plainly. */
const NUMBER_FORMS: Record<NumberFormName, string> = {
  "grouped decimal comma": "numbers with a decimal comma and their thousands grouped by dots or spaces (1.234,56 as 1234.56) read as numbers",
  "decimal comma": 'numbers written with a decimal comma (13,44 as 13.44; etl.decimal "." keeps them as text) read as numbers',
  "grouped thousands": "numbers with their thousands grouped by commas (1,234.5 as 1234.5) read as numbers",
  "currency sign": "amounts with a currency sign ($1,234.50 as 1234.50; Excel's accounting zero, $ -, as 0) read as numbers",
  "currency sign, decimal comma":
    "amounts with a currency sign and a decimal comma (1.234,50 € as 1234.50; Excel's accounting zero, - €, as 0) read as numbers",
  "negative in parentheses": "negative amounts in parentheses ((1,234.50) as -1234.50; Excel's accounting zero, -, as 0) read as numbers",
  "percent sign": "numbers with a percent sign (13.5% as 13.5) read as numbers",
  "percent sign, decimal comma": "numbers with a percent sign and a decimal comma (13,5 % as 13.5) read as numbers",
  infinity: "infinite values (inf, -inf, Infinity) read as missing",
  "day-first date": "dates written day first (31.12.2024 or 31/12/2024 as 2024-12-31) read as dates",
  "month-first date": "dates written month first (12/31/2024 as 2024-12-31) read as dates",
  "year-first date": "dates written year first otherwise than ISO (2024/12/31, 2024-1-5 as 2024-12-31, 2024-01-05) read as dates",
  "month-name date": "dates with their month named (Jan 1 2000, January 1, 2000 or 01-Jan-2000 as 2000-01-01) read as dates",
};

/**
 * Extract → infer → clean → load in two streaming passes: {@link inferSchema} profiles every column
 * to decide the schema, {@link clean} applies the rules and writes the processed and rejected rows.
 *
 * @example
 * const { schema, report } = await runEtl(openSource("titanic.csv"), { target: "Survived" }, { processed: "out/processed.csv", rejected: "out/rejected.csv" });
 * report.rows_in === report.rows_out + report.rows_rejected; // true: every row is kept or explained
 * schema.positiveClass; // "1"
 */
export async function runEtl(source: ByteSource, options: EtlOptions, outputs: EtlOutputs, onProgress?: (p: EtlProgress) => void): Promise<EtlResult> {
  const bytes = (await source.size()) ?? null;
  const warnings: string[] = [];
  if (bytes !== null && bytes > LARGE_INPUT) {
    warnings.push(`the input is ${(bytes / 1048576).toFixed(0)} MB: keep files over 100 MB in object storage (s3://...) rather than in git`);
  }
  const inferred = await inferSchema(source, options, onProgress);
  for (const { form, columns } of inferred.numberForms ?? []) warnings.push(`${NUMBER_FORMS[form]} in: ${columns.join(", ")}`);
  if (inferred.convertedFrom) warnings.push(`${source.name} is ${inferred.convertedFrom} text: read as its UTF-8 conversion (the outputs are UTF-8)`);
  const emptied = targetTokensWarning(inferred.profiles[inferred.columns.indexOf(inferred.options.target)] as ColumnFacts, inferred.rows, inferred.options);
  if (emptied) warnings.push(emptied);
  warnings.push(...tokenDropWarnings(inferred.planned, inferred.profiles));
  const secondPass = inferred.rowStore ? "replayed from memory" : "source read again";
  const result = await clean(source, inferred, outputs, onProgress);
  if (result.rowsSeen !== inferred.rows) {
    warnings.push(`${source.name} changed between the two passes (${inferred.rows} rows, then ${result.rowsSeen}); counts are from the second`);
  }
  // First, as the engines' runs have them (runCsvEtlInEngine).
  warnings.unshift(...headerNameNotes(inferred.headerFields, inferred.columns));
  const opts = inferred.options;
  const report: EtlReport = {
    input: source.name,
    bytes,
    encoding: inferred.convertedFrom === "windows-1252" ? "windows-1252" : inferred.encoding,
    delimiter: inferred.delimiter,
    has_header: inferred.hasHeader,
    second_pass: secondPass,
    columns_in: inferred.columns.length,
    columns_out: result.schema.columns.length,
    rows_in: result.rowsSeen,
    rows_out: result.rowsOut,
    rows_rejected: result.rowsRejected,
    rejected_by_rule: result.rejectedByRule,
    cells: result.cells,
    dropped_columns: inferred.planned.filter((s) => s.role === "dropped").map((s) => ({ name: s.name, reason: s.dropReason ?? "" })),
    duplicates: { ...inferred.duplicates, repeated_rows: result.repeatedRows },
    discretised: inferred.columns.flatMap((name, j) => {
      const binning = inferred.binnings[j];
      const rule = opts.rules[name]?.discretize;
      return binning && rule ? [{ name, method: rule.method, edges: binning.edges }] : [];
    }),
    target: opts.target,
    positive_class: inferred.positiveClass,
    class_counts: result.classCounts,
    ...(inferred.numberForms?.length ? { number_forms: inferred.numberForms } : {}),
    warnings,
  };
  return { schema: result.schema, report };
}
