import { readFileSync } from "node:fs";
import { join } from "node:path";
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
