import { writeFileAtomic } from "@pipe/etl";
import { modelSql, SqlBudgetError } from "@pipe/model";
import { UsageError } from "../errors.js";
import type { StageContext } from "../stage.js";
import { StageError } from "../stage.js";
import { loadModel } from "./model-file.js";

export interface ExportOptions {
  dialect: "duckdb" | "clickhouse";
  /** The relation the query reads, as the engine writes it. */
  relation: string;
  /** Where the SQL goes; "-" for standard output. */
  output: string;
  maxNodes?: number;
}

/** Reads `--sql`: the engine the query is written for. */
export function sqlDialectFlag(value: unknown): "duckdb" | "clickhouse" {
  if (value === "duckdb" || value === "clickhouse") return value;
  throw new UsageError(
    value === undefined
      ? "pipe export needs --sql duckdb or --sql clickhouse (the engine the query runs in)"
      : `--sql expects duckdb or clickhouse (got "${String(value)}")`,
  );
}

/** Reads `--max-nodes`. */
export function maxNodesFlag(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-nodes expects a whole number ≥ 1 (got "${String(value)}")`);
  return n;
}

/**
 * `pipe export --sql duckdb|clickhouse`: the model as one SELECT over a table of its input columns, to
 * score rows where they live. Small models only: a tree becomes a nested CASE, and past the node budget
 * the command refuses and says what to do instead (score with `pipe predict`, or train a smaller model).
 */
export async function exportStage(ctx: StageContext, options: ExportOptions) {
  const { paths, log } = ctx;
  const modelPath = ctx.modelPath ?? paths.model;
  const model = await loadModel(modelPath);
  let result: ReturnType<typeof modelSql>;
  try {
    result = modelSql(model, { dialect: options.dialect, relation: options.relation, ...(options.maxNodes ? { maxNodes: options.maxNodes } : {}) });
  } catch (error) {
    if (!(error instanceof SqlBudgetError)) throw error;
    throw new StageError(
      `${modelPath}: ${error.message}. Score it where the rows are with \`pipe predict --model ${modelPath} --input ${inputExample(options.dialect, options.relation)} --output-table scores\` (the rows stream through pipe's scorer on every core), train a small model for SQL (for example --trees 20 --max-depth 6), or raise the limit with --max-nodes N`,
    );
  }
  for (const warning of result.warnings) log.warn(`export: ${warning}`);
  // Which columns the ETL cleaned: the SQL reads them as they are (the model is not used for raw rows here).
  const cleaned = model.cleanInputsAsTrained();
  if (cleaned.length > 0) {
    const warning = `the model's training rows had ${cleaned.join(", ")} cleaned by etl.rules (missing tokens, zero as missing, recode, case, fill or discretize), which this SQL does not do: run it over rows cleaned the same way (the table \`pipe etl --output-table\` writes), or score raw rows with \`pipe predict\`, which cleans them`;
    log.warn(`export: ${warning}`);
    result.warnings.push(warning);
  }
  if (options.output === "-") process.stdout.write(result.sql);
  else await writeFileAtomic(options.output, result.sql);
  const where = options.output === "-" ? "standard output" : options.output;
  log.info(
    `export: ${model.kindName} (${result.nodes.toLocaleString("en-US")} ${model.linear ? "weights" : "tree nodes"}) as ${options.dialect} SQL over ${options.relation} → ${where}`,
  );
  return {
    stage: "export",
    dialect: options.dialect,
    relation: options.relation,
    model_version: model.version,
    nodes: result.nodes,
    bytes: result.bytes,
    warnings: result.warnings,
    outputs: options.output === "-" ? [] : [options.output],
  };
}

function inputExample(dialect: "duckdb" | "clickhouse", relation: string): string {
  return dialect === "duckdb" ? `duckdb:FILE.duckdb?table=${relation}` : `clickhouse://user@host:8123/db?table=${relation}`;
}
