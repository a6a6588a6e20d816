import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { parseCsv } from "../csv/parser.js";
import { openSource } from "../extract/source.js";
import type { EtlOptions } from "../options.js";
import { runEtl } from "../run-etl.js";

/** Runs the ETL on a file into numbered outputs under `dir`, and reads back what it wrote (as text and as rows). */
export function etlRunner(dir: string) {
  let runs = 0;
  return async (input: string, options: EtlOptions) => {
    runs++;
    const outputs = { processed: join(dir, `p${runs}.csv`), rejected: join(dir, `r${runs}.csv`) };
    const result = await runEtl(openSource(input), options, outputs);
    const processedText = readFileSync(outputs.processed, "utf8");
    const rejectedText = readFileSync(outputs.rejected, "utf8");
    const processed = parseCsv(processedText, { delimiter: "," }).map((r) => r.fields);
    const rejected = parseCsv(rejectedText, { delimiter: "," }).map((r) => r.fields);
    return { ...result, processed, rejected, processedText, rejectedText, outputs };
  };
}

/**
 * Runs the ETL twice, replaying the rows from memory and reading the file again (`inMemoryCells: 0`),
 * and requires the same outputs byte for byte, the same report (but for `second_pass`) and schema.
 */
export async function expectReplayAsReread(etl: ReturnType<typeof etlRunner>, input: string, options: EtlOptions) {
  const replayed = await etl(input, options);
  const reread = await etl(input, { ...options, inMemoryCells: 0 });
  expect(replayed.report.second_pass).toBe("replayed from memory");
  expect(reread.report.second_pass).toBe("source read again");
  expect(replayed.processedText).toBe(reread.processedText);
  expect(replayed.rejectedText).toBe(reread.rejectedText);
  expect({ ...replayed.report, second_pass: "" }).toEqual({ ...reread.report, second_pass: "" });
  expect(replayed.schema).toEqual(reread.schema);
  return replayed;
}
