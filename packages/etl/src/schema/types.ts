/** What a column holds, as inferred from the data or set in the config. */
export type ColumnType = "integer" | "float" | "boolean" | "category" | "date" | "text" | "identifier" | "empty";

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** `target` for the label, `feature` for model inputs, `dropped` for columns not written. */
  role: "feature" | "target" | "dropped";
  /** Why a dropped column was dropped. */
  dropReason?: string;
  missing: number;
  unique: number;
  /** Truncated at 1,000 distinct values: `unique` is then a lower bound. */
  uniqueCapped: boolean;
  min?: number;
  max?: number;
  /** Bin edges of a discretised column (bin i is (bins[i], bins[i+1]], the first closed on both sides). */
  bins?: number[];
  /** Category values by descending frequency (at most 1,000). */
  categories?: { value: string; count: number }[];
}

export interface DatasetSchema {
  version: 1;
  target: string;
  positiveClass: string;
  negativeClass: string;
  rows: number;
  columns: ColumnSchema[];
}

/** Whether a column of this type holds numbers (integer or float). */
export function isNumericType(type: ColumnType): boolean {
  return type === "integer" || type === "float";
}
