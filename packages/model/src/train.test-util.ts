import { writeFileSync } from "node:fs";
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

/**
 * A generated CSV whose target follows dates (the tests of date features): `booked` a date and time (the
 * target follows its weekday and hour; some blank), `opened` a date alone (later accounts lean positive),
 * `amount` a number. The same file every call.
 */
export function writeBookings(path: string, rows = 3000): void {
  const DAY = 86_400_000;
  const lines = ["booked,opened,amount,late"];
  for (let i = 0; i < rows; i++) {
    const at = new Date(Date.UTC(2021, 0, 1) + Math.floor(i / 3) * DAY + ((i * 7) % 24) * 3_600_000 + ((i * 13) % 4) * 900_000);
    const opened = new Date(Date.UTC(2015, 5, 1) + ((i * 7919) % 3000) * DAY);
    const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
    const evening = at.getUTCHours() >= 18;
    const late = (weekend || evening || (i % 5 === 0 && opened.getUTCFullYear() >= 2021)) !== (i % 23 === 0);
    const booked = i % 41 === 0 ? "" : at.toISOString().slice(0, 16).replace("T", " ");
    lines.push(`${booked},${opened.toISOString().slice(0, 10)},${(i * 37) % 500},${late ? "yes" : "no"}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/** The matrix columns a model of {@link writeBookings}' file reads: the date and time's four parts, the date's three, the number. */
export const BOOKINGS_FEATURES = [
  "booked__days",
  "booked__month",
  "booked__weekday",
  "booked__hour",
  "opened__days",
  "opened__month",
  "opened__weekday",
  "amount",
];
