import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { COLUMN_RULES, etlOptionsSchema } from "@pipe/etl";
import { z } from "zod";
import { resolveInput } from "./engine-input.js";
import { UsageError } from "./errors.js";

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    input: z
      .string()
      .default("data/input/dataset.csv")
      .describe(
        "CSV path, http(s):// or s3:// URL, a .parquet file, a DuckDB table as duckdb:FILE?table=NAME, or a ClickHouse table as clickhouse://user@host:8123/db?table=NAME (relative paths: from this file's folder)",
      ),
    out: z.string().default("data/output").describe("Folder for every output"),
    target: z.string().min(1).describe("The label column"),
    positive: z.string().optional().describe("The positive class label (applies to `target`; with another --target the positive class is chosen anew)"),
    testSize: z.number().gt(0).lt(1).default(0.3),
    seed: z.number().int().min(0).max(4294967295).default(42),
    // The ETL's own options schema (@pipe/etl), with the source's S3 endpoint; target and positive are above.
    etl: etlOptionsSchema
      .omit({ target: true, positive: true })
      .extend({
        s3Endpoint: z.string().url().optional().describe("S3-compatible endpoint for s3:// inputs (AWS_ENDPOINT_URL otherwise)"),
        engine: z
          .enum(["native", "duckdb", "clickhouse"])
          .default("native")
          .describe(
            "Where the ETL runs: pipe's own streaming pass (CSV), DuckDB (optional dependency; always for Parquet and duckdb: inputs), or the ClickHouse server of a clickhouse:// input",
          ),
        engineMemoryLimit: z
          .string()
          .optional()
          .describe(
            'Memory DuckDB may use before spilling to disk, e.g. "1GB" (default: 256MB for pipe predict, which only streams the table; 80% of RAM, DuckDB\'s own, for etl and train)',
          ),
        engineThreads: z
          .number()
          .int()
          .min(1)
          .max(256)
          .optional()
          .describe("DuckDB's worker threads (default: one per core, and a statement that runs out of memory runs again on one)"),
        outputTable: z
          .string()
          .min(1)
          .optional()
          .describe(
            "With a duckdb: or clickhouse:// input, also write the processed rows to this table of that database (and the rejected ones to NAME_rejected)",
          ),
      })
      .prefault({}),
    model: z
      .object({
        kind: z
          .enum(["forest", "gbt", "logistic", "auto"])
          .default("forest")
          .describe(
            "forest: a random forest; gbt: histogram gradient-boosted trees (nEstimators is their most iterations, maxDepth their depth limit, the rest under boosting); logistic: an L2 logistic regression (C = 1) on standardised numbers and one-hot categories; auto: the best of the three by cross-validation on the training rows (the simplest on a tie), beside the majority class",
          ),
        boosting: z
          .object({
            learningRate: z.number().positive().default(0.1),
            maxLeafNodes: z.number().int().min(2).nullable().default(31),
            minSamplesLeaf: z.number().int().min(1).default(20),
            l2Regularization: z.number().min(0).default(0),
            earlyStopping: z
              .union([z.literal("auto"), z.boolean()])
              .default(false)
              .describe(
                'Stop when the loss on a stratified 10% of the training rows stops improving; "auto": when there are more than 10,000 rows. Off by default: at 100 iterations the rows serve better as training rows (bench:model)',
              ),
          })
          .strict()
          .prefault({})
          .describe("Hyper-parameters of the gradient-boosted trees (model.kind gbt), scikit-learn's HistGradientBoosting defaults"),
        nEstimators: z.number().int().min(1).max(5000).default(100),
        maxDepth: z.number().int().min(1).nullable().default(null),
        minSamplesSplit: z.number().int().min(2).default(2),
        minSamplesLeaf: z.number().int().min(1).default(1),
        maxFeatures: z.union([z.enum(["sqrt", "log2"]), z.number().positive()]).default("sqrt"),
        classWeight: z
          .enum(["balanced", "none"])
          .nullable()
          .default(null)
          .transform((v) => (v === "none" ? null : v))
          .describe('"balanced" weighs each class by n / (2 · its count); "none" or null: every row counts once'),
        threshold: z.union([z.number().gt(0).lt(1), z.literal("best-f1")]).default(0.5),
        cv: z.number().int().min(0).max(20).default(0).describe("Folds of cross-validation on the training rows (0: none)"),
        calibration: z
          .enum(["platt-oob", "none"])
          .default("platt-oob")
          .describe("platt-oob: the forest's probabilities Platt-scaled on its out-of-bag scores (same ranking, better log loss); none: the raw tree mean"),
        minCategoryCount: z.number().int().min(1).default(5),
        missingIndicators: z.boolean().default(false),
        permutationRepeats: z.number().int().min(1).max(50).default(5),
        logisticBaseline: z
          .boolean()
          .default(true)
          .describe("Also fit a logistic regression (L2, C = 1, as scikit-learn's default) on the same rows as a baseline"),
        threads: z
          .number()
          .int()
          .min(1)
          .max(256)
          .nullable()
          .default(null)
          .describe("Worker threads for training (null: one per core); the model is the same for any count"),
        inEngine: z
          .boolean()
          .default(false)
          .describe(
            "Grow the random forest where the processed table is (a duckdb: or clickhouse:// input with etl.outputTable): only aggregates leave the engine",
          ),
        treesPerPass: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .optional()
          .describe("With inEngine: trees grown together, one pass over the rows per tree level (default 2 on DuckDB, 10 on ClickHouse)"),
      })
      .strict()
      .prefault({}),
    report: z
      .object({
        title: z.string().optional(),
        png: z.boolean().default(true).describe("Render PNG plots with headless Chromium when it is installed"),
        interactive: z.boolean().default(true).describe("Inline plotly.js (4.8 MB minified) for interactive charts; false keeps the static SVG charts only"),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type PipeConfig = z.infer<typeof configSchema>;

/** The JSON Schema editors use for pipe.config.json. */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: "input" });
}

export const DEFAULT_CONFIG_FILE = "pipe.config.json";

/** Reads a config file (JSON); relative paths in it are resolved against its folder. */
export function loadConfigFile(path: string): { raw: Record<string, unknown>; dir: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`config file ${path} not found; pass --config with an existing file, or run from the repository root`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new UsageError(`config file ${path} must hold a JSON object`);
  const obj = raw as Record<string, unknown>;
  const dir = dirname(resolve(path));
  if (typeof obj.input === "string") obj.input = resolveInput(obj.input, dir);
  if (typeof obj.out === "string" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(obj.out)) obj.out = resolve(dir, obj.out);
  return { raw: obj, dir };
}

/**
 * Validates a merged config; errors name the field and say what is expected. A value that came from
 * the command line is reported against its flag (`origins`: config path → "--test-size 1.5"), not
 * against a config file the user did not touch.
 */
export function parseConfig(raw: unknown, source: string, origins: ReadonlyMap<string, string> = new Map()): PipeConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join(".") || "(root)";
    const message = issue?.message ?? "invalid";
    let origin: string | undefined;
    for (const key of origins.keys()) if ((path === key || path.startsWith(`${key}.`)) && (!origin || key.length > origin.length)) origin = key;
    if (origin !== undefined) throw new UsageError(`${origins.get(origin)}: ${message}`);
    throw new UsageError(`${source}: ${path}: ${message}`);
  }
  return result.data;
}

/** The keys of `etl.rules.<column>` (drop, recode, fill, ...). */
const RULE_KEYS: ReadonlySet<string> = new Set(COLUMN_RULES.map((r) => r.key));
const RULES_PREFIX = "etl.rules.";

/**
 * A path's keys. Under `etl.rules.` the next key is a column name, which may hold dots (Kaggle's Adult
 * writes `capital.gain`): the name runs up to the first later key that is a rule's (`drop`, `recode`,
 * ...), or to the end — also when the value is an object of rules (`etl.rules.price.min={"drop": true}`
 * is column `price.min`, as every `--set` pipe suggests is written).
 */
function pathKeys(path: string, value: unknown): string[] {
  if (!path.startsWith(RULES_PREFIX)) return path.split(".");
  const rest = path.slice(RULES_PREFIX.length).split(".");
  const rulesObject = typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => RULE_KEYS.has(k));
  const at = rulesObject ? -1 : rest.findIndex((k, i) => i > 0 && RULE_KEYS.has(k));
  return at < 0 ? ["etl", "rules", rest.join(".")] : ["etl", "rules", rest.slice(0, at).join("."), ...rest.slice(at)];
}

/** Sets a dotted path (`model.nEstimators`) in a plain object, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = pathKeys(path, value);
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype") throw new UsageError(`--set: "${path}" is not a config path`);
    const next = cur[k];
    if (!next || typeof next !== "object" || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (last === "__proto__" || last === "constructor" || last === "prototype") throw new UsageError(`--set: "${path}" is not a config path`);
  cur[last] = value;
}
