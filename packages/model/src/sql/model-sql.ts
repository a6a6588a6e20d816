import { ModelError } from "../errors.js";
import type { FlatTree } from "../forest/tree.js";
import type { PipeModel } from "../model.js";
import type { DatePart } from "../preprocess/date-parts.js";
import { flagSynonyms } from "../preprocess/preprocessor.js";
import type { CategoricalSpec, ColumnSpec, DateSpec, NumericSpec } from "../preprocess/spec.js";
import { type DerivedLayers, datePartsSql, mergeLayers } from "./date-parts-sql.js";
import { MODEL_SQL_DIALECTS, type ModelSqlDialect } from "./dialects.js";

export interface ModelSqlOptions {
  dialect: ModelSqlDialect["name"];
  /** The relation to score, as the engine writes it: `adult`, `db.adult`, `read_parquet('rows.parquet')`. */
  relation: string;
  /**
   * Refuse models larger than this many tree nodes or weights (default: 20,000 for DuckDB, 5,000 for
   * ClickHouse). A tree becomes a nested CASE: engines plan such expressions slowly, and ClickHouse
   * evaluates every branch for every row.
   */
  maxNodes?: number;
}

export interface ModelSql {
  /** One SELECT: every column of the relation, then score, probability, prediction and label. */
  sql: string;
  /** Tree nodes (splits and leaves) or weights the query holds. */
  nodes: number;
  /** The query's size in bytes (UTF-8). */
  bytes: number;
  /** Limits of the engine the query meets (ClickHouse's default max_query_size), for the caller to pass on. */
  warnings: string[];
}

/** A model too large for SQL: the caller says what to do instead (score with pipe, or train a smaller model). */
export class SqlBudgetError extends ModelError {
  override name = "SqlBudgetError";
  constructor(
    readonly nodes: number,
    readonly maxNodes: number,
    what: string,
  ) {
    super(
      `the model has ${nodes.toLocaleString("en-US")} ${what}; its SQL is limited to ${maxNodes.toLocaleString("en-US")} (a tree is a nested CASE, slow to plan and to run past that)`,
    );
  }
}

/**
 * The model as one SQL query over a relation holding its input columns (the processed table the ETL
 * writes, or new rows cleaned the same way): the same preprocessing (missing numbers as the training
 * median, unseen or rare categories pooled), the trees as nested CASE expressions or the logistic
 * regression's terms, and the same map from score to probability — so the engine computes, row for row,
 * what `model.predictProba` does (to rounding in the last digits: the engine adds in its own order).
 *
 * Columns added: `score` (the forest's mean vote, or log-odds), `probability` (P(positive)),
 * `prediction` (1 at or above the model's threshold) and `label` (the class name).
 */
export function modelSql(model: PipeModel, options: ModelSqlOptions): ModelSql {
  const d = MODEL_SQL_DIALECTS[options.dialect];
  if (!d) throw new ModelError(`no SQL dialect "${String(options.dialect)}": use duckdb or clickhouse`);
  const maxNodes = options.maxNodes ?? d.defaultMaxNodes;
  const inputs = new InputColumns(model.state.preprocessing.specs, d);
  const s = model.state;
  let nodes: number;
  let score: string;
  let probability: string;
  if (model.linear) {
    const { coef, intercept } = model.linear.state;
    nodes = coef.length;
    if (nodes > maxNodes) throw new SqlBudgetError(nodes, maxNodes, "weights");
    score = [literal(intercept), ...inputs.linearTerms(model.linear.state)].join("\n    + ");
    probability = sigmoidOf("score");
  } else {
    const trees = s.forest.trees;
    nodes = trees.reduce((sum, t) => sum + t.feature.length, 0);
    if (nodes > maxNodes) throw new SqlBudgetError(nodes, maxNodes, `tree nodes (${trees.length} trees)`);
    const sum = trees.map((t) => treeSql(t, 0, inputs, "    ")).join("\n    + ");
    if (s.boosting) {
      score = `${literal(s.boosting.intercept)}\n    + ${sum}`;
      probability = sigmoidOf("score");
    } else {
      score = `(${sum}) / ${trees.length}`;
      const c = s.calibration;
      // calibrate(): σ(a · logit((p·n + ½) / (n + 1)) + b), n the number of trees.
      const q = `((score * ${trees.length} + 0.5) / ${trees.length + 1})`;
      probability = c ? sigmoidOf(`(${literal(c.a)} * ${d.ln(`${q} / (1 - ${q})`)} + ${literal(c.b)})`) : "score";
    }
  }
  const negative = s.classes.find((c) => c !== s.positiveClass) as string;
  const header = [
    `-- pipe model ${model.version || model.modelId.slice(0, 12)}: ${model.kindName}, ${model.sizeName}; target ${s.target}, positive class ${s.positiveClass}`,
    `-- score: ${model.scoreName}. Written for ${d.name} by \`pipe export --sql\`; regenerate it when the model changes.`,
    `-- Input columns: ${s.preprocessing.specs.map((c) => `${c.name} (${c.kind === "numeric" ? "number" : c.kind === "date" ? "ISO date" : "category"})`).join(", ")}.`,
  ];
  const sql = [
    ...header,
    `SELECT *, CASE WHEN probability >= ${literal(s.threshold)} THEN 1 ELSE 0 END AS prediction,`,
    `  CASE WHEN probability >= ${literal(s.threshold)} THEN ${d.text(s.positiveClass)} ELSE ${d.text(negative)} END AS label`,
    `FROM (SELECT *, ${probability} AS probability`,
    "  FROM (",
    `    ${inputs.select(true, `\n    ${score}\n    AS score\n   `, options.relation)}) AS pipe_scored) AS pipe_mapped`,
    "",
  ].join("\n");
  const bytes = Buffer.byteLength(sql, "utf8");
  const warnings: string[] = [];
  if (d.maxQueryBytes !== null && bytes > d.maxQueryBytes) {
    warnings.push(
      `the query is ${Math.ceil(bytes / 1024)} KiB, over ClickHouse's default max_query_size (${d.maxQueryBytes / 1024} KiB): raise it for the session that runs it (SET max_query_size = ${2 ** Math.ceil(Math.log2(bytes + 1))})`,
    );
  }
  const extra = inputs.derivedColumns;
  if (d.name === "clickhouse" && extra.length > 0)
    warnings.push(
      `the result holds, after the relation's columns, the work columns the model's dates are read into (${extra.join(", ")}): ClickHouse's older servers cannot leave columns out of SELECT *`,
    );
  return { sql, nodes, bytes, warnings };
}

/**
 * The logistic function of `z` (a column or a parenthesised expression). Written once, so a long `z`
 * is not repeated: for z below -709 exp overflows to infinity in both engines (no error) and the
 * result is 0, as JavaScript's sigmoid gives; elsewhere the two forms differ in the last digits only.
 */
function sigmoidOf(z: string): string {
  return `1 / (1 + exp(-${z}))`;
}

/**
 * A double as a SQL literal both engines read back as exactly this value: exponent notation is a
 * DOUBLE in DuckDB (a plain `0.1` would be a DECIMAL) and the shortest digits that round-trip.
 */
export function literal(value: number): string {
  if (!Number.isFinite(value)) throw new ModelError(`the model holds ${value}, which SQL cannot write as a number; train it again`);
  const text = value.toExponential();
  return value < 0 ? `(${text})` : text;
}

/** A tree's value for a row, as nested CASE expressions. */
function treeSql(t: FlatTree, node: number, inputs: InputColumns, indent: string): string {
  const f = t.feature[node] as number;
  if (f < 0) return literal(t.value[node] as number);
  const inner = `${indent}  `;
  return `CASE WHEN ${inputs.atMost(f, t.threshold[node] as number)}\n${inner}THEN ${treeSql(t, t.left[node] as number, inputs, inner)}\n${inner}ELSE ${treeSql(t, t.right[node] as number, inputs, inner)} END`;
}

type MatrixColumn =
  | { spec: NumericSpec; indicator: boolean }
  | { spec: CategoricalSpec; indicator: false }
  | { spec: DateSpec; indicator: false; part: DatePart; median: number; column: string };

/** The preprocessed matrix's columns as SQL over the raw ones (see Preprocessor.transformValues). */
export class InputColumns {
  private readonly columns: MatrixColumn[] = [];
  /** What the engine computes from the date columns before a row's parts can be read. */
  private readonly layers: DerivedLayers;

  constructor(
    specs: readonly ColumnSpec[],
    private readonly d: ModelSqlDialect,
  ) {
    const dateLayers: DerivedLayers[] = [];
    for (const spec of specs) {
      if (spec.kind === "date") {
        const sql = datePartsSql(d, d.ident(spec.name), `pipe_date${dateLayers.length}`, spec.parts);
        dateLayers.push(sql.layers);
        spec.parts.forEach((part, p) => {
          this.columns.push({ spec, indicator: false, part, median: spec.medians[p] as number, column: sql.part(part) });
        });
      } else if (spec.kind === "numeric") {
        this.columns.push({ spec, indicator: false });
        if (spec.indicator) this.columns.push({ spec, indicator: true });
      } else this.columns.push({ spec, indicator: false });
    }
    this.layers = mergeLayers(dateLayers);
  }

  /**
   * `SELECT [*, ]list FROM from`, where `list` may use the matrix columns' values ({@link value}, {@link atMost}):
   * a date's parts are computed once a row, beside the query, and `*` holds `from`'s own columns only.
   */
  select(star: boolean, list: string, from: string): string {
    return this.d.selectDerived(star, list, from, this.layers);
  }

  private number(spec: NumericSpec): string {
    return this.d.number(this.d.ident(spec.name));
  }

  /** What the model reads for a number: the value, or the training median when missing. */
  private imputed(spec: NumericSpec): string {
    return `coalesce(${this.number(spec)}, ${literal(spec.median)})`;
  }

  /** A category's text; NULL reads as "" (an empty field, as the CSV path sees it). */
  private level(spec: CategoricalSpec): string {
    return `coalesce(${this.d.label(this.d.ident(spec.name))}, '')`;
  }

  /** The columns computed beside the relation for its dates (see {@link select}), in order. */
  get derivedColumns(): string[] {
    return this.layers.flat().map(([name]) => name);
  }

  get width(): number {
    return this.columns.length;
  }

  /** Matrix column `j`'s value: a number (imputed), a missing indicator (0/1), a category's code, or a date's part (imputed). */
  value(j: number): string {
    const c = this.columns[j] as MatrixColumn;
    if (c.spec.kind === "categorical") {
      const spec = c.spec;
      const cases = spec.levels.flatMap((level, code) => (code === spec.otherCode ? [] : [`WHEN ${this.d.text(level)} THEN ${code}`]));
      // A flag's yes/no in other words (a BOOLEAN's true/false for Yes/No), as the scorer reads them.
      const synonyms = flagSynonyms(spec);
      const otherwise =
        synonyms.length === 0
          ? String(spec.otherCode)
          : `CASE lower(${this.level(spec)}) ${synonyms.map(({ word, code }) => `WHEN ${this.d.text(word)} THEN ${code}`).join(" ")} ELSE ${spec.otherCode} END`;
      return cases.length === 0 ? otherwise : `CASE ${this.level(spec)} ${cases.join(" ")} ELSE ${otherwise} END`;
    }
    if ("part" in c) return `coalesce(${c.column}, ${literal(c.median)})`;
    return c.indicator ? `CASE WHEN ${this.number(c.spec)} IS NULL THEN 1 ELSE 0 END` : this.imputed(c.spec);
  }

  /** Whether matrix column `j` is at most `threshold` (a tree's left branch). */
  atMost(j: number, threshold: number): string {
    const c = this.columns[j];
    if (!c) throw new ModelError(`a tree splits on matrix column ${j}; the preprocessing has ${this.columns.length}`);
    if ("part" in c) return `${this.value(j)} <= ${literal(threshold)}`;
    if (c.spec.kind === "numeric") {
      if (!c.indicator) return `${this.imputed(c.spec)} <= ${literal(threshold)}`;
      // The indicator is 1 when the value is missing, 0 otherwise.
      if (threshold >= 1) return "1 = 1";
      if (threshold >= 0) return `${this.number(c.spec)} IS NOT NULL`;
      return "1 = 0";
    }
    // A category's code is its level's index (unseen and rare values: the pooled level's): the codes at
    // most the threshold are a set of levels, or everything but a set when the pooled code is among them.
    const spec = c.spec;
    // A flag's synonyms are read through its code.
    if (flagSynonyms(spec).length > 0) return `${this.value(j)} <= ${literal(threshold)}`;
    const low: string[] = [];
    const high: string[] = [];
    spec.levels.forEach((level, code) => {
      if (code !== spec.otherCode) (code <= threshold ? low : high).push(this.d.text(level));
    });
    if (spec.otherCode <= threshold) return high.length === 0 ? "1 = 1" : `NOT ${this.d.inList(this.level(spec), high)}`;
    return low.length === 0 ? "1 = 0" : this.d.inList(this.level(spec), low);
  }

  /** The logistic regression's terms, one per matrix column, as LinearDesign.termsOf computes them. */
  linearTerms(state: { coef: readonly number[]; mean: readonly number[]; sd: readonly number[] }): string[] {
    let offset = 0;
    return this.columns.map((c, j) => {
      if (c.spec.kind === "categorical") {
        const spec = c.spec;
        const weights = spec.levels.map((_, code) => literal(state.coef[offset + code] as number));
        offset += spec.levels.length;
        const cases = spec.levels.flatMap((level, code) => (code === spec.otherCode ? [] : [`WHEN ${this.d.text(level)} THEN ${weights[code]}`]));
        const synonyms = flagSynonyms(spec);
        const otherwise =
          synonyms.length === 0
            ? weights[spec.otherCode]
            : `CASE lower(${this.level(spec)}) ${synonyms.map(({ word, code }) => `WHEN ${this.d.text(word)} THEN ${weights[code]}`).join(" ")} ELSE ${weights[spec.otherCode]} END`;
        return `CASE ${this.level(spec)} ${cases.join(" ")} ELSE ${otherwise} END`;
      }
      const w = literal(state.coef[offset++] as number);
      return `(${this.value(j)} - ${literal(state.mean[j] as number)}) / ${literal(state.sd[j] as number)} * ${w}`;
    });
  }
}
