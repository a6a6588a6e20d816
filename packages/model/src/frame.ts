/** The columns a model is trained on: numbers (NaN = missing) and category labels ("" = missing). */
export interface Frame {
  rows: number;
  numeric: ReadonlyMap<string, Float64Array>;
  categorical: ReadonlyMap<string, readonly string[]>;
}

export interface FeatureInput {
  name: string;
  kind: "numeric" | "categorical";
  /** A categorical column of ISO dates (the ETL's type "date"): the model reads it as its date parts. */
  date?: boolean;
}

/** One raw record, as a CSV row or a JSON request body gives it. */
export type RawRecord = Readonly<Record<string, unknown>>;
