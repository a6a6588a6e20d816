import { driftReference, REFERENCE_SAMPLE } from "../drift/reference.js";
import { ModelError } from "../errors.js";
import { type BinEdges, midpointEdges } from "../forest/binning.js";
import { RandomForestClassifier, type RandomForestParams } from "../forest/forest.js";
import type { FeatureInput } from "../frame.js";
import { rocAuc } from "../metrics/curves.js";
import { PipeModel } from "../model.js";
import { type DatePart, isoText } from "../preprocess/date-parts.js";
import { categoricalSpec, Preprocessor, type PreprocessorOptions } from "../preprocess/preprocessor.js";
import type { ColumnSpec, DateSpec, NumericSpec } from "../preprocess/spec.js";
import { datePartsSql } from "../sql/date-parts-sql.js";
import { MODEL_SQL_DIALECTS, type ModelSqlDialect } from "../sql/dialects.js";
import { InputColumns, literal } from "../sql/model-sql.js";
import { LevelGrower, type NodeSplit, type TreeBuild } from "./level-grower.js";

export type SqlCell = string | number | boolean | null;

/** What the trainer needs of an engine (@pipe/etl's DuckDB and ClickHouse engines have it). */
export interface SqlEngine {
  readonly dialect: { readonly name: ModelSqlDialect["name"] };
  run(sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, SqlCell>[]>;
  stream(sql: string): AsyncIterable<SqlCell[][]>;
  createTextTable(
    table: string,
    columns: readonly { name: string; type: "text" | "integer" }[],
  ): Promise<{ append(row: readonly (string | number)[]): void; close(): Promise<void> }>;
  /** Bytes of results read over the network so far (a server's client counts them). */
  bytesReceived?(): number;
}

export interface EngineTrainOptions {
  /** The relation holding the processed rows (the target and the feature columns), as the engine writes it. */
  relation: string;
  target: string;
  /** [negative, positive] class labels. */
  classes: [string, string];
  positiveClass: string;
  features: readonly FeatureInput[];
  /**
   * Share of rows held out for the test, chosen by a hash of each row's values and the seed: the same
   * rows whatever order the engine reads them in (a Distributed table's shards answer in any order).
   */
  testSize: number;
  seed: number;
  /** A column marking held-out rows instead (1, true or "test"; anything else trains). */
  testColumn?: string;
  forest?: RandomForestParams;
  preprocessing?: PreprocessorOptions;
  /** Trees grown together: one pass over the rows per tree level (default: {@link defaultTreesPerPass}). */
  treesPerPass?: number;
  dataSha256?: string;
  createdAt?: string;
  versions?: Record<string, string>;
  onProgress?: (p: { treesBuilt: number; nEstimators: number; level: number }) => void;
  /**
   * Each batch of held-out rows as the engine streams them to be scored (ordered by the rows' values' hash,
   * so the same every run): per row the 0/1 label, then the `columns` (the model's features) as the engine
   * holds them. For keeping them, e.g. to evaluate the model in full afterwards.
   */
  onHeldOut?: (batch: readonly (readonly SqlCell[])[], columns: readonly string[]) => void | Promise<void>;
}

export interface EngineTrainResult {
  model: PipeModel;
  rows: { train: number; test: number };
  /** Training rows of the positive class. */
  trainPositives: number;
  /** ROC AUC on the held-out rows (null when they hold one class only). */
  testRocAuc: number | null;
  /** What came back from the engine: statements run, result rows read (aggregates, histograms, the test rows) and their bytes over the network (0 from an embedded engine). */
  transfer: { statements: number; resultRows: number; bytes: number };
}

/** Poisson(1) cumulative probabilities: a row's draws in a bootstrap sample of n from n, for large n. */
const POISSON_CDF = (() => {
  const out: number[] = [];
  let p = Math.exp(-1);
  let cdf = 0;
  for (let k = 0; k < 8; k++) {
    cdf += p;
    out.push(cdf);
    p /= k + 1;
  }
  return out;
})();

/**
 * Trees a pass grows together when the caller does not say. Measured at 1 M rows, 20 trees of depth 12
 * (the same model whatever the count): DuckDB in the process is fastest and smallest with few — under a
 * 512MB limit 1, 2, 5, 10 trees a pass took 60, 59, 64, 68 s at 552, 610, 682, 707 MB; under 128MB 60, 63,
 * 70, 83 s at 391, 408, 400, 442 MB — as each level's table of (row, tree) draws stays small; a ClickHouse
 * server, a statement away over the network, was faster with more (10: 117 s, 2: 139 s).
 */
export function defaultTreesPerPass(engine: ModelSqlDialect["name"]): number {
  return engine === "duckdb" ? 2 : 10;
}

const QUANTILES = Array.from({ length: 256 }, (_, k) => k / 256);
/** Bins a feature may have (bins are stored as 8-bit numbers). */
const BINS = 256;

/**
 * A random forest trained where the rows are (DuckDB, ClickHouse): only aggregates leave the engine.
 * The preprocessing is fitted from aggregates (category counts and positive rates; medians read at their
 * ranks of a sort), the bin edges from quantiles (read the same way), and each tree level's class
 * histograms by one GROUP BY (of the level's (tree, node, feature) candidate and the bin) over a table of
 * the training rows' bins for a pass of trees. A row's bootstrap draws in tree t
 * are Poisson(1) from a hash of (row, t, seed), so no row list exists outside the engine either. Pipe
 * grows the trees from the histograms (Gini, features drawn per node as scikit-learn does), writes the
 * next level's node of every row back by a join with the splits, and saves the usual model file. The
 * held-out rows are scored by streaming them through the model, keeping only their scores; with a seeded
 * sample of each numeric column's training values (REFERENCE_SAMPLE rows at most, drawn by the engine)
 * they are the model's drift reference, as for a model trained in process.
 */
export async function trainForestInEngine(engine: SqlEngine, options: EngineTrainOptions): Promise<EngineTrainResult> {
  const d = MODEL_SQL_DIALECTS[engine.dialect.name];
  if (options.features.length === 0) throw new ModelError("no feature columns to train on; check the ETL's dropped columns");
  const forestParams = new RandomForestClassifier({ seed: options.seed, ...options.forest }).params;
  const prefix = `pipe_fit_${Math.random().toString(36).slice(2, 10)}`;
  const tables = {
    rows: `${prefix}_rows`,
    values: `${prefix}_values`,
    bins: `${prefix}_bins`,
    splits: `${prefix}_splits`,
    candidates: `${prefix}_candidates`,
    nodes: [`${prefix}_a`, `${prefix}_b`],
  };
  const transfer = { statements: 0, resultRows: 0, bytes: 0 };
  const bytesAtStart = engine.bytesReceived?.() ?? 0;
  const run = async (statements: string[]) => {
    for (const sql of statements) {
      transfer.statements++;
      await engine.run(sql);
    }
  };
  const rows = async (sql: string) => {
    transfer.statements++;
    const out = await engine.rows(sql);
    transfer.resultRows += out.length;
    return out;
  };
  try {
    // The rows with their values' hash (the row's identity), the 0/1 label and the test flag; the feature columns as they are.
    const ident = (name: string) => d.ident(name);
    const target = `coalesce(${d.label(ident(options.target))}, '')`;
    const test = options.testColumn
      ? `CASE WHEN lower(${d.label(ident(options.testColumn))}) IN ('1', 'true', 'test') THEN 1 ELSE 0 END`
      : `CASE WHEN ${d.unitHash(["pipe_rid", String(options.seed)])} < ${literal(options.testSize)} THEN 1 ELSE 0 END`;
    const featureCols = options.features.map((f) => ident(f.name)).join(", ");
    await run(
      d.createTable(
        tables.rows,
        `SELECT pipe_rid, CASE WHEN ${target} = ${d.text(options.positiveClass)} THEN 1 ELSE 0 END AS pipe_y, ${test} AS pipe_test, ${featureCols}
         FROM (SELECT ${d.rowHash([options.target, ...options.features.map((f) => f.name)].map(ident))} AS pipe_rid, * FROM (SELECT * FROM ${options.relation} WHERE ${target} IN (${options.classes.map((c) => d.text(c)).join(", ")})) AS pipe_in) AS pipe_numbered`,
      ),
    );
    const train = `(SELECT * FROM ${tables.rows} WHERE pipe_test = 0) AS pipe_train`;
    const [counts] = await rows(`SELECT count(*) AS n, sum(pipe_test) AS test, sum(CASE WHEN pipe_test = 0 THEN pipe_y ELSE 0 END) AS pos FROM ${tables.rows}`);
    const nTest = Number(counts?.test ?? 0);
    const nTrain = Number(counts?.n ?? 0) - nTest;
    const trainPositives = Number(counts?.pos ?? 0);
    if (nTrain === 0) throw new ModelError(`${options.relation} has no training rows with ${options.target} ${options.classes.join(" or ")}`);

    // The preprocessing, from aggregates of the training rows.
    // The options resolved as the in-process fit resolves them (its defaults).
    const { minCategoryCount, maxLevels, missingIndicators } = new Preprocessor(options.preprocessing);
    const preprocessing = { minCategoryCount, maxLevels, missingIndicators };
    const specs = await fitSpecs(options.features, d, train, rows, nTrain, preprocessing);
    const preprocessor = Preprocessor.fromSpecs(specs, preprocessing);
    const inputs = new InputColumns(specs, d);
    const width = inputs.width;

    // The training rows' matrix values, computed once from the text: each column's bin edges then scan
    // one numeric column of this table rather than the text of every column.
    const valueExprs = Array.from({ length: width }, (_, j) => `${inputs.value(j)} AS v${j}`);
    await run(d.createTable(tables.values, inputs.select(false, `pipe_rid, pipe_y, ${valueExprs.join(", ")}`, train)));
    const edges: BinEdges[] = [];
    for (let j = 0; j < width; j++) edges.push(await binEdges(`v${j}`, d, tables.values, rows));
    // Every training row's bins, in one array a row: a split or a histogram reads its feature's bin by
    // index. The values in a subquery: ClickHouse's lambdas see a subquery's columns, not a table's.
    await run(
      d.createTable(
        tables.bins,
        d.binned(
          `(SELECT * FROM ${tables.values}) AS pipe_values`,
          edges.map((e) => Array.from(e, literal)),
        ),
      ),
    );
    await run([`DROP TABLE IF EXISTS ${tables.values}`]);

    // Trees, a pass at a time.
    const nTrees = forestParams.nEstimators;
    const perPass = Math.max(1, options.treesPerPass ?? defaultTreesPerPass(engine.dialect.name));
    const classWeight: [number, number] =
      forestParams.classWeight === "balanced" ? [nTrain / (2 * Math.max(1, nTrain - trainPositives)), nTrain / (2 * Math.max(1, trainPositives))] : [1, 1];
    const grower = new LevelGrower({
      nFeatures: width,
      maxFeatures: new RandomForestClassifier(forestParams).featuresPerSplit(width),
      maxDepth: forestParams.maxDepth ?? Number.MAX_SAFE_INTEGER,
      minSamplesSplit: forestParams.minSamplesSplit,
      minSamplesLeaf: forestParams.minSamplesLeaf,
      classWeight,
      seed: forestParams.seed,
    });
    const builds: TreeBuild[] = [];
    for (let first = 0; first < nTrees; first += perPass) {
      const last = Math.min(nTrees, first + perPass);
      const draws = forestParams.bootstrap
        ? `CASE ${POISSON_CDF.map((c, k) => `WHEN ${d.unitHash(["pipe_rid", "tree", String(forestParams.seed)])} < ${literal(c)} THEN ${k}`).join(" ")} ELSE ${POISSON_CDF.length} END`
        : "1";
      let current = tables.nodes[0] as string;
      await run(
        d.createTable(
          current,
          `SELECT * FROM (SELECT ${d.int64("tree")} AS tree, ${d.int64("0")} AS n, ${d.int64(draws)} AS w, pipe_y, bins FROM ${tables.bins} CROSS JOIN ${d.integers(first, last)} AS pipe_trees) AS pipe_drawn WHERE w > 0`,
        ),
      );
      const roots = await rows(`SELECT tree, sum(w) AS c, sum(w * pipe_y) AS p FROM ${current} GROUP BY tree`);
      const pass = new Map<number, TreeBuild>();
      for (let t = first; t < last; t++) pass.set(t, grower.newTree(t));
      let open: { tree: number; node: number }[] = [];
      for (const r of roots) {
        const build = pass.get(Number(r.tree)) as TreeBuild;
        grower.setRoot(build, Number(r.c), Number(r.p));
        if (grower.canSplit(Number(r.c), Number(r.p), 0)) open.push({ tree: build.tree, node: 0 });
      }
      const binOf = (feature: string) => d.element("bins", `${feature} + 1`);
      for (let level = 0; open.length > 0; level++) {
        options.onProgress?.({ treesBuilt: first, nEstimators: nTrees, level });
        // The histograms of each open node's candidate features only: (tree, node, feature) rows to join,
        // numbered in (tree, node) order so that one number, candidate · 256 + bin, keys a histogram cell
        // (a GROUP BY on one integer rather than four) and its order is the order the grower takes nodes in.
        open.sort((a, b) => a.tree - b.tree || a.node - b.node);
        const candidates = await engine.createTextTable(
          tables.candidates,
          ["tree", "n", "f", "c"].map((name) => ({ name, type: "integer" as const })),
        );
        const candidateOf: { tree: number; node: number; feature: number }[] = [];
        for (const { tree, node } of open)
          for (const feature of grower.candidates(tree, node)) {
            candidates.append([tree, node, feature, candidateOf.length]);
            candidateOf.push({ tree, node, feature });
          }
        await candidates.close();
        transfer.statements++;
        const splits: NodeSplit[] = [];
        transfer.statements++;
        const stream = engine.stream(
          // Every figure as a double (exact below 2^53): the engines' 64- and 128-bit integers reach
          // JavaScript as BigInts or text, one conversion per cell of tens of millions.
          `SELECT ${["k", "sum(w)", "sum(w * pipe_y)"].map((x) => d.float64(x)).join(", ")} FROM (
             SELECT c * ${BINS} + ${binOf("f")} AS k, w, pipe_y FROM ${current} ${d.innerJoinAll} ${tables.candidates} USING (tree, n)
           ) AS pipe_h GROUP BY k ORDER BY k`,
        );
        // Each candidate's bins hold every draw reaching its node: a histogram short of them is one the
        // engine cut (DuckDB ends a result whose statement failed midway as if it were complete).
        const drawn = new Float64Array(candidateOf.length);
        for await (const batch of stream) {
          transfer.resultRows += batch.length;
          for (const r of batch) {
            const k = Number(r[0]);
            const bin = k % BINS;
            const c = (k - bin) / BINS;
            const { tree, node, feature } = candidateOf[c] as (typeof candidateOf)[number];
            drawn[c] = (drawn[c] as number) + Number(r[1]);
            const split = grower.add(pass, tree, node, feature, bin, Number(r[1]), Number(r[2]));
            if (split) splits.push(split);
          }
        }
        for (const [c, { tree, node }] of candidateOf.entries()) {
          const reaching = (pass.get(tree) as TreeBuild).c[node];
          if (drawn[c] !== reaching)
            throw new ModelError(
              `the engine's histograms for tree ${tree} hold ${drawn[c]} of the ${reaching} draws of node ${node}; run again, giving the engine more memory if it is short of it`,
            );
        }
        const final = grower.finish();
        if (final) splits.push(final);
        open = splits.flatMap((s) => [...(s.leftOpen ? [{ tree: s.tree, node: s.left }] : []), ...(s.rightOpen ? [{ tree: s.tree, node: s.right }] : [])]);
        if (open.length === 0) break;
        // Each row of a split node moves to its child; rows reaching a leaf leave the table.
        const appender = await engine.createTextTable(
          tables.splits,
          ["tree", "n", "sf", "sb", "sl", "sr", "lo", "ro"].map((name) => ({ name, type: "integer" as const })),
        );
        for (const s of splits)
          if (s.leftOpen || s.rightOpen) appender.append([s.tree, s.node, s.feature, s.bin, s.left, s.right, s.leftOpen ? 1 : 0, s.rightOpen ? 1 : 0]);
        await appender.close();
        transfer.statements++;
        const next = current === tables.nodes[0] ? (tables.nodes[1] as string) : (tables.nodes[0] as string);
        const binOfSplit = binOf("sf");
        await run(
          d.createTable(
            next,
            `SELECT tree, ${d.int64("nn")} AS n, w, pipe_y, bins FROM (
               SELECT tree, CASE WHEN ${binOfSplit} <= sb THEN sl ELSE sr END AS nn, CASE WHEN ${binOfSplit} <= sb THEN lo ELSE ro END AS keep, w, pipe_y, bins
               FROM ${current} ${d.innerJoin} ${tables.splits} USING (tree, n)) AS pipe_moved WHERE keep = 1`,
          ),
        );
        current = next;
      }
      for (let t = first; t < last; t++) builds.push(pass.get(t) as TreeBuild);
      options.onProgress?.({ treesBuilt: last, nEstimators: nTrees, level: 0 });
    }

    const forest = new RandomForestClassifier(forestParams);
    forest.nFeatures = width;
    const grown = builds.map((b) => grower.flatTree(b, edges));
    forest.trees = grown.map((g) => g.tree);
    forest.featureImportances = averageImportances(
      grown.map((g) => g.importance),
      width,
    );

    const model = new PipeModel({
      target: options.target,
      classes: options.classes,
      positiveClass: options.positiveClass,
      threshold: 0.5,
      preprocessing: { ...preprocessing, specs },
      forest,
      calibration: null,
      training: {
        data_sha256: options.dataSha256 ?? "",
        rows: nTrain + nTest,
        n_train: nTrain,
        n_test: nTest,
        test_size: options.testSize,
        seed: options.seed,
        created_at: options.createdAt ?? new Date().toISOString(),
        versions: options.versions ?? {},
        oob: null,
      },
      ignoredFields: [{ name: options.target, reason: "the target" }],
    });

    // The held-out rows, streamed through the model: only their labels and scores are kept, in arrays
    // of the count the engine gave (nine bytes a row; growing lists of numbers held several times that).
    const y = new Uint8Array(nTest);
    const p = new Float64Array(nTest);
    let scored = 0;
    const values: unknown[] = new Array(specs.length);
    const row = new Float64Array(preprocessor.outputWidth);
    transfer.statements++;
    const heldOutColumns = specs.map((s) => s.name);
    const heldOutSql = `SELECT pipe_y, ${heldOutColumns.map(ident).join(", ")} FROM ${tables.rows} WHERE pipe_test = 1${options.onHeldOut ? " ORDER BY pipe_rid" : ""}`;
    for await (const batch of engine.stream(heldOutSql)) {
      transfer.resultRows += batch.length;
      await options.onHeldOut?.(batch, heldOutColumns);
      for (const r of batch) {
        for (let k = 0; k < specs.length; k++) values[k] = r[k + 1];
        preprocessor.transformValues(values, row);
        if (scored < nTest) {
          y[scored] = Number(r[0]);
          p[scored] = model.probabilityOf(forest.predictRow(row));
        }
        scored++;
      }
    }
    // DuckDB ends a result whose statement failed midway as if it were complete: a short count is the sign.
    if (scored !== nTest)
      throw new ModelError(
        `the engine sent ${scored} of the ${nTest} held-out rows and stopped; run again, giving the engine more memory if it is short of it`,
      );
    const testRocAuc = y.includes(0) && y.includes(1) ? rocAuc(y, p) : null;
    // What `pipe drift` compares new data with: the held-out rows' probabilities (scored above) and a seeded
    // sample of each numeric column's training values, drawn by the engine (at most REFERENCE_SAMPLE rows each).
    const numeric: Record<string, number[]> = {};
    for (const [k, s] of specs.entries()) {
      if (s.kind === "categorical") continue;
      const order = d.unitHash(["pipe_rid", String(forestParams.seed + 1 + k)]);
      // A date drifts in time: compared by its day count (as buildDriftReference does).
      const dated = s.kind === "date" ? datePartsSql(d, ident(s.name), "pipe_date") : undefined;
      const values = dated
        ? d.selectDerived(false, `${dated.part("days")} AS v, pipe_rid`, train, dated.layers)
        : `SELECT ${d.number(ident(s.name))} AS v, pipe_rid FROM ${train}`;
      const sampled = await rows(`SELECT v FROM (${values}) AS pipe_sample WHERE v IS NOT NULL ORDER BY ${order}, v LIMIT ${REFERENCE_SAMPLE}`);
      numeric[s.name] = sampled.map((r) => Number(r.v));
    }
    // The scores sorted before they are sampled: the engine streams the rows in no fixed order.
    model.state.driftReference = driftReference(nTrain, numeric, p.sort(), forestParams.seed);
    transfer.bytes = (engine.bytesReceived?.() ?? 0) - bytesAtStart;
    return { model, rows: { train: nTrain, test: nTest }, trainPositives, testRocAuc, transfer };
  } finally {
    for (const table of [tables.rows, tables.values, tables.bins, tables.splits, tables.candidates, ...tables.nodes])
      await engine.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}

/** Each column's spec from aggregates over the training rows (see Preprocessor.fit). */
async function fitSpecs(
  features: readonly FeatureInput[],
  d: ModelSqlDialect,
  train: string,
  rows: (sql: string) => Promise<Record<string, SqlCell>[]>,
  nTrain: number,
  options: Required<PreprocessorOptions>,
): Promise<ColumnSpec[]> {
  const numeric = features.filter((f) => f.kind === "numeric");
  const numbers = new Map<string, NumericSpec>();
  if (numeric.length > 0) {
    const aggregates = numeric.flatMap((f, i) => {
      const x = d.number(d.ident(f.name));
      return [`min(${x}) AS lo${i}`, `max(${x}) AS hi${i}`, `count(${x}) AS n${i}`];
    });
    const [r] = await rows(`SELECT ${aggregates.join(", ")} FROM ${train}`);
    for (const [i, f] of numeric.entries()) {
      const present = Number(r?.[`n${i}`] ?? 0);
      const missing = nTrain - present;
      const num = (key: string) => (present === 0 || r?.[key] === null || r?.[key] === undefined ? 0 : Number(r[key]));
      // The mean of the middle two values (one, for an odd count), as Preprocessor.fit takes it.
      const middle =
        present === 0
          ? []
          : await valuesAtRanks(d.number(d.ident(f.name)), d, train, rows, [Math.floor((present + 1) / 2), Math.floor(present / 2) + 1], present);
      numbers.set(f.name, {
        name: f.name,
        kind: "numeric",
        median: middle.length === 0 ? 0 : ((middle[0] as number) + (middle[middle.length - 1] as number)) / 2,
        min: num(`lo${i}`),
        max: num(`hi${i}`),
        indicator: options.missingIndicators && missing > 0,
        missingInTraining: missing,
      });
    }
  }
  const specs: ColumnSpec[] = [];
  for (const f of features) {
    if (f.kind === "numeric") {
      specs.push(numbers.get(f.name) as NumericSpec);
      continue;
    }
    if (f.date) {
      specs.push(await fitDateSpec(f.name, d, train, rows, nTrain));
      continue;
    }
    const level = `coalesce(${d.label(d.ident(f.name))}, '')`;
    const levels = await rows(`SELECT ${level} AS v, count(*) AS n, sum(pipe_y) AS pos FROM ${train} GROUP BY ${level}`);
    const stats = new Map(levels.map((r) => [String(r.v), { n: Number(r.n), pos: Number(r.pos) }]));
    specs.push(categoricalSpec(f.name, stats, nTrain, options.minCategoryCount, options.maxLevels));
  }
  return specs;
}

/**
 * A date column's spec from aggregates (see fitDate in preprocessor.ts): the instants read as pipe reads
 * them (datePartsSql), the hour among the parts when some training date has a time of day, each part's
 * median read at its middle ranks, the range as ISO text.
 */
async function fitDateSpec(
  name: string,
  d: ModelSqlDialect,
  train: string,
  rows: (sql: string) => Promise<Record<string, SqlCell>[]>,
  nTrain: number,
): Promise<DateSpec> {
  const sql = datePartsSql(d, d.ident(name), "pipe_date");
  const ms = sql.ms;
  const [r] = await rows(
    d.selectDerived(
      false,
      `${d.float64(`min(${ms})`)} AS lo, ${d.float64(`max(${ms})`)} AS hi, count(${ms}) AS n, max(CASE WHEN ${ms} - floor(${ms} / 8.64e+7) * 8.64e+7 <> 0 THEN 1 ELSE 0 END) AS timed`,
      train,
      sql.layers,
    ),
  );
  const present = Number(r?.n ?? 0);
  const withTime = Number(r?.timed ?? 0) === 1;
  const parts: DatePart[] = withTime ? ["days", "month", "weekday", "hour"] : ["days", "month", "weekday"];
  const medians: number[] = [];
  for (const part of parts) {
    const from = `(${d.selectDerived(false, `${sql.part(part)} AS v`, train, sql.layers)}) AS pipe_dated`;
    const middle = present === 0 ? [] : await valuesAtRanks("v", d, from, rows, [Math.floor((present + 1) / 2), Math.floor(present / 2) + 1], present);
    medians.push(middle.length === 0 ? 0 : ((middle[0] as number) + (middle[middle.length - 1] as number)) / 2);
  }
  return {
    name,
    kind: "date",
    parts,
    medians,
    earliest: present > 0 ? isoText(Number(r?.lo), withTime) : "",
    latest: present > 0 ? isoText(Number(r?.hi), withTime) : "",
    missingInTraining: nTrain - present,
  };
}

/**
 * A matrix column's bin edges (see fitBinEdges): one bin per distinct value (edges at the midpoints)
 * for up to 256 of them; otherwise edges at the midpoints between the distinct values of 256 quantiles.
 */
async function binEdges(value: string, d: ModelSqlDialect, train: string, rows: (sql: string) => Promise<Record<string, SqlCell>[]>): Promise<BinEdges> {
  const [count] = await rows(`SELECT ${d.countDistinct(value)} AS k, count(${value}) AS n FROM ${train}`);
  const distinct = Number(count?.k ?? 0);
  let values: number[];
  if (distinct <= 256) values = (await rows(`SELECT DISTINCT ${value} AS v FROM ${train} ORDER BY v`)).map((r) => Number(r.v));
  else {
    // quantile_disc's ranks: max(1, ⌈count·q⌉).
    const present = Number(count?.n ?? 0);
    values = await valuesAtRanks(
      value,
      d,
      train,
      rows,
      QUANTILES.map((q) => Math.max(1, Math.ceil(present * q))),
      present,
    );
    values = [...new Set(values)].sort((a, b) => a - b);
  }
  return midpointEdges(Float64Array.from(values));
}

/** The values at these 1-based ranks of the `count` sorted non-NULL values of `value` (a rank repeated, its value repeated). */
async function valuesAtRanks(
  value: string,
  d: ModelSqlDialect,
  from: string,
  rows: (sql: string) => Promise<Record<string, SqlCell>[]>,
  ranks: readonly number[],
  count: number,
): Promise<number[]> {
  const distinct = [...new Set(ranks)];
  const found = new Map((await rows(d.valuesAtRanks(value, from, distinct, count))).map((r) => [Number(r.r), Number(r.v)]));
  return ranks.flatMap((r) => (found.has(r) ? [found.get(r) as number] : []));
}

/** Per-tree importances (each normalised to sum 1) averaged and normalised again, as scikit-learn does. */
function averageImportances(perTree: readonly Float64Array[], width: number): Float64Array {
  const out = new Float64Array(width);
  for (const imp of perTree) for (let j = 0; j < width; j++) out[j] = (out[j] as number) + (imp[j] as number);
  const total = out.reduce((a, b) => a + b, 0);
  if (total > 0) for (let j = 0; j < width; j++) out[j] = (out[j] as number) / total;
  return out;
}
