import { readFile } from "node:fs/promises";
import { readCsv } from "../csv/read.js";
import { InputError, SchemaError } from "../errors.js";
import { openSource } from "../extract/source.js";
import { parseNumber } from "../internal/values.js";
import type { ColumnSchema, DatasetSchema } from "../schema/types.js";

/** A processed dataset in memory, column by column: numbers as Float64Array (NaN = missing), the rest as strings ("" = missing). */
export interface ProcessedTable {
  schema: DatasetSchema;
  rows: number;
  /** Feature columns in file order. */
  features: ColumnSchema[];
  /** Each feature as a model input: numbers stay numeric, everything else is categorical (dates flagged `date`). */
  featureKinds: { name: string; kind: "numeric" | "categorical"; date?: boolean }[];
  numeric: Map<string, Float64Array>;
  categorical: Map<string, string[]>;
  /** The target as raw labels. */
  labels: string[];
  /** 1 where the label is the positive class. */
  y: Uint8Array;
}

/** Reads a schema JSON written by the ETL stage and checks its shape. */
export async function readSchema(path: string): Promise<DatasetSchema> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new InputError(`${path}: schema file not found; run \`pipe etl\` first`);
  }
  let schema: DatasetSchema;
  try {
    schema = JSON.parse(text) as DatasetSchema;
  } catch {
    throw new SchemaError(`${path}: not valid JSON; run \`pipe etl\` again`);
  }
  if (schema.version !== 1 || !Array.isArray(schema.columns) || typeof schema.target !== "string") {
    throw new SchemaError(`${path}: not a pipe schema (version 1); run \`pipe etl\` again`);
  }
  return schema;
}

/** Loads the processed CSV that the ETL stage wrote, typed by its schema.
 *
 * @example
 * const schema = await readSchema("out/dataset_processed.schema.json");
 * const table = await readProcessed("out/dataset_processed.csv", schema);
 * table.y; // 1 for the positive class, per row
 * table.numeric.get("Age"); // Float64Array, NaN where missing
 */
export async function readProcessed(csvPath: string, schema: DatasetSchema): Promise<ProcessedTable> {
  const stream = await readCsv(openSource(csvPath), { delimiter: ",", header: true });
  const index = new Map(stream.columns.map((c, i) => [c, i]));

  for (const c of schema.columns) {
    if (!index.has(c.name)) throw new SchemaError(`${csvPath} has no column "${c.name}" though its schema names it; run \`pipe etl\` again`);
  }
  const features = schema.columns.filter((c) => c.role === "feature");
  const numericCols = features.filter((c) => c.type === "integer" || c.type === "float");
  // Numbers go straight into typed arrays that double when full (no boxed number[] in between).
  let capacity = Math.max(1024, schema.rows);
  let numericValues = numericCols.map(() => new Float64Array(capacity));
  let count = 0;
  const catCols = features.filter((c) => !(c.type === "integer" || c.type === "float"));
  const catValues = catCols.map(() => [] as string[]);
  // One string per distinct category: a column holds a few values many times, and lookups of the
  // same string object (the model's code maps) are the fastest kind.
  const pools = catCols.map(() => new Map<string, string>());
  const labels: string[] = [];
  const ti = index.get(schema.target) as number;
  const ni = numericCols.map((c) => index.get(c.name) as number);
  const ci = catCols.map((c) => index.get(c.name) as number);
  for await (const batch of stream.batches) {
    for (const r of batch) {
      if (count === capacity) {
        capacity *= 2;
        numericValues = numericValues.map((a) => {
          const grown = new Float64Array(capacity);
          grown.set(a);
          return grown;
        });
      }
      const f = r.fields;
      labels.push(f[ti] ?? "");
      for (let k = 0; k < ni.length; k++) {
        const v = f[ni[k] as number] ?? "";
        (numericValues[k] as Float64Array)[count] = v === "" ? Number.NaN : (parseNumber(v) ?? Number.NaN);
      }
      for (let k = 0; k < ci.length; k++) {
        const v = f[ci[k] as number] ?? "";
        const pool = pools[k] as Map<string, string>;
        let shared = pool.get(v);
        if (shared === undefined) {
          shared = v;
          pool.set(v, v);
        }
        (catValues[k] as string[]).push(shared);
      }
      count++;
    }
  }
  const y = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) y[i] = labels[i] === schema.positiveClass ? 1 : 0;

  return {
    schema,
    rows: labels.length,
    features,
    // A date column comes as its ISO text, flagged: the model reads it as its day count, month, weekday (and hour).
    featureKinds: features.map((c) =>
      c.type === "integer" || c.type === "float"
        ? { name: c.name, kind: "numeric" as const }
        : { name: c.name, kind: "categorical" as const, ...(c.type === "date" ? { date: true } : {}) },
    ),
    numeric: new Map(numericCols.map((c, k) => [c.name, (numericValues[k] as Float64Array).slice(0, count)])),
    categorical: new Map(catCols.map((c, k) => [c.name, catValues[k] as string[]])),
    labels,
    y,
  };
}
