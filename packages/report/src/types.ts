/** The metrics document `pipe evaluate` writes (metrics.json), defined with the metric table in @pipe/model. */
export type { MetricsDoc } from "@pipe/model";

/** The ETL counts the report shows (etl_report.json). */
export interface EtlSummary {
  input: string;
  bytes: number | null;
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  rejected_by_rule: Record<string, number>;
  cells: Record<string, number>;
  dropped_columns: { name: string; reason: string }[];
  columns_in: number;
  columns_out: number;
  encoding: string;
  delimiter: string;
  has_header: boolean;
  warnings: string[];
  /** SHA-256 of the raw input as read (absent for a database table and in older reports). */
  input_sha256?: string | null;
  /** Rows that repeat an earlier row (absent in reports written before pipe counted them). */
  duplicates?: { policy: string; drop: boolean; repeated_rows: number; reason: string };
}
