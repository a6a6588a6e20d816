import { join } from "node:path";

/** Every file the stages read and write inside the output folder (names of the original design kept). */
export function outputPaths(out: string) {
  return {
    out,
    processed: join(out, "dataset_processed.csv"),
    schema: join(out, "dataset_processed.schema.json"),
    rejected: join(out, "rejected.csv"),
    etlReport: join(out, "etl_report.json"),
    analysisJson: join(out, "analysis.json"),
    analysisTxt: join(out, "analysis.txt"),
    plots: join(out, "plots"),
    model: join(out, "model.json"),
    /** The held-out rows of a forest grown in an engine (`pipe train --in-engine`), which `pipe evaluate` scores. */
    heldOut: join(out, "test_rows.csv"),
    metricsJson: join(out, "metrics.json"),
    metricsTxt: join(out, "metrics.txt"),
    report: join(out, "report.html"),
    predictions: join(out, "predictions.csv"),
    explanationsJson: join(out, "explanations.json"),
    modelCard: join(out, "model_card.md"),
    modelCardJson: join(out, "model_card.json"),
    driftJson: join(out, "drift.json"),
    driftTxt: join(out, "drift.txt"),
    explanationsCsv: join(out, "explanations.csv"),
  };
}

export type OutputPaths = ReturnType<typeof outputPaths>;
