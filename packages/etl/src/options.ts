import { z } from "zod";
import { ConfigMismatchError } from "./errors.js";
import { DEFAULT_MISSING_TOKENS } from "./internal/values.js";
import { columnRulesSchema } from "./rules/index.js";

export type { DiscretizeRule } from "./rules/discretize.js";
export type { ColumnRules } from "./rules/index.js";

/**
 * The options of an ETL run, one schema for the library and the CLI (whose config's `etl` section is
 * this without `target` and `positive`): defaults, checks and the descriptions editors show. Column
 * rules come from the rule registry (`rules/`).
 */
export const etlOptionsSchema = z
  .object({
    target: z.string().min(1).describe("The label column"),
    positive: z.string().optional().describe("The label value of the positive class; the last of the two sorted labels when absent"),
    delimiter: z
      .enum([",", ";", "\t", "|", "whitespace"])
      .optional()
      .describe(
        'Field delimiter, or "whitespace" for fields separated by runs of spaces and tabs (aligned columns); detected from the first 64 KiB when absent',
      ),
    comment: z
      .string()
      .length(1)
      .optional()
      .describe('A character that starts a comment line (e.g. "#"): lines whose first character other than spaces and tabs is this one are skipped'),
    skipLines: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("Lines at the start of the file that are not the table (a title, notes): skipped, as pandas' skiprows; later lines keep their numbers"),
    decimal: z
      .enum([".", ","])
      .optional()
      .describe(
        'The decimal mark: "," reads numbers written 13,44 (and 1.234,56, thousands grouped by dots or spaces) as numbers in every column, "." never; detected per column when absent',
      ),
    thousands: z
      .literal(",")
      .optional()
      .describe(
        'The thousands separator: "," reads numbers with grouped thousands (1,234.5; also 1\'234.5 and 1 234.5) as numbers in every column, wherever they first appear; detected per column from the first 64 KiB when absent',
      ),
    header: z.boolean().optional().describe("Whether the first row names the columns; detected when absent"),
    columns: z.array(z.string()).optional().describe("Column names for a file without header"),
    missingTokens: z
      .array(z.string())
      .default([...DEFAULT_MISSING_TOKENS])
      .describe("Tokens read as missing in every column (after trimming)"),
    duplicates: z
      .enum(["auto", "drop", "keep"])
      .optional()
      .describe(
        'Rows that repeat an earlier row exactly: always counted and reported; "drop" rejects them, "keep" keeps them, "auto" (default) drops them only where a repeat is implausible by chance',
      ),
    dropDuplicates: z.boolean().optional().describe('Older spelling of duplicates: true is "drop", false is "keep"'),
    dropIdentifiers: z.boolean().default(true).describe("Drop identifier-like columns (one distinct value per row)"),
    dropConstant: z.boolean().default(true).describe("Drop columns with one value"),
    maxMissingShare: z.number().min(0).max(1).default(0.5).describe("Columns missing in more than this share of rows are dropped"),
    maxCategories: z
      .number()
      .int()
      .min(2)
      .default(100)
      .describe(
        "A text column with more distinct values than this is free text, not a category — unless its values repeat, 20 rows each on average (airport codes over millions of flights); rules.<column>.type decides otherwise",
      ),
    onTypeMismatch: z
      .enum(["reject", "missing"])
      .default("reject")
      .describe("A cell whose type does not match its column: reject the row, or read it as missing"),
    dateOrder: z
      .array(z.object({ before: z.string(), after: z.string() }).strict())
      .default([])
      .describe("Cross-column date order: each `before` date must not be later than its `after` date (rule date_order)"),
    rules: z.record(z.string(), columnRulesSchema).default({}).describe("Rules per column (see the rules table)"),
    inMemoryCells: z
      .number()
      .int()
      .min(0)
      .default(32 << 20)
      .describe(
        "Cells (2 bytes each) the profile pass may keep so the clean pass need not read the input again (a distinct row costs its width, every row 4 more); 0 reads it twice",
      ),
  })
  .strict();

/** The options as given (every one but `target` optional). */
export type EtlOptions = z.input<typeof etlOptionsSchema>;
export type DuplicatesPolicy = "auto" | "drop" | "keep";
/** The options with their defaults, and the duplicates policy settled (`dropDuplicates` read as its alias). */
export type ResolvedEtlOptions = Omit<z.output<typeof etlOptionsSchema>, "duplicates" | "dropDuplicates"> & { duplicates: DuplicatesPolicy };

/** Checks the options and fills in the defaults; a bad option is a ConfigMismatchError naming its key. */
export function resolveOptions(options: EtlOptions): ResolvedEtlOptions {
  const result = etlOptionsSchema.safeParse(stripUndefined(options));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigMismatchError(`etl.${issue?.path.join(".") || "(options)"}: ${issue?.message ?? "invalid"}`);
  }
  const { dropDuplicates, duplicates, ...rest } = result.data;
  return { ...rest, duplicates: duplicates ?? (dropDuplicates === true ? "drop" : dropDuplicates === false ? "keep" : "auto") };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
