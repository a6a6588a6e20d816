import { type ColumnDrift, categoricalDrift, numericDrift } from "./drift.js";

/** One column to compare: its reference (training) and current values, as numbers or as counts per category. */
export type DriftColumnInput =
  | { column: string; kind: "numeric"; reference: ArrayLike<number>; current: ArrayLike<number>; referenceRows: number }
  | { column: string; kind: "categorical"; reference: ReadonlyMap<string, number>; current: ReadonlyMap<string, number>; referenceRows: number };

export type ColumnDriftResult = ColumnDrift & { column: string; kind: "numeric" | "categorical" };

export interface DriftReport {
  /** Per column, in the order given: the test or distance used, its score, threshold and verdict. */
  columns: ColumnDriftResult[];
  drifted_columns: number;
  /** drifted_columns / columns. */
  share: number;
  /** The share at or above which the whole dataset is said to drift (Evidently's default 0.5). */
  drift_share: number;
  dataset_drift: boolean;
  /** The model's output compared the same way (not counted in the share), when given. */
  prediction: ColumnDriftResult | null;
}

/**
 * Column-by-column drift (see DriftMethod for the method each column gets) and the dataset's verdict:
 * drift when at least `driftShare` of the columns drifted, as Evidently's DataDriftPreset decides;
 * `prediction`, the model's output, is compared the same way and reported apart.
 */
export function driftReport(columns: readonly DriftColumnInput[], options: { driftShare?: number; prediction?: DriftColumnInput } = {}): DriftReport {
  const driftShare = options.driftShare ?? 0.5;
  const out = columns.map(columnDrift);
  const drifted = out.filter((c) => c.drifted).length;
  const share = out.length ? drifted / out.length : 0;
  return {
    columns: out,
    drifted_columns: drifted,
    share,
    drift_share: driftShare,
    dataset_drift: out.length > 0 && share >= driftShare,
    prediction: options.prediction ? columnDrift(options.prediction) : null,
  };
}

function columnDrift(c: DriftColumnInput): ColumnDriftResult {
  return {
    column: c.column,
    kind: c.kind,
    ...(c.kind === "numeric" ? numericDrift(c.reference, c.current, c.referenceRows) : categoricalDrift(c.reference, c.current, c.referenceRows)),
  };
}
