import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@pipe/etl";
import { isoTime } from "@pipe/model";
import { analysisCharts, type EtlSummary, formatAnalysisText } from "@pipe/report";
import { analyze } from "@pipe/stats";
import { json, readStageJson, type StageContext } from "../stage.js";
import { loadProcessed } from "./load-data.js";

const DAY = 86_400_000;

export async function analyzeStage(ctx: StageContext) {
  const { paths, log } = ctx;
  const { schema, table, features } = await loadProcessed(ctx);
  const etl = await readStageJson<EtlSummary>(paths.etlReport, "etl");
  const t0 = performance.now();
  // A date is analysed as its day count (later or earlier with the class), not as a category of one row each.
  const dates = features.filter((f) => f.date).map((f) => f.name);
  const numeric = new Map(table.numeric);
  for (const name of dates)
    numeric.set(
      name,
      Float64Array.from(table.categorical.get(name) ?? [], (text) => isoTime(text) / DAY),
    );
  const analysis = analyze({
    target: schema.target,
    classes: [schema.negativeClass, schema.positiveClass],
    rows: table.rows,
    features: features.map((f) => ({ name: f.name, kind: f.date ? ("numeric" as const) : f.kind })),
    numeric,
    categorical: table.categorical,
    dates,
    y: table.y,
    // What the ETL saw before this table: its repeated rows and dropped columns are alerts too.
    ...(etl.duplicates ? { repeatedRows: etl.duplicates.repeated_rows } : {}),
    droppedColumns: etl.dropped_columns,
  });
  const seconds = (performance.now() - t0) / 1000;
  await writeFileAtomic(paths.analysisJson, json(analysis));
  await writeFileAtomic(paths.analysisTxt, formatAnalysisText(analysis, etl));
  const charts = analysisCharts(analysis);
  for (const c of charts) await writeFileAtomic(join(paths.plots, `${c.name}.svg`), c.svg);
  // Old plots of another dataset would mislead: the folder keeps this run's charts only (the report
  // stage writes its own again). Removed after the new ones are in place, so a crash never leaves
  // the folder empty.
  const written = new Set(charts.map((c) => `${c.name}.svg`));
  for (const f of await readdir(paths.plots)) if (!f.startsWith(".") && !written.has(f)) await rm(join(paths.plots, f), { force: true });
  const significant = analysis.tests.filter((t) => t.p_bh < 0.05).length;
  const alerts = analysis.alerts ?? [];
  log.info(
    `analyze: ${analysis.tests.length} features tested against ${schema.target}, ${significant} significant after Benjamini-Hochberg; ${alerts.length} alert${alerts.length === 1 ? "" : "s"}; ${charts.length} plots (${seconds.toFixed(2)} s)`,
  );
  // A feature that gives the target away makes every later figure misleading: said here, not only in analysis.txt.
  for (const a of alerts) if (a.type === "target_leakage") log.warn(`analyze: ${a.message}`);
  return {
    stage: "analyze",
    features_tested: analysis.tests.length,
    significant,
    alerts: analysis.alerts?.length ?? 0,
    plots: charts.length,
    outputs: [paths.analysisJson, paths.analysisTxt, paths.plots],
  };
}
