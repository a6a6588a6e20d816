import { join } from "node:path";
import { type DatasetSchema, type EtlOptions, openSource, type ProcessedTable, readProcessed, runEtl } from "@pipe/etl";
import type { RawRecord } from "./frame.js";
import { type TrainOptions, type TrainResult, trainModel } from "./train.js";

/** A published file through the ETL into `dir`: its schema and processed table (tests only). */
export async function processed(dir: string, name: string, input: string, options: EtlOptions): Promise<{ schema: DatasetSchema; table: ProcessedTable }> {
  const out = { processed: join(dir, `${name}.csv`), rejected: join(dir, `${name}.rej.csv`) };
  const { schema } = await runEtl(openSource(input), options, out);
  return { schema, table: await readProcessed(out.processed, schema) };
}

/** trainModel on a processed table with the tests' usual settings (70/30, seed 42), overridden by `extra`. */
export function trainOn(d: { schema: DatasetSchema; table: ProcessedTable }, extra: Partial<TrainOptions> = {}): Promise<TrainResult> {
  const { schema, table } = d;
  return trainModel(table, table.featureKinds, table.y, {
    target: schema.target,
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    testSize: 0.3,
    seed: 42,
    dataSha256: "test",
    ...extra,
  });
}

/** Rows of a processed table as the raw records an API client sends (missing numbers as null). */
export function recordsOf(table: ProcessedTable, rows: ArrayLike<number>): RawRecord[] {
  return Array.from(rows, (row) =>
    Object.fromEntries(
      table.featureKinds.map((f) => {
        const v = f.kind === "numeric" ? (table.numeric.get(f.name) as Float64Array)[row] : (table.categorical.get(f.name) as readonly string[])[row];
        return [f.name, typeof v === "number" && Number.isNaN(v) ? null : v];
      }),
    ),
  );
}
