import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG_FILE, loadConfigFile, type PipeConfig, parseConfig, setPath } from "./config.js";
import { resolveInput } from "./engine-input.js";
import { MissingTargetError, UsageError } from "./errors.js";

export interface FlagSpec {
  name: string;
  type: "string" | "boolean";
  help: string;
  multiple?: boolean;
  /** A string flag that may stand alone (`--explain`, followed by another flag or nothing) takes this value. */
  bareValue?: string;
  /** Config path this flag overrides, with a converter from the flag's text. */
  config?: string;
  convert?: (v: string) => unknown;
}

const int = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`--${flag} expects a whole number (got "${v}")`);
  return n;
};
const float = (flag: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${flag} expects a number (got "${v}")`);
  return n;
};

export const COMMON_FLAGS: FlagSpec[] = [
  { name: "config", type: "string", help: `config file (default ./${DEFAULT_CONFIG_FILE} when present)` },
  {
    name: "input",
    type: "string",
    help: "input: a CSV path, http(s):// or s3:// URL, a .parquet file, duckdb:FILE?table=NAME, or clickhouse://user@host:8123/db?table=NAME",
    config: "input",
  },
  { name: "target", type: "string", help: "the label column", config: "target" },
  { name: "positive", type: "string", help: "the positive class label", config: "positive" },
  { name: "out", type: "string", help: "output folder (default data/output)", config: "out" },
  { name: "seed", type: "string", help: "seed of every random choice (default 42)", config: "seed", convert: int("seed") },
  { name: "set", type: "string", multiple: true, help: "override any config value: --set model.nEstimators=300 (JSON values)" },
  { name: "json", type: "boolean", help: "print a machine-readable summary on stdout" },
  { name: "quiet", type: "boolean", help: "print nothing but errors" },
  { name: "help", type: "boolean", help: "show this help" },
];

export const ETL_FLAGS: FlagSpec[] = [
  { name: "engine", type: "string", help: "where the ETL runs: native (default), duckdb, or clickhouse (with a clickhouse:// input)", config: "etl.engine" },
  {
    name: "output-table",
    type: "string",
    help: "with a duckdb: or clickhouse:// input, also write the processed rows to this table",
    config: "etl.outputTable",
  },
  {
    name: "s3-endpoint",
    type: "string",
    help: "S3-compatible endpoint for s3://bucket/key inputs (credentials from the AWS environment)",
    config: "etl.s3Endpoint",
  },
  {
    name: "delimiter",
    type: "string",
    help: "field delimiter: , ; tab | or whitespace (runs of spaces and tabs; alias: space)  (detected when absent)",
    config: "etl.delimiter",
    convert: (v) => (v === "tab" || v === "\\t" ? "\t" : v === "space" || v === " " ? "whitespace" : v),
  },
  {
    name: "comment",
    type: "string",
    help: 'skip comment lines: those whose first character (after spaces) is this one, e.g. "#"',
    config: "etl.comment",
  },
  {
    name: "skip-lines",
    type: "string",
    help: "lines at the start of the file that are not the table (a title, notes above the header): skipped, as pandas' skiprows",
    config: "etl.skipLines",
    convert: int("skip-lines"),
  },
  {
    name: "thousands",
    type: "string",
    help: 'the thousands separator: "," reads 1,234.5 (and 1\'234.5, 1 234.5) as numbers in every column, wherever they first appear (detected per column when absent)',
    config: "etl.thousands",
  },
  {
    name: "decimal",
    type: "string",
    help: 'the decimal mark: "," reads 13,44 and 1.234,56 as numbers in every column, "." never (detected per column when absent)',
    config: "etl.decimal",
  },
  { name: "no-header", type: "boolean", help: "the file has no header row (use --columns to name them)", config: "etl.header", convert: () => false },
  {
    name: "columns",
    type: "string",
    help: "comma-separated column names for a file without header",
    config: "etl.columns",
    convert: (v) => v.split(",").map((s) => s.trim()),
  },
];

export const TRAIN_FLAGS: FlagSpec[] = [
  { name: "test-size", type: "string", help: "share of rows held out for the test (default 0.3)", config: "testSize", convert: float("test-size") },
  {
    name: "model",
    type: "string",
    help: "forest (random forest, default), gbt (gradient-boosted trees), logistic (L2 logistic regression), or auto (the best by cross-validation, the simplest on a tie)",
    config: "model.kind",
  },
  {
    name: "trees",
    type: "string",
    help: "number of trees (default 100; for gbt the most boosting iterations)",
    config: "model.nEstimators",
    convert: int("trees"),
  },
  { name: "max-depth", type: "string", help: "maximum tree depth (default: unlimited)", config: "model.maxDepth", convert: int("max-depth") },
  { name: "min-samples-leaf", type: "string", help: "minimum rows in a leaf (default 1)", config: "model.minSamplesLeaf", convert: int("min-samples-leaf") },
  {
    name: "max-features",
    type: "string",
    help: "features tried per split: sqrt, log2, a count or a share",
    config: "model.maxFeatures",
    convert: (v) => (v === "sqrt" || v === "log2" ? v : float("max-features")(v)),
  },
  { name: "class-weight", type: "string", help: "balanced, or none (default)", config: "model.classWeight", convert: (v) => (v === "none" ? null : v) },
  {
    name: "threshold",
    type: "string",
    help: "decision threshold in (0, 1), or best-f1 (chosen by cross-validation on training rows)",
    config: "model.threshold",
    convert: (v) => (v === "best-f1" ? v : float("threshold")(v)),
  },
  {
    name: "cv",
    type: "string",
    help: "k-fold cross-validation on the training rows, reported as mean ± std (0: none)",
    config: "model.cv",
    convert: int("cv"),
  },
  {
    name: "in-engine",
    type: "boolean",
    help: "grow the forest in the engine holding the processed table (duckdb:/clickhouse:// input and --output-table): only aggregates leave it",
    config: "model.inEngine",
    convert: () => true,
  },
];

export const MODEL_FLAG: FlagSpec = { name: "model", type: "string", help: "model file (default <out>/model.json)" };
export const REPORT_FLAGS: FlagSpec[] = [
  { name: "no-png", type: "boolean", help: "skip PNG plots (no browser needed)", config: "report.png", convert: () => false },
];

export interface ParsedFlags {
  values: Record<string, string | boolean | string[] | undefined>;
  config: PipeConfig;
  configFile: string | undefined;
}

/** Parses the command's flags (unknown ones are usage errors) and merges them over the config file. */
export function parseFlags(command: string, argv: string[], specs: FlagSpec[], options: { needsTarget?: boolean } = {}): ParsedFlags {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: withBareValues(argv, specs),
      options: Object.fromEntries(specs.map((s) => [s.name, { type: s.type, ...(s.multiple ? { multiple: true } : {}) }])),
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`${message.replace(/^Unknown option '(.*)'$/, "unknown flag $1")}; see \`pipe ${command} --help\``);
  }
  const values = parsed.values as ParsedFlags["values"];
  if (values.help) return { values, config: undefined as unknown as PipeConfig, configFile: undefined };

  const configFile = typeof values.config === "string" ? values.config : existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined;
  const raw: Record<string, unknown> = configFile ? loadConfigFile(configFile).raw : {};
  const configTarget = raw.target;
  // Which flag set which config path, so a bad value is reported against the flag.
  const origins = new Map<string, string>();
  for (const spec of specs) {
    const v = values[spec.name];
    if (v === undefined || !spec.config) continue;
    let value: unknown = typeof v === "string" && spec.convert ? spec.convert(v) : spec.convert ? spec.convert("") : v;
    if (spec.config === "input" && typeof value === "string") value = resolveInput(value, process.cwd());
    else if (spec.config === "out" && typeof value === "string" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = resolve(value);
    setPath(raw, spec.config, value);
    origins.set(spec.config, typeof v === "string" ? `--${spec.name} ${v}` : `--${spec.name}`);
  }
  // The positive class belongs to the config's target: another --target chooses its own.
  if (typeof values.target === "string" && values.target !== configTarget && values.positive === undefined) delete raw.positive;
  for (const assignment of (values.set as string[] | undefined) ?? []) {
    const eq = assignment.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set expects key=value (got "${assignment}")`);
    const text = assignment.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    setPath(raw, assignment.slice(0, eq), value);
    origins.set(assignment.slice(0, eq), `--set ${assignment}`);
  }
  if (options.needsTarget !== false && raw.target === undefined) {
    throw new MissingTargetError(
      `no target column: pass --target COLUMN${configFile ? ` or set "target" in ${configFile}` : " (or a --config file)"}`,
      typeof values.input === "string" ? values.input : undefined,
    );
  }
  if (raw.target === undefined) raw.target = "(none)";
  const config = parseConfig(raw, configFile ?? "command line", origins);
  return { values, config, configFile };
}

/** The arguments with each bare `--flag` of a flag that allows it given its `bareValue`. */
function withBareValues(argv: string[], specs: FlagSpec[]): string[] {
  const bare = new Map(specs.filter((s) => s.bareValue !== undefined).map((s) => [`--${s.name}`, s.bareValue as string]));
  if (bare.size === 0) return argv;
  const out: string[] = [];
  argv.forEach((a, i) => {
    out.push(a);
    const next = argv[i + 1];
    const value = bare.get(a);
    if (value !== undefined && (next === undefined || next.startsWith("--"))) out.push(value);
  });
  return out;
}

/** Help text of a command from its flag specs. */
export function helpText(usage: string, summary: string, specs: FlagSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length + (s.type === "string" ? 6 : 0))) + 4;
  const lines = specs.map((s) => `  --${(s.type === "string" ? `${s.name} VALUE` : s.name).padEnd(width)}${s.help}`);
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${lines.join("\n")}\n`;
}
