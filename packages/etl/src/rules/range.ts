import { z } from "zod";
import { isNumberSql, numberSql } from "../engine/sql-values.js";
import { parseNumber } from "../internal/values.js";
import { rule } from "./rule.js";

/** `min`: numbers below it reject the row (`out_of_range`). */
export const min = rule({
  key: "min",
  kind: "checks",
  description: "Reject rows below this value",
  schema: z.number(),
  needs: "number",
  rejects: "out_of_range",
  check: (bound) => (v) => {
    const n = parseNumber(v);
    return n !== undefined && n < bound ? { rule: "out_of_range", detail: `${v} < min ${bound}` } : undefined;
  },
  plainNumbers: "checked",
  fastCheck: (bound) => (n) => !(n < bound),
  sql: {
    check: (bound, _, d) => (v) => ({
      fails: `(${isNumberSql(d, v)} AND ${numberSql(d, v)} < ${d.double(bound)})`,
      detail: d.concat([v, d.text(` < min ${bound}`)]),
    }),
  },
});

/** `max`: numbers above it reject the row (`out_of_range`). */
export const max = rule({
  key: "max",
  kind: "checks",
  description: "Reject rows above this value",
  schema: z.number(),
  needs: "number",
  rejects: "out_of_range",
  check: (bound) => (v) => {
    const n = parseNumber(v);
    return n !== undefined && n > bound ? { rule: "out_of_range", detail: `${v} > max ${bound}` } : undefined;
  },
  plainNumbers: "checked",
  fastCheck: (bound) => (n) => !(n > bound),
  sql: {
    check: (bound, _, d) => (v) => ({
      fails: `(${isNumberSql(d, v)} AND ${numberSql(d, v)} > ${d.double(bound)})`,
      detail: d.concat([v, d.text(` > max ${bound}`)]),
    }),
  },
});
