import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { openSource, readCsv, writeFileAtomic } from "@pipe/etl";
import {
  analysisCharts,
  type DriftDoc,
  type EtlSummary,
  findChromium,
  formatModelCard,
  type MetricsDoc,
  modelCardDocument,
  modelCharts,
  plotlySource,
  renderPngs,
  renderReportHtml,
} from "@pipe/report";
import type { Analysis } from "@pipe/stats";
import { json, readStageJson, type StageContext } from "../stage.js";

/** The first rows of rejected.csv (header first), for the data-quality section. */
async function rejectedSample(path: string, limit = 20): Promise<string[][]> {
  try {
    const csv = await readCsv(openSource(path), { delimiter: ",", header: true });
    const rows: string[][] = [csv.columns];
    for await (const r of csv.records) {
      rows.push(r.fields);
      if (rows.length > limit) break;
    }
    await csv.records.return(undefined);
    return rows;
  } catch {
    return [];
  }
}

/** drift.json when `pipe drift` wrote one for this model version (an older model's is left out of the report). */
async function lastDrift(path: string, version: string): Promise<DriftDoc | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const doc = JSON.parse(await readFile(path, "utf8")) as DriftDoc;
    return doc.model_version === version && Array.isArray(doc.columns) ? doc : undefined;
  } catch {
    return undefined;
  }
}

export async function reportStage(ctx: StageContext) {
  const { config, paths, log } = ctx;
  const analysis = await readStageJson<Analysis>(paths.analysisJson, "analyze");
  const metrics = await readStageJson<MetricsDoc>(paths.metricsJson, "evaluate");
  const etl = await readStageJson<EtlSummary>(paths.etlReport, "etl");
  const charts = [...analysisCharts(analysis), ...modelCharts(metrics)];
  const drift = await lastDrift(paths.driftJson, metrics.model.version);
  for (const c of charts.filter((c) => c.section !== "analysis")) await writeFileAtomic(join(paths.plots, `${c.name}.svg`), c.svg);
  const html = renderReportHtml({
    ...(config.report.title ? { title: config.report.title } : {}),
    analysis,
    metrics,
    etl,
    charts,
    rejectedSample: await rejectedSample(paths.rejected),
    generatedAt: new Date().toISOString(),
    versions: ctx.versions,
    ...(config.report.interactive ? { plotly: plotlySource() } : {}),
    ...(drift ? { drift } : {}),
  });
  await writeFileAtomic(paths.report, html);
  await writeFileAtomic(paths.modelCard, formatModelCard(analysis, metrics, etl));
  await writeFileAtomic(paths.modelCardJson, json(modelCardDocument(analysis, metrics, etl)));
  let pngs = 0;
  if (config.report.png) {
    const chromium = findChromium();
    if (chromium) {
      const t0 = performance.now();
      for (const p of await renderPngs(charts, chromium)) {
        await writeFileAtomic(join(paths.plots, `${p.name}.png`), p.png);
        pngs++;
      }
      log.info(`report: ${pngs} PNG plots rendered with ${chromium} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${paths.plots}`);
    } else {
      log.info(
        "report: PNG plots skipped: no Chromium found (apt-get install -y chromium, or set PUPPETEER_EXECUTABLE_PATH); the SVG plots and report.html are complete",
      );
    }
  }
  log.info(`report: ${charts.length} charts → ${paths.report}`);
  return { stage: "report", charts: charts.length, pngs, outputs: [paths.report, paths.modelCard, paths.modelCardJson, paths.plots] };
}
