import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { goldenCases } from "../../../test-support/fixtures/etl-golden-cases.mjs";
import { FIXTURES, tempDir } from "../../../test-support/index.js";
import { openSource } from "./extract/source.js";
import { runEtl } from "./run-etl.js";

// The ETL's outputs byte for byte: every published dataset, with the default options and with rule
// sets that exercise each rule, against the SHA-256s in test-support/fixtures/etl-golden.json
// (make-etl-golden.mjs). A change to an output must be meant, and the fixture rewritten with it.
const golden = JSON.parse(readFileSync(join(FIXTURES, "etl-golden.json"), "utf8")) as Record<string, Record<string, string | number>>;
const tmp = tempDir("pipe-golden-");
afterAll(tmp.cleanup);
const sha = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");

describe.each(goldenCases)("$name", (c) => {
  it("writes the same processed and rejected bytes, schema and report as the pinned run", async () => {
    const paths = { processed: join(tmp.dir, `${c.name}.csv`), rejected: join(tmp.dir, `${c.name}.rej.csv`) };
    const { schema, report } = await runEtl(openSource(c.input), c.options, paths);
    const { input: _, bytes: __, second_pass: ___, ...stable } = report;
    expect({
      processed: sha(readFileSync(paths.processed)),
      rejected: sha(readFileSync(paths.rejected)),
      schema: sha(JSON.stringify(schema)),
      report: sha(JSON.stringify(stable)),
      rows_out: report.rows_out,
    }).toEqual(golden[c.name]);
  });
});
