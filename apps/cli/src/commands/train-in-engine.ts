import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { basename } from "node:path";
import { AtomicTextWriter, formatCsvRow, readSchema, writeFileAtomic } from "@pipe/etl";
import { type FeatureInput, sha256, trainForestInEngine } from "@pipe/model";
import { inEngineTable, openEngineInput, shownInput } from "../engine-input.js";
import { type EtlFacts, keepEtlFacts } from "../etl-facts.js";
import { canonicalJson, gitCommit, recordedConfig } from "../lineage.js";
import { readStageJson, requireOutput, type StageContext } from "../stage.js";
import { forestParams } from "./train.js";

/** What model.json records of a forest grown in an engine (training.metrics.in_engine). */
export interface InEngineTraining {
  engine: "duckdb" | "clickhouse";
  relation: string;
  split: string;
  train_rows: number;
  test_rows: number;
  roc_auc: number | null;
  /** Training rows of the positive class (the majority-class baseline's rate). */
  train_positives: number;
  /** The held-out rows as the engine held them (the model's features and the target), for `pipe evaluate`: the file's name in the output folder and its SHA-256. */
  held_out: { file: string; sha256: string };
  /** Statements run, result rows read (aggregates, histograms and the held-out rows' inputs) and their bytes over the network. */
  transfer: { statements: number; resultRows: number; bytes: number };
}

/**
 * `pipe train --in-engine`: the random forest grown where the processed table is (the table `pipe etl
 * --output-table` wrote into the input's DuckDB database or ClickHouse server). Only aggregates leave
 * the engine; the held-out rows (a hash of each row's values and the seed) are scored by streaming them
 * through the model, their ROC AUC is kept in model.json, and they are written to test_rows.csv for
 * `pipe evaluate`.
 */
export async function trainInEngineStage(ctx: StageContext) {
  const { config, paths, log } = ctx;
  const table = inEngineTable(config);
  requireOutput(paths.schema, "etl");
  const schema = await readSchema(paths.schema);
  const features: FeatureInput[] = schema.columns
    .filter((c) => c.role === "feature")
    .map((c) =>
      c.type === "integer" || c.type === "float"
        ? { name: c.name, kind: "numeric" as const }
        : { name: c.name, kind: "categorical" as const, ...(c.type === "date" ? { date: true } : {}) },
    );
  const etl = await readStageJson<EtlFacts>(paths.etlReport, "etl");
  const opened = await openEngineInput(config, paths.out, "train");
  // The held-out rows come back to be scored anyway: kept in a file, `pipe evaluate` gives the model its full report.
  const heldOut = new AtomicTextWriter(paths.heldOut);
  const heldOutHash = createHash("sha256");
  const keep = async (text: string) => {
    heldOutHash.update(text);
    await heldOut.write(text);
  };
  let header = false;
  try {
    const relation = opened.table(table) as string;
    const t0 = performance.now();
    const result = await trainForestInEngine(opened.engine, {
      relation,
      target: schema.target,
      classes: [schema.negativeClass, schema.positiveClass],
      positiveClass: schema.positiveClass,
      features,
      testSize: config.testSize,
      seed: config.seed,
      forest: forestParams(config),
      preprocessing: { minCategoryCount: config.model.minCategoryCount, missingIndicators: config.model.missingIndicators },
      treesPerPass: config.model.treesPerPass,
      dataSha256: existsSync(paths.processed) ? await fileSha256(paths.processed) : "",
      versions: ctx.versions,
      ...(process.env.SOURCE_DATE_EPOCH ? { createdAt: new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString() } : {}),
      onProgress: (p) => log.progress("train (in the engine): trees built", p.treesBuilt, p.nEstimators),
      onHeldOut: async (batch, columns) => {
        if (!header) {
          header = true;
          await keep(formatCsvRow([...columns, schema.target]));
        }
        let text = "";
        for (const r of batch) {
          const cells = r.slice(1).map((v) => (v === null || v === undefined ? "" : String(v)));
          text += formatCsvRow([...cells, Number(r[0]) === 1 ? schema.positiveClass : schema.negativeClass]);
        }
        await keep(text);
      },
    });
    if (!header) await keep(formatCsvRow([...features.map((f) => f.name), schema.target]));
    await heldOut.commit();
    const seconds = (performance.now() - t0) / 1000;
    const { model } = result;
    const inEngine: InEngineTraining = {
      engine: opened.engine.dialect.name,
      relation: table,
      split: `a hash of each row's values and the seed: ${Math.round(config.testSize * 100)}% held out`,
      train_rows: result.rows.train,
      test_rows: result.rows.test,
      roc_auc: result.testRocAuc,
      train_positives: result.trainPositives,
      held_out: { file: basename(paths.heldOut), sha256: heldOutHash.digest("hex") },
      transfer: result.transfer,
    };
    model.state.training.metrics = { in_engine: inEngine };
    model.state.ignoredFields = [...(etl.dropped_columns ?? []).filter((f) => f.name !== schema.target), { name: schema.target, reason: "the target" }];
    keepEtlFacts(model, schema, etl);
    const settings = recordedConfig(config);
    model.state.training.lineage = {
      input: shownInput(config.input),
      input_sha256: etl.input_sha256 ?? null,
      processed_sha256: model.state.training.data_sha256,
      config_sha256: sha256(canonicalJson(settings)),
      config: settings,
      git_commit: gitCommit(),
    };
    await writeFileAtomic(paths.model, model.serialize());
    log.info(
      `train: ${model.state.forest.treeCount} trees grown in ${opened.engine.dialect.name} on ${result.rows.train} rows × ${model.featureNames.length} features in ${seconds.toFixed(2)} s (${result.transfer.statements} statements, ${result.transfer.resultRows} result rows${result.transfer.bytes ? `, ${(result.transfer.bytes / 2 ** 20).toFixed(1)} MB received` : ""}); held-out ROC AUC ${result.testRocAuc?.toFixed(4) ?? "n/a"} on ${result.rows.test} rows → ${paths.model}`,
    );
    return {
      stage: "train",
      in_engine: inEngine,
      n_train: result.rows.train,
      n_test: result.rows.test,
      model: model.kindName,
      trees: model.state.forest.treeCount,
      fit_seconds: seconds,
      outputs: [paths.model, paths.heldOut],
    };
  } catch (error) {
    await heldOut.abort();
    throw error;
  } finally {
    await opened.close();
  }
}

/** SHA-256 of a file, read as a stream (the processed file may be larger than memory). */
function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
