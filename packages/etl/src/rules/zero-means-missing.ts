import { z } from "zod";
import type { SqlDialect } from "../engine/dialect.js";
import { rule } from "./rule.js";

/** Number(v) === 0 in SQL: decimal zeros, and the hexadecimal, octal and binary zeros JavaScript reads too. */
const isZeroSql = (d: SqlDialect, v: string) => `(coalesce(${d.toDouble(v)} = 0, 1 = 0) OR ${d.fullMatch(v, "0[xXoObB]0+")})`;

/** `zeroMeansMissing`: a 0 stands for "not measured" (Pima's glucose, blood pressure, BMI). */
export const zeroMeansMissing = rule({
  key: "zeroMeansMissing",
  kind: "normalises",
  description: "A 0 means 'not measured' (Pima's glucose, BMI...)",
  schema: z.boolean(),
  needs: "number",
  step: (on) =>
    on
      ? (v, counts) => {
          if (v === "" || Number(v) !== 0) return v;
          if (counts) counts.zero_as_missing++;
          return "";
        }
      : undefined,
  plainNumbers: (on) => (on ? "changes" : "unaffected"),
  sql: {
    counts: "zero_as_missing",
    step: (on, _, d) => (on ? (v) => ({ value: `CASE WHEN ${isZeroSql(d, v)} THEN '' ELSE ${v} END`, counted: isZeroSql(d, v) }) : undefined),
  },
});
