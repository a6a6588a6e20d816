import { join, resolve } from "node:path";
import { configJsonSchema } from "../config.js";
import { inEngineTable } from "../engine-input.js";
import { UsageError } from "../errors.js";
import { COMMON_FLAGS, ETL_FLAGS, type FlagSpec, MODEL_FLAG, REPORT_FLAGS, TRAIN_FLAGS } from "../flags.js";
import type { StageContext } from "../stage.js";

// Each command loads its stage (and the packages behind it) only when it runs: `pipe etl` never loads
// the model, the report's chart libraries or the server.
const analyzeStage = async (ctx: StageContext) => (await import("./analyze.js")).analyzeStage(ctx);
const etlStage = async (ctx: StageContext) => (await import("./etl.js")).etlStage(ctx);
const evaluateStage = async (ctx: StageContext) => (await import("./evaluate.js")).evaluateStage(ctx);
const reportStage = async (ctx: StageContext) => (await import("./report.js")).reportStage(ctx);
const trainStage = async (ctx: StageContext) => (await import("./train.js")).trainStage(ctx);

export interface Command {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpec[];
  needsTarget?: boolean;
  /** The command goes on after `run` returns (a server): the process must not exit then. */
  staysUp?: boolean;
  /** Left out of `pipe --help` (plumbing for scripts). */
  hidden?: boolean;
  run: (ctx: StageContext, values: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

const UNKNOWN_FIELDS_FLAG: FlagSpec = {
  name: "unknown-fields",
  type: "string",
  help: "a field (or column) the training data never had: reject (default) or ignore, with a warning",
};
const SERVE_FLAGS: FlagSpec[] = [
  { name: "port", type: "string", help: "port to listen on (default 8080; 0 picks a free one)" },
  { name: "host", type: "string", help: "address to bind (default 127.0.0.1)" },
  UNKNOWN_FIELDS_FLAG,
];

function unknownFields(v: unknown): "reject" | "ignore" {
  if (v === undefined) return "reject";
  if (v === "reject" || v === "ignore") return v;
  throw new UsageError(`--unknown-fields expects reject or ignore (got "${String(v)}")`);
}
const EXPLAIN_FLAG: FlagSpec = {
  name: "explain",
  type: "string",
  bareValue: "all",
  help: "add each row's explanation: exact Shapley contributions (TreeSHAP) of every column (all, the default) or of the K largest",
};
const OUTPUT_FLAG: FlagSpec = { name: "output", type: "string", help: "where the scored CSV goes (default <out>/predictions.csv)" };

function port(v: unknown): number {
  if (v === undefined) return 8080;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port expects a port number from 0 to 65535 (got "${String(v)}")`);
  return n;
}

export const COMMANDS: Command[] = [
  {
    name: "run",
    summary: "Run every stage: etl → analyze → train → evaluate → report.",
    usage: "pipe run [--input CSV] [--target COL] [--out DIR] [options]",
    flags: [...COMMON_FLAGS, ...ETL_FLAGS, ...TRAIN_FLAGS, ...REPORT_FLAGS],
    run: async (ctx) => {
      // Refused before any stage runs: the ETL writes the table the forest then grows on.
      if (ctx.config.model.inEngine) inEngineTable(ctx.config);
      const stages = [];
      for (const stage of [etlStage, analyzeStage, trainStage, evaluateStage, reportStage]) stages.push(await stage(ctx));
      const evaluation = stages[3] as Record<string, unknown>;
      return { stage: "run", roc_auc: evaluation.roc_auc, accuracy: evaluation.accuracy, f1: evaluation.f1, stages, out: ctx.paths.out };
    },
  },
  {
    name: "etl",
    summary: "Extract, infer the schema, clean, and write dataset_processed.csv, its schema, rejected.csv and etl_report.json.",
    usage: "pipe etl [--input CSV] [--target COL] [options]",
    flags: [...COMMON_FLAGS, ...ETL_FLAGS],
    run: (ctx) => etlStage(ctx),
  },
  {
    name: "analyze",
    summary: "Describe every column, test each feature against the target, write analysis.txt, analysis.json and plots/.",
    usage: "pipe analyze [--out DIR]",
    flags: COMMON_FLAGS,
    needsTarget: false,
    run: (ctx) => analyzeStage(ctx),
  },
  {
    name: "train",
    summary:
      "Fit preprocessing and the model (a random forest; gradient-boosted trees with --model gbt; a logistic regression with --model logistic; the best by cross-validation with --model auto) on the training rows and write model.json.",
    usage: "pipe train [--out DIR] [--trees N] [--cv K] [options]; in the engine: pipe train --in-engine --input duckdb:FILE?table=T --output-table PROCESSED",
    flags: [...COMMON_FLAGS, ...TRAIN_FLAGS, ...ETL_FLAGS.filter((f) => f.name === "output-table")],
    needsTarget: false,
    run: (ctx) => trainStage(ctx),
  },
  {
    name: "evaluate",
    summary: "Score the held-out rows and write metrics.json and metrics.txt.",
    usage: "pipe evaluate [--out DIR] [--model PATH]",
    flags: [...COMMON_FLAGS, MODEL_FLAG],
    needsTarget: false,
    run: (ctx) => evaluateStage(ctx),
  },
  {
    name: "report",
    summary: "Write report.html (and PNG plots when Chromium is installed).",
    usage: "pipe report [--out DIR]",
    flags: [...COMMON_FLAGS, ...REPORT_FLAGS],
    needsTarget: false,
    run: (ctx) => reportStage(ctx),
  },
  {
    name: "serve",
    summary: "Serve a model over HTTP (POST /predict, /predict/batch; GET /health, /ready, /model).",
    usage: "pipe serve [--model PATH] [--port N] [--host ADDR]",
    flags: [...COMMON_FLAGS, MODEL_FLAG, ...SERVE_FLAGS],
    needsTarget: false,
    staysUp: true,
    run: async (ctx, v) =>
      (await import("./serve.js")).serveCommand(ctx, port(v.port), typeof v.host === "string" ? v.host : "127.0.0.1", unknownFields(v["unknown-fields"])),
  },
  {
    name: "predict",
    summary:
      "Score every row of a CSV, Parquet file or table with a model; writes the rows with probability, prediction and label. An input with the target column is also measured against its labels (<output>.metrics.json).",
    usage:
      "pipe predict --model PATH --input rows.csv|rows.parquet|duckdb:FILE?table=T|clickhouse://...?table=T [--output scored.csv] [--output-table scores] [--explain [K]]",
    flags: [...COMMON_FLAGS, ...ETL_FLAGS, MODEL_FLAG, OUTPUT_FLAG, UNKNOWN_FIELDS_FLAG, EXPLAIN_FLAG],
    needsTarget: false,
    run: async (ctx, v) => {
      if (v.input === undefined) throw new UsageError("pipe predict needs --input rows.csv (the rows to score)");
      return (await import("./predict.js")).predictStage(
        ctx,
        typeof v.output === "string" ? resolve(v.output) : ctx.paths.predictions,
        unknownFields(v["unknown-fields"]),
        (await import("./explain-columns.js")).explainFlag(v.explain),
      );
    },
  },
  {
    name: "explain",
    summary: "Explain a model's predictions for every row of a CSV or table: exact Shapley contributions (TreeSHAP) in explanations.json and explanations.csv.",
    usage: "pipe explain --model PATH --input rows.csv [--out DIR] [--top K]",
    flags: [
      ...COMMON_FLAGS,
      ...ETL_FLAGS,
      MODEL_FLAG,
      UNKNOWN_FIELDS_FLAG,
      { name: "top", type: "string", help: "keep each row's K largest contributions in explanations.json (default: every column)" },
    ],
    needsTarget: false,
    run: async (ctx, v) => {
      if (v.input === undefined) throw new UsageError("pipe explain needs --input rows.csv (the rows to explain)");
      const { explainFlag } = await import("./explain-columns.js");
      return (await import("./explain.js")).explainStage(ctx, unknownFields(v["unknown-fields"]), v.top === undefined ? {} : (explainFlag(v.top) ?? {}));
    },
  },
  {
    name: "drift",
    summary: "Compare new rows with the model's training data, column by column and prediction (Evidently's default tests); writes drift.json and drift.txt.",
    usage: "pipe drift --model PATH --input new.csv [--out DIR]",
    flags: [...COMMON_FLAGS, ...ETL_FLAGS, MODEL_FLAG, UNKNOWN_FIELDS_FLAG],
    needsTarget: false,
    run: async (ctx, v) => {
      if (v.input === undefined) throw new UsageError("pipe drift needs --input new.csv (the rows to compare with the training data)");
      return (await import("./drift.js")).driftStage(ctx, unknownFields(v["unknown-fields"]));
    },
  },
  {
    name: "export",
    summary: "Write a small model as one SQL query (DuckDB or ClickHouse) that scores a table where it lives: probability, prediction and label per row.",
    usage: "pipe export --sql duckdb|clickhouse --table NAME [--model PATH] [--output FILE|-] [--max-nodes N]",
    flags: [
      ...COMMON_FLAGS,
      MODEL_FLAG,
      { name: "sql", type: "string", help: "the engine the query is written for: duckdb or clickhouse" },
      { name: "table", type: "string", help: "the table (or any relation) holding the rows to score, with the model's input columns" },
      { name: "output", type: "string", help: "where the SQL goes (default <out>/model.<engine>.sql; - for standard output)" },
      { name: "max-nodes", type: "string", help: "refuse models with more tree nodes than this (default 20,000 for DuckDB, 5,000 for ClickHouse)" },
    ],
    needsTarget: false,
    run: async (ctx, v) => {
      const { exportStage, maxNodesFlag, sqlDialectFlag } = await import("./export.js");
      const dialect = sqlDialectFlag(v.sql);
      if (typeof v.table !== "string" || v.table.trim() === "") {
        throw new UsageError("pipe export needs --table NAME: the table holding the rows to score (the processed table, e.g. from `pipe etl --output-table`)");
      }
      if (v.output === "-" && v.json) throw new UsageError("--output - writes the SQL to standard output: leave out --json (the summary would mix with it)");
      const output = typeof v.output === "string" ? (v.output === "-" ? "-" : resolve(v.output)) : join(ctx.paths.out, `model.${dialect}.sql`);
      return exportStage(ctx, { dialect, relation: v.table, output, maxNodes: maxNodesFlag(v["max-nodes"]) });
    },
  },
  {
    name: "stage-inputs",
    summary: "Write what each stage depends on (settings, input fingerprint) to DIR/<stage>.json: turbo's cache keys for `pnpm run pipeline`.",
    usage: "pipe stage-inputs --dir .pipe/stage-inputs [--config FILE]",
    flags: [...COMMON_FLAGS, { name: "dir", type: "string", help: "folder for the files (default .pipe/stage-inputs)" }],
    needsTarget: false,
    hidden: true,
    run: async (ctx, v) => {
      const [{ stageInputs }, { writeFileAtomic }] = await Promise.all([import("../stage-inputs.js"), import("@pipe/etl")]);
      const dir = resolve(typeof v.dir === "string" ? v.dir : ".pipe/stage-inputs");
      const inputs = await stageInputs(ctx.config);
      for (const [stage, value] of Object.entries(inputs)) await writeFileAtomic(join(dir, `${stage}.json`), `${JSON.stringify(value, null, 2)}\n`);
      return { stage: "stage-inputs", dir, stages: Object.keys(inputs) };
    },
  },
  {
    name: "schema",
    summary: "Print the JSON Schema of pipe.config.json (editors use it for completion and checks).",
    usage: "pipe schema > pipe.config.schema.json",
    flags: [{ name: "help", type: "boolean", help: "show this help" }],
    needsTarget: false,
    run: async () => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      return { stage: "schema" };
    },
  },
];
