import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../../test-support/index.js";
import { formatCsvRow } from "../csv/format.js";
import { parseCsv } from "../csv/parser.js";
import { EtlError } from "../errors.js";
import { openSource } from "../extract/source.js";
import { runEtl } from "../run-etl.js";

const tmp = tempDir("pipe-prop-");
afterAll(tmp.cleanup);

const value = fc.oneof(fc.constantFrom("", " ", "NA", "?", "x", "yes", "0", "-1", "3.5", "1e3"), fc.integer({ min: -50, max: 150 }).map(String));
const label = fc.constantFrom("a", "b", "a", "b", "");

describe("no row is lost (property)", () => {
  it("rows_in = rows_out + rows_rejected, and rejected.csv holds exactly the rejected rows, for arbitrary data and rules", async () => {
    let n = 0;
    let rowsTried = 0;
    let rowsLost = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(value, value, value, label), { minLength: 1, maxLength: 40 }),
        fc.record({ required: fc.boolean(), max: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), ragged: fc.boolean(), dedupe: fc.boolean() }),
        async (rows, rule) => {
          n++;
          const lines = rows.map((r) => formatCsvRow(rule.ragged && r[0] === "x" ? r.slice(0, 3) : r)).join("");
          const input = join(tmp.dir, `in${n}.csv`);
          writeFileSync(input, `p,q,r,y\n${lines}`);
          const out = { processed: join(tmp.dir, `p${n}.csv`), rejected: join(tmp.dir, `r${n}.csv`) };
          try {
            const { report } = await runEtl(
              openSource(input),
              {
                target: "y",
                header: true,
                dropDuplicates: rule.dedupe,
                dropConstant: false,
                maxMissingShare: 1,
                rules: { q: { required: rule.required, ...(rule.max !== undefined ? { max: rule.max, type: "float" } : {}) } },
              },
              out,
            );
            rowsTried += rows.length;
            rowsLost += rows.length - (report.rows_out + report.rows_rejected);
            expect(report.rows_in).toBe(rows.length);
            expect(report.rows_in).toBe(report.rows_out + report.rows_rejected);
            const rejected = parseCsv(readFileSync(out.rejected, "utf8"), { delimiter: "," });
            const processed = parseCsv(readFileSync(out.processed, "utf8"), { delimiter: "," });
            expect(rejected.length - 1).toBe(report.rows_rejected);
            expect(processed.length - 1).toBe(report.rows_out);
            const byRule = Object.values(report.rejected_by_rule).reduce((a, b) => a + (b ?? 0), 0);
            expect(byRule).toBe(report.rows_rejected);
          } catch (error) {
            // A dataset that cannot make a binary target (one class left...) is refused as a whole.
            expect(error).toBeInstanceOf(EtlError);
          }
        },
      ),
      { numRuns: 150, seed: 20261129 },
    );
    console.log(`compass: rows lost: ${rowsLost} of ${rowsTried} rows in ${n} generated datasets (every row is kept or in rejected.csv with its rule)`);
    expect(rowsLost).toBe(0);
  });
});
