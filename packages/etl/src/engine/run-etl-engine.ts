import { randomBytes } from "node:crypto";
import { formatCsvRow } from "../csv/format.js";
import { EngineError } from "../errors.js";
import type { ColumnFacts } from "../internal/profile.js";
import { AtomicTextWriter, writeThroughTemporary } from "../load/atomic.js";
import { type EtlOptions, type ResolvedEtlOptions, resolveOptions } from "../options.js";
import type { Binning } from "../rules/discretize.js";
import { checksSql, REJECT_RULES, type RejectRule, stepsSql } from "../rules/index.js";
import { type CellCounts, emptyCellCounts } from "../rules/normalise.js";
import type { EtlReport, EtlResult } from "../run-etl.js";
import { decideDuplicates } from "../schema/duplicates.js";
import { finalSchema } from "../schema/final-schema.js";
import { buildColumnSchema, tokenDropWarnings } from "../schema/infer.js";
import { checkNamedColumns, checkRowWidths, checkRuleTypes, chooseClasses, fitBins } from "../schema/infer-schema.js";
import { targetTokensWarning } from "../schema/target-tokens.js";
import type { ColumnSchema } from "../schema/types.js";
import { countedRows } from "./counted-rows.js";
import type { SqlDialect } from "./dialect.js";
import type { Engine, SqlValue } from "./engine.js";
import { profileInEngine, weightedNumbersInEngine } from "./profile-sql.js";
import { dateMsSql, numberSql } from "./sql-values.js";

/** The rows an engine ETL reads: a relation of the engine, and how its rows are numbered in the rejects. */
export interface EngineInput {
  /** A table or view name, or a table function (`read_parquet('f.parquet', file_row_number = true)`). */
  relation: string;
  /** What messages and the report call the input. */
  name: string;
  /**
   * The expression numbering the rows in rejected.csv's `source_line`: a CSV loaded by {@link loadCsv}
   * has its lines in `__line`; a table its row number (`rowid + 1` in DuckDB). Left out of the columns.
   */
  line: string;
  /** Column names of the relation that are not data (the line column, a file row number). */
  ignore?: readonly string[];
  /** Rows read aside before the engine (see loadCsv): how many, and the table holding them; of them, the rows of another field count. */
  setAside?: { table: string; rows: number; ragged?: { rows: number; width: number } };
  /** The CSV layout, for the report, when the input was one. */
  layout?: { delimiter: string; hasHeader: boolean; encoding: "utf-8" | "latin1" | "windows-1252"; bytes: number | null };
}

/** Where an engine ETL writes: CSV files (as the native ETL), tables of the engine, or both. */
export interface EngineOutputs {
  /** CSV files, written atomically. */
  processed?: string;
  rejected?: string;
  /**
   * Tables of the engine, replaced if they exist, named as a statement names them: quoted where needed
   * (`engine.dialect.ident("clean")`) and qualified by a database or schema where wanted (`warehouse."clean"`).
   */
  processedTable?: string;
  rejectedTable?: string;
}

// Work tables named for this process: runs against one shared server do not meet.
const RUN = `${process.pid}_${randomBytes(3).toString("hex")}`;
const TRIMMED = `pipe_etl_trimmed_${RUN}`;
const NORM = `pipe_etl_norm_${RUN}`;
const CHECKED = `pipe_etl_checked_${RUN}`;
const CLEAN = `pipe_etl_clean_${RUN}`;
const STEP_NAMES: readonly (keyof CellCounts)[] = ["trimmed", "missing_token", "zero_as_missing", "recoded", "case_normalised", "filled"];

/**
 * The ETL pushed to an engine: the same rules, decisions and outputs as {@link runEtl}, computed by
 * SQL where the rows are. The rules compile to the engine's dialect (each rule's `sql`); the engine
 * normalises every cell into a table, profiles it with aggregates (only those leave it), and pipe
 * decides the schema, the classes, the bins and the duplicates policy from them with the native
 * code; the engine then checks every row and writes the outcome. The processed and rejected rows go
 * to CSV files, to tables of the engine, or both. A contract suite holds it to the native ETL.
 */
export async function runEtlInEngine(engine: Engine, input: EngineInput, options: EtlOptions, outputs: EngineOutputs): Promise<EtlResult> {
  try {
    return await etlInWorkTables(engine, input, options, outputs);
  } finally {
    // The work tables are the size of the input: never left behind, even when a step fails.
    for (const table of [TRIMMED, NORM, CHECKED, CLEAN]) await engine.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}

async function etlInWorkTables(engine: Engine, input: EngineInput, options: EtlOptions, outputs: EngineOutputs): Promise<EtlResult> {
  const d = engine.dialect;
  const opts = resolveOptions(options);
  const ignore = new Set(input.ignore ?? []);
  const columns = (await engine.columnsOf(input.relation)).filter((c) => !ignore.has(c));
  checkNamedColumns(columns, opts, input.name);
  const width = columns.length;
  const targetIndex = columns.indexOf(opts.target);

  for (const s of d.replaceWorkTable(TRIMMED, trimSql(d, input, columns))) await engine.run(s);
  for (const s of d.replaceWorkTable(NORM, normaliseSql(d, columns, opts))) await engine.run(s);
  // A target with a fill has no missing values: its tokens are filled, not missing.
  const targetTokens =
    opts.rules[opts.target]?.fill === undefined
      ? await missingTokensOf(engine, targetIndex, [...opts.missingTokens, ...(opts.rules[opts.target]?.missingTokens ?? [])])
      : new Map<string, number>();
  await engine.run(`DROP TABLE IF EXISTS ${TRIMMED}`);
  const [counted] = await engine.rows(`SELECT count(*) AS rows, ${STEP_NAMES.map((s) => `coalesce(sum(c_${s}), 0) AS ${s}`).join(", ")} FROM ${NORM}`);
  const seen = Number(counted?.rows ?? 0);
  const setAside = input.setAside?.rows ?? 0;
  const rows = seen + setAside;
  if (rows === 0) throw new EngineError(`${input.name} has no rows`);

  const facts = await profileInEngine(
    engine,
    NORM,
    columns.map((name, j) => ({ name, expr: `n_${j}` })),
  );
  facts[targetIndex] = { ...facts[targetIndex], missingTokens: targetTokens } as ColumnFacts;
  // The tokens of columns about to be dropped as mostly empty, for the reason (one may be a value: tokenNote).
  const empty = facts.flatMap((f, j) => (j !== targetIndex && f.missing / Math.max(1, rows) > opts.maxMissingShare ? [j] : []));
  const emptyTokens = await tokenCountsOf(
    engine,
    empty.map((j) => ({ j, tokens: [...opts.missingTokens, ...(opts.rules[columns[j] as string]?.missingTokens ?? [])] })),
  );
  for (const [k, j] of empty.entries()) facts[j] = { ...facts[j], missingTokens: emptyTokens[k] } as ColumnFacts;
  const planned = facts.map((p) => buildColumnSchema(p, rows, opts));
  checkRuleTypes(planned, facts, opts, input.name);
  const duplicates = await decideDuplicates(opts.duplicates, facts, seen, async () => {
    const [r] = await engine.rows(`SELECT coalesce(sum(k * (k - 1) / 2), 0) AS pairs FROM (SELECT count(*) AS k FROM ${NORM} GROUP BY row_hash) g`);
    return Number(r?.pairs ?? 0);
  });
  if (input.setAside?.ragged) checkRowWidths(input.name, width, rows, input.setAside.ragged);
  const binnings: (Binning | undefined)[] = [];
  for (let j = 0; j < width; j++) {
    const name = columns[j] as string;
    const schema = planned[j] as ColumnSchema;
    const quantile = opts.rules[name]?.discretize?.method === "quantile" && schema.role !== "dropped";
    const numbers = quantile ? await weightedNumbersInEngine(engine, NORM, `n_${j}`) : { values: new Float64Array(0), weights: new Float64Array(0) };
    binnings.push(fitBins(name, schema, facts[j] as ColumnFacts, opts, () => numbers));
  }
  const { positive, negative } = chooseClasses(facts[targetIndex], opts, binnings[targetIndex]);

  const kept = planned.map((s, j) => (s.role === "dropped" ? -1 : j)).filter((j) => j >= 0);
  const { checked, clean } = cleanSql(d, columns, planned, binnings, opts, duplicates.drop, targetIndex);
  for (const s of d.replaceWorkTable(CHECKED, checked)) await engine.run(s);
  await engine.run(`DROP TABLE IF EXISTS ${NORM}`);
  // The last work table in the database file: every output is an ORDER BY over it, and read from a temporary
  // table that sort ran out of a 100MB limit at 1 M rows (on one thread too), where from a stored one it completes.
  for (const s of d.replaceTable(CLEAN, clean)) await engine.run(s);
  await engine.run(`DROP TABLE IF EXISTS ${CHECKED}`);
  const outcomes = await engine.rows(
    `SELECT rule, count(*) AS n, coalesce(sum(mism), 0) AS mism, coalesce(sum(repeated), 0) AS repeated FROM ${CLEAN} GROUP BY rule`,
  );
  const rejectedByRule: Partial<Record<RejectRule, number>> = {};
  let rowsOut = 0;
  let mismatches = 0;
  let repeatedKept = 0;
  for (const o of outcomes) {
    mismatches += Number(o.mism);
    repeatedKept += Number(o.repeated);
    if (o.rule === null) rowsOut = Number(o.n);
    else rejectedByRule[o.rule as RejectRule] = Number(o.n);
  }
  if (input.setAside && setAside > 0) {
    for (const r of await engine.rows(`SELECT rule, count(*) AS n FROM ${d.ident(input.setAside.table)} GROUP BY rule`)) {
      rejectedByRule[r.rule as RejectRule] = (rejectedByRule[r.rule as RejectRule] ?? 0) + Number(r.n);
    }
  }
  const ordered = Object.fromEntries(REJECT_RULES.filter((r) => rejectedByRule[r] !== undefined).map((r) => [r, rejectedByRule[r]])) as typeof rejectedByRule;
  const rowsRejected = rows - rowsOut;

  const keptFacts = await profileInEngine(
    engine,
    `(SELECT * FROM ${CLEAN} WHERE rule IS NULL) kept`,
    kept.map((j) => ({ name: columns[j] as string, expr: `o_${j}` })),
  );
  const { schema, classCounts } = finalSchema({
    name: input.name,
    planned,
    kept,
    keptFacts,
    binnings,
    options: opts,
    rowsOut,
    targetIndex,
    positiveClass: positive,
    negativeClass: negative,
  });
  await writeOutputs(engine, input, columns, kept, outputs, { processed: rowsOut, rejected: rowsRejected });

  const cells = { ...emptyCellCounts(), type_mismatch_as_missing: mismatches };
  for (const s of STEP_NAMES) cells[s] = Number(counted?.[s] ?? 0);
  const layout = input.layout;
  const report: EtlReport = {
    input: input.name,
    bytes: layout?.bytes ?? null,
    encoding: layout?.encoding ?? "utf-8",
    delimiter: layout?.delimiter ?? "",
    has_header: layout?.hasHeader ?? true,
    second_pass: `in the engine (${d.name})`,
    columns_in: width,
    columns_out: schema.columns.length,
    rows_in: rows,
    rows_out: rowsOut,
    rows_rejected: rowsRejected,
    rejected_by_rule: ordered,
    cells,
    dropped_columns: planned.filter((s) => s.role === "dropped").map((s) => ({ name: s.name, reason: s.dropReason ?? "" })),
    duplicates: { ...duplicates, repeated_rows: duplicates.drop ? (rejectedByRule.duplicate_row ?? 0) : repeatedKept },
    discretised: columns.flatMap((name, j) => {
      const binning = binnings[j];
      const rule = opts.rules[name]?.discretize;
      return binning && rule ? [{ name, method: rule.method, edges: binning.edges }] : [];
    }),
    target: opts.target,
    positive_class: positive,
    class_counts: classCounts,
    warnings: [targetTokensWarning(facts[targetIndex], rows, opts), ...tokenDropWarnings(planned, facts)].filter((w) => w !== undefined),
  };
  return { schema, report };
}

/** Column j's cells that a missing token (not a blank) made missing: each token with its count, the first 20 met (as the native profile counts them). */
async function missingTokensOf(engine: Engine, j: number, tokens: readonly string[]): Promise<Map<string, number>> {
  const d = engine.dialect;
  const words = [...new Set(tokens)].filter((t) => t !== "");
  if (words.length === 0) return new Map();
  const t = `t_${j}`;
  const found = await engine.rows(
    `SELECT ${t} AS token, count(*) AS n, min(__line) AS first FROM ${TRIMMED} WHERE ${d.inList(
      t,
      words.map((w) => d.text(w)),
    )} GROUP BY ${t} ORDER BY first LIMIT 20`,
  );
  return new Map(found.map((r) => [String(r.token), Number(r.n)]));
}

/**
 * Each listed column's cells that a missing token made missing, by token (those met), in one pass over the
 * normalised table however many columns are listed (a wide table may drop dozens as mostly empty). What
 * the drop reasons read of them — the most frequent token and their total — is the native profile's.
 */
async function tokenCountsOf(engine: Engine, columns: readonly { j: number; tokens: readonly string[] }[]): Promise<Map<string, number>[]> {
  const d = engine.dialect;
  const asked = columns.map(({ j, tokens }) => ({ j, words: [...new Set(tokens)].filter((t) => t !== "") }));
  const sums = asked.flatMap(({ j, words }) => words.map((w, k) => `sum(CASE WHEN t_${j} = ${d.text(w)} THEN 1 ELSE 0 END) AS n_${j}_${k}`));
  if (sums.length === 0) return asked.map(() => new Map());
  // The normalised table keeps each raw cell, not its trimmed text.
  const trimmed = asked.map(({ j }) => `${d.trim(`r_${j}`)} AS t_${j}`).join(", ");
  const [r] = await engine.rows(`SELECT ${sums.join(", ")} FROM (SELECT ${trimmed} FROM ${NORM}) c`);
  return asked.map(
    ({ j, words }) => new Map(words.flatMap((w, k): [string, number][] => (Number(r?.[`n_${j}_${k}`] ?? 0) > 0 ? [[w, Number(r?.[`n_${j}_${k}`])]] : []))),
  );
}

/**
 * Each raw value (NULL read as "") and its trimmed text, in a table of their own: inlined into the
 * steps after it, the trimming (a regular expression per column) would be compiled once per use, and
 * a wide table's hundreds of copies exhaust the engine's memory.
 */
function trimSql(d: SqlDialect, input: EngineInput, columns: readonly string[]): string {
  const raw = columns.map((c, j) => `coalesce(CAST(${d.ident(c)} AS ${d.varchar}), '') AS r_${j}`);
  const raws = `SELECT ${input.line} AS __line, ${raw.join(", ")} FROM ${input.relation}`;
  return `SELECT *, ${columns.map((_, j) => `${d.trim(`r_${j}`)} AS t_${j}`).join(", ")} FROM (${raws}) s`;
}

/**
 * The normalised table: per column its raw text `r_j` (NULL read as ""), its normalised value `n_j`
 * ("" is missing) after trimming, the missing tokens and the column's steps in registry order — a
 * value a step makes missing takes no further step — and per row the cells each step changed.
 */
function normaliseSql(d: SqlDialect, columns: readonly string[], opts: ResolvedEtlOptions): string {
  let sql = `SELECT * FROM ${TRIMMED}`;
  const counts: Record<keyof CellCounts, string[]> = { trimmed: [], missing_token: [], zero_as_missing: [], recoded: [], case_normalised: [], filled: [] };
  const first = columns.map((c, j) => {
    const tokens = [...new Set([...opts.missingTokens, ...(opts.rules[c]?.missingTokens ?? [])])];
    const t = `t_${j}`;
    counts.trimmed.push(`${d.length(t)} <> ${d.length(`r_${j}`)}`);
    const inTokens =
      tokens.length === 0
        ? "(1 = 0)"
        : d.inList(
            t,
            tokens.map((x) => d.text(x)),
          );
    counts.missing_token.push(`(${inTokens} AND ${t} <> '')`);
    return { t, inTokens };
  });
  sql = `SELECT *, ${first.map(({ t, inTokens }, j) => `CASE WHEN ${inTokens} THEN '' ELSE ${t} END AS s0_${j}`).join(", ")} FROM (${sql}) s`;
  const steps = columns.map((c) => stepsSql(opts.rules[c], d));
  const depth = Math.max(0, ...steps.map((s) => s.length));
  for (let k = 1; k <= depth; k++) {
    const stage = columns.map((_, j) => {
      const step = steps[j]?.[k - 1];
      const prev = `s${k - 1}_${j}`;
      if (!step) return `${prev} AS s${k}_${j}`;
      const { value, counted } = step.step(prev);
      counts[step.counts].push(`(${prev} <> '' AND ${counted})`);
      return `CASE WHEN ${prev} = '' THEN '' ELSE ${value} END AS s${k}_${j}`;
    });
    sql = `SELECT *, ${stage.join(", ")} FROM (${sql}) s`;
  }
  // Last, a missing value takes the column's fill (makeCellNormaliser's order).
  const fills = columns.map((c) => opts.rules[c]?.fill?.trim());
  fills.forEach((f, j) => {
    if (f !== undefined) counts.filled.push(`(s${depth}_${j} = '')`);
  });
  const normalised = (j: number) => {
    const f = fills[j];
    const s = `s${depth}_${j}`;
    return f === undefined ? s : `CASE WHEN ${s} = '' THEN ${d.text(f)} ELSE ${s} END`;
  };
  const sum = (conditions: string[]) => (conditions.length === 0 ? "0" : conditions.map((c) => `CASE WHEN ${c} THEN 1 ELSE 0 END`).join(" + "));
  const raws = columns.map((_, j) => `r_${j}`);
  return `SELECT __line, ${raws.join(", ")}, ${d.rowHash(raws)} AS row_hash, ${columns.map((_, j) => `${normalised(j)} AS n_${j}`).join(", ")}, ${STEP_NAMES.map((s) => `${sum(counts[s])} AS c_${s}`).join(", ")} FROM (${sql}) s`;
}

/**
 * Every row's outcome, as the native clean pass decides it: the target missing first, then the
 * columns in order (each its first failing check: required, the type — or the cell read as missing
 * with onTypeMismatch "missing" — then its rules in registry order), then the date order, then a
 * repeat of an earlier kept row (the same values once cleaned). Also each written column's output (a bin label for binned ones).
 */
function cleanSql(
  d: SqlDialect,
  columns: readonly string[],
  planned: readonly ColumnSchema[],
  binnings: readonly (Binning | undefined)[],
  opts: ResolvedEtlOptions,
  dedupe: boolean,
  targetIndex: number,
): { checked: string; clean: string } {
  const width = columns.length;
  const missingOnMismatch = opts.onTypeMismatch === "missing";
  const stageA: string[] = [];
  const faulty: number[] = [];
  const mismatching: number[] = [];
  for (let j = 0; j < width; j++) {
    const n = `n_${j}`;
    const name = columns[j] as string;
    const compiled = checksSql(planned[j] as ColumnSchema, opts.rules[name], d);
    let value = n;
    if (compiled) {
      const faults: string[] = [];
      const details: string[] = [];
      if (compiled.required) {
        faults.push(`WHEN ${n} = '' THEN 'required_missing'`);
        details.push(`WHEN ${n} = '' THEN 'a required value is missing'`);
      } else {
        faults.push(`WHEN ${n} = '' THEN NULL`);
        details.push(`WHEN ${n} = '' THEN NULL`);
      }
      for (const { rule, check } of compiled.checks) {
        const { fails, detail } = check(n);
        const asMissing = rule === "type_mismatch" && missingOnMismatch;
        if (asMissing) {
          stageA.push(`(${n} <> '' AND ${fails}) AS m_${j}`);
          mismatching.push(j);
          value = `CASE WHEN m_${j} THEN '' ELSE ${n} END`;
        }
        faults.push(`WHEN ${fails} THEN ${asMissing ? "NULL" : d.text(rule)}`);
        details.push(`WHEN ${fails} THEN ${asMissing ? "NULL" : detail}`);
      }
      stageA.push(`CASE ${faults.join(" ")} END AS f_${j}`, `CASE ${details.join(" ")} END AS d_${j}`);
      faulty.push(j);
    }
    stageA.push(`${value} AS v_${j}`);
  }
  const written = new Set(planned.flatMap((s, j) => (s.role === "dropped" ? [] : [j])));
  const dated = new Set(opts.dateOrder.flatMap(({ before, after }) => [columns.indexOf(before), columns.indexOf(after)]));
  const stageB: string[] = [];
  for (let j = 0; j < width; j++) {
    if (written.has(j)) stageB.push(`${outputSql(d, `v_${j}`, binnings[j])} AS o_${j}`);
    if (dated.has(j)) stageB.push(`${dateMsSql(d, `v_${j}`)} AS ms_${j}`);
  }
  // Stage A computes every column's fault with its cell read as missing when so configured, stage
  // B the row's first fault: in the order of the native pass, which stops at the first.
  const when = (then: (j: number) => string) => faulty.map((j) => `WHEN f_${j} IS NOT NULL THEN ${then(j)}`).join(" ");
  const target = `n_${targetIndex}`;
  const orders = opts.dateOrder.map(({ before, after }) => {
    const b = columns.indexOf(before);
    const a = columns.indexOf(after);
    return {
      fails: `coalesce(ms_${b} > ms_${a}, 1 = 0)`,
      column: d.text(before),
      detail: d.concat([d.text(`${before} `), `v_${b}`, d.text(` is after ${after} `), `v_${a}`]),
    };
  });
  const firstFault = (pick: (j: number) => string, orderPick: (o: (typeof orders)[number]) => string, targetValue: string) =>
    `CASE WHEN ${target} = '' THEN ${targetValue} ${when(pick)} ${orders.map((o) => `WHEN ${o.fails} THEN ${orderPick(o)}`).join(" ")} END`;
  const rule = firstFault(
    (j) => `f_${j}`,
    () => "'date_order'",
    "'missing_target'",
  );
  const column = firstFault(
    (j) => d.text(columns[j] as string),
    (o) => o.column,
    d.text(opts.target),
  );
  const detail = firstFault(
    (j) => `d_${j}`,
    (o) => o.detail,
    "'the target is missing'",
  );
  const faultColumn = `CASE WHEN ${target} = '' THEN -1 ${when((j) => String(j))} ELSE ${width} END`;
  const mism = mismatching.length === 0 ? "0" : mismatching.map((j) => `CASE WHEN m_${j} AND fc > ${j} THEN 1 ELSE 0 END`).join(" + ");
  const raws = columns.map((_, j) => `r_${j}`).join(", ");
  const outs = [...written].map((j) => `o_${j}`);
  // A repeat is a row whose values, once cleaned, equal those of an earlier kept row (as the native pass
  // fingerprints them: the value each cell is checked as, every column, dropped ones too). The rows'
  // outcomes go to a table first; the first kept line of each 64-bit value hash then joins on one integer.
  const values = d.rowHash(columns.map((_, j) => `v_${j}`));
  const a = `SELECT __line, ${raws}, n_${targetIndex}, ${stageA.join(", ")} FROM ${NORM}`;
  const b = `SELECT *, ${values} AS value_hash${stageB.length > 0 ? `, ${stageB.join(", ")}` : ""} FROM (${a}) a`;
  const checked = `SELECT __line, ${raws}${outs.length > 0 ? `, ${outs.join(", ")}` : ""}${mismatching.map((j) => `, m_${j}`).join("")}, value_hash, ${rule} AS rule0, ${column} AS col0, ${detail} AS detail0, ${faultColumn} AS fc FROM (${b}) b`;
  // Only the values kept more than once: the join's table of first lines is as small as the repeats (none
  // for distinct rows), where one entry per kept row made the join run out of a 100MB memory limit at 1 M rows.
  // A row without a match has first_line NULL (DuckDB) or 0 (ClickHouse's ANY LEFT JOIN): neither counts.
  const firstLines = `SELECT value_hash, min(__line) AS first_line FROM ${CHECKED} WHERE rule0 IS NULL GROUP BY value_hash HAVING count(*) > 1`;
  const repeat = "rule0 IS NULL AND first_line >= 1 AND first_line < __line";
  const clean = `SELECT __line, ${raws}${outs.length > 0 ? `, ${outs.join(", ")}` : ""},
    CASE WHEN rule0 IS NOT NULL THEN rule0 WHEN ${dedupe ? repeat : "1 = 0"} THEN 'duplicate_row' END AS rule,
    CASE WHEN rule0 IS NOT NULL THEN col0 ELSE '' END AS col,
    CASE WHEN rule0 IS NOT NULL THEN detail0 ELSE ${d.concat(["'same values as line '", d.integerText("first_line")])} END AS detail,
    ${mism} AS mism,
    CASE WHEN ${dedupe ? "1 = 0" : repeat} THEN 1 ELSE 0 END AS repeated
    FROM (${d.joinUsing(`SELECT * FROM ${CHECKED}`, firstLines, "value_hash")}) c`;
  return { checked, clean };
}

/** A written column's output: its value, or for a binned column the label of the value's bin. */
function outputSql(d: SqlDialect, v: string, binning: Binning | undefined): string {
  if (!binning) return v;
  const { edges, labels } = binning;
  const last = edges.length - 2;
  if (last <= 0) return `CASE WHEN ${v} = '' THEN '' ELSE ${d.text(labels[0] as string)} END`;
  const x = numberSql(d, v);
  const bins = Array.from({ length: last }, (_, i) => `WHEN ${x} <= ${d.double(edges[i + 1] as number)} THEN ${d.text(labels[i] as string)}`);
  return `CASE WHEN ${v} = '' THEN '' ${bins.join(" ")} ELSE ${d.text(labels[last] as string)} END`;
}

/**
 * A text expression written as one CSV field, as formatCsvField writes it: quoted when it holds a
 * comma, a quote or a line break, or starts or ends with a space.
 */
function csvFieldSql(d: SqlDialect, x: string): string {
  return `CASE WHEN ${x} = '' THEN '' WHEN ${d.matches(x, '[,"\r\n]|^ | $')} THEN ${quotedSql(d, x)} ELSE ${x} END`;
}

/** A text expression between double quotes, its own quotes doubled. */
function quotedSql(d: SqlDialect, x: string): string {
  return d.concat(["'\"'", d.replace(x, "'\"'", "'\"\"'"), "'\"'"]);
}

/**
 * A raw cell as the native clean pass writes it into the rejects file: as it came, quoted only when it
 * must be to read back the same (a comma, a quote or a line break; spaces around it are kept unquoted).
 */
function rawFieldSql(d: SqlDialect, x: string): string {
  return `CASE WHEN ${d.matches(x, '[,"\r\n]')} THEN ${quotedSql(d, x)} ELSE ${x} END`;
}

/**
 * Text expressions written as one CSV row (without its line break), as formatCsvRow writes it — the
 * fields from `rawFrom` on as raw cells (rawFieldSql), as the native rejects file has them.
 */
function csvRowSql(d: SqlDialect, fields: readonly string[], rawFrom = fields.length): string {
  const field = (f: string, k: number) => (k >= rawFrom ? rawFieldSql(d, f) : csvFieldSql(d, f));
  const row = d.concat(fields.flatMap((f, k) => (k === 0 ? [field(f, k)] : ["','", field(f, k)])));
  // A row of one empty field would be a blank line, which readers skip: quoted.
  return fields.length === 1 ? `CASE WHEN ${fields[0]} = '' THEN '""' ELSE ${row} END` : row;
}

/**
 * The processed and rejected rows, in the order of the input, to CSV files (atomically) and to tables.
 * The engine writes each CSV row as one text value, so a row crosses into pipe as one string.
 */
async function writeOutputs(
  engine: Engine,
  input: EngineInput,
  columns: readonly string[],
  kept: readonly number[],
  outputs: EngineOutputs,
  expected: { processed: number; rejected: number },
): Promise<void> {
  const d = engine.dialect;
  const aside = input.setAside;
  if (outputs.processedTable) {
    const select = kept.map((j) => `o_${j} AS ${d.ident(columns[j] as string)}`).join(", ");
    for (const s of d.replaceTable(outputs.processedTable, `SELECT ${select} FROM ${CLEAN} WHERE rule IS NULL ORDER BY __line`)) await engine.run(s);
  }
  if (outputs.rejectedTable) {
    const raw = columns.map((c, j) => `r_${j} AS ${d.ident(c)}`).join(", ");
    const select = `SELECT __line AS source_line, rule, col AS ${d.ident("column")}, detail, ${raw} FROM ${CLEAN} WHERE rule IS NOT NULL ORDER BY __line`;
    for (const s of d.replaceTable(outputs.rejectedTable, select)) await engine.run(s);
  }
  if (outputs.processed) {
    const row = csvRowSql(
      d,
      kept.map((j) => `o_${j}`),
    );
    const header = kept.map((j) => columns[j] as string);
    const writeLines = engine.writeLines?.bind(engine);
    if (writeLines) {
      // Written by the engine, the header line as the rows' column name: the rows never reach pipe. (A header
      // row joined to the rows by UNION ALL made the sort hold the rows' text: out of a 128MB limit at 1 M rows.)
      const path = outputs.processed;
      const named = `SELECT ${row} AS ${d.ident(formatCsvRow(header).slice(0, -1))} FROM ${CLEAN} WHERE rule IS NULL ORDER BY __line`;
      await writeThroughTemporary(path, async (temporary) => {
        const written = await writeLines(named, temporary, { header: true });
        if (written !== expected.processed)
          throw new EngineError(
            `${path}: the engine wrote ${written} of ${expected.processed} rows; nothing was written: run again, giving the engine more memory if it is short of it`,
          );
      });
    } else {
      const rows = engine.stream(`SELECT ${row} FROM ${CLEAN} WHERE rule IS NULL ORDER BY __line`);
      await writeCsv(outputs.processed, [header], countedRows(rows, expected.processed, outputs.processed));
    }
  }
  if (outputs.rejected) {
    const row = csvRowSql(d, [d.integerText("__line"), "rule", "col", "detail", ...columns.map((_, j) => `r_${j}`)], 4);
    // Rows set aside before the engine come with their fields as JSON; pipe writes those few itself.
    const rejects = `SELECT ${row} AS text, NULL AS fields, __line FROM ${CLEAN} WHERE rule IS NOT NULL`;
    // The union inside a subquery: ClickHouse orders only the last SELECT of a bare UNION ALL.
    const sql = aside
      ? `SELECT text, fields, __line FROM (${rejects} UNION ALL SELECT NULL AS text, fields, __line FROM ${d.ident(aside.table)}) u ORDER BY __line`
      : `${rejects} ORDER BY __line`;
    await writeCsv(
      outputs.rejected,
      [["source_line", "rule", "column", "detail", ...columns]],
      countedRows(engine.stream(sql), expected.rejected, outputs.rejected),
    );
  }
}

const BATCH_CHARS = 1 << 20;

/** Writes a CSV file atomically from the header and rows of text (or, for set-aside rows, their fields as a JSON array). */
async function writeCsv(path: string, head: string[][], rows: AsyncIterable<SqlValue[][]>): Promise<void> {
  const writer = new AtomicTextWriter(path);
  try {
    await writer.write(head.map((h) => formatCsvRow(h)).join(""));
    let text = "";
    for await (const batch of rows) {
      for (const row of batch) text += typeof row[0] === "string" ? `${row[0]}\n` : formatCsvRow(JSON.parse(String(row[1])) as string[]);
      if (text.length >= BATCH_CHARS) {
        await writer.write(text);
        text = "";
      }
    }
    if (text) await writer.write(text);
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
