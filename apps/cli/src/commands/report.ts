import { join } from "node:path";
import { openSource, readCsv, writeFileAtomic } from "@pipe/etl";
import { analysisCharts, type EtlSummary, type MetricsDoc, modelCharts, renderReportHtml } from "@pipe/report";
import type { Analysis } from "@pipe/stats";
import { readStageJson, type StageContext } from "../stage.js";

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

export async function reportStage(ctx: StageContext) {
  const { config, paths, log } = ctx;
  const analysis = await readStageJson<Analysis>(paths.analysisJson, "analyze");
  const metrics = await readStageJson<MetricsDoc>(paths.metricsJson, "evaluate");
  const etl = await readStageJson<EtlSummary>(paths.etlReport, "etl");
  const charts = [...analysisCharts(analysis), ...modelCharts(metrics)];
  for (const c of charts.filter((c) => c.section === "model")) await writeFileAtomic(join(paths.plots, `${c.name}.svg`), c.svg);
  const html = renderReportHtml({
    ...(config.report.title ? { title: config.report.title } : {}),
    analysis,
    metrics,
    etl,
    charts,
    rejectedSample: await rejectedSample(paths.rejected),
    generatedAt: new Date().toISOString(),
    versions: ctx.versions,
  });
  await writeFileAtomic(paths.report, html);
  log.info(`report: ${charts.length} charts → ${paths.report}`);
  return { stage: "report", charts: charts.length, outputs: [paths.report, paths.plots] };
}
