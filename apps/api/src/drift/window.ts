import { DriftSample, type PipeModel } from "@pipe/model";
import { type DriftReport, driftReport } from "@pipe/stats";

/** Fewer recent records than this make no report: a test on a handful of rows says nothing. */
export const MIN_DRIFT_ROWS = 30;

/**
 * The last `size` records the service scored (and their probabilities), for drift against the
 * training data: a ring, so memory stays bounded however long the service runs. The report is
 * computed when asked for (GET /drift, a /metrics scrape) and kept until a record arrives.
 */
export class DriftWindow {
  private readonly records: (Readonly<Record<string, unknown>> | undefined)[];
  private readonly probabilities: Float64Array;
  private next = 0;
  private filled = 0;
  private cached: DriftReport | null | undefined;

  constructor(
    private readonly model: PipeModel,
    readonly size: number,
  ) {
    this.records = new Array(size);
    this.probabilities = new Float64Array(size);
  }

  /** Whether the model file keeps what drift is measured against (files before pipe kept it do not). */
  get available(): boolean {
    return this.size > 0 && Boolean(this.model.state.driftReference);
  }

  get rows(): number {
    return this.filled;
  }

  add(record: Readonly<Record<string, unknown>>, probability: number): void {
    if (this.size === 0) return;
    this.records[this.next] = record;
    this.probabilities[this.next] = probability;
    this.next = (this.next + 1) % this.size;
    if (this.filled < this.size) this.filled++;
    this.cached = undefined;
  }

  /** The drift of the window against the training data, or null while it holds fewer than MIN_DRIFT_ROWS records. */
  report(): DriftReport | null {
    const reference = this.model.state.driftReference;
    if (!reference || this.filled < MIN_DRIFT_ROWS) return null;
    if (this.cached === undefined) {
      const sample = new DriftSample(this.model);
      for (let i = 0; i < this.filled; i++) sample.add(this.records[i] as Readonly<Record<string, unknown>>, this.probabilities[i]);
      const prediction = sample.predictionInput(reference);
      this.cached = driftReport(sample.inputs(reference), prediction ? { prediction } : {});
    }
    return this.cached;
  }

  /** Prometheus gauges of the report (none until there is one). */
  render(): string {
    const r = this.report();
    const out = [
      "# HELP pipe_drift_window_rows Recent records kept to measure drift.",
      "# TYPE pipe_drift_window_rows gauge",
      `pipe_drift_window_rows ${this.filled}`,
    ];
    if (!r) return `${out.join("\n")}\n`;
    const esc = (s: string) => s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
    const all = r.prediction ? [...r.columns, { ...r.prediction, column: "(prediction)" }] : r.columns;
    out.push("# HELP pipe_drift_score Drift score per column: a p-value (method ks, chi_square, z_proportion) or a distance.", "# TYPE pipe_drift_score gauge");
    for (const c of all) out.push(`pipe_drift_score{column="${esc(c.column)}",method="${c.method}"} ${c.score}`);
    out.push("# HELP pipe_drift_detected 1 when the column drifted from the training data.", "# TYPE pipe_drift_detected gauge");
    for (const c of all) out.push(`pipe_drift_detected{column="${esc(c.column)}"} ${c.drifted ? 1 : 0}`);
    out.push(
      "# HELP pipe_drift_share Share of the input columns that drifted.",
      "# TYPE pipe_drift_share gauge",
      `pipe_drift_share ${r.share}`,
      "# HELP pipe_dataset_drift 1 when at least the drift share of the columns drifted.",
      "# TYPE pipe_dataset_drift gauge",
      `pipe_dataset_drift ${r.dataset_drift ? 1 : 0}`,
    );
    return `${out.join("\n")}\n`;
  }
}
