import { z } from "zod";
import { dateMsSql } from "../engine/sql-values.js";
import { rule } from "./rule.js";

/** `minDate`: dates before it (ISO) reject the row (`date_out_of_range`). */
export const minDate = rule({
  key: "minDate",
  kind: "checks",
  description: "Reject rows dated before this (ISO date)",
  schema: z.string(),
  needs: "date",
  rejects: "date_out_of_range",
  check: (bound) => {
    const t = Date.parse(bound);
    return (v) => (Date.parse(v) < t ? { rule: "date_out_of_range", detail: `${v} is before ${bound}` } : undefined);
  },
  plainNumbers: "decides",
  sql: {
    check: (bound, _, d) => (v) => ({
      fails: `coalesce(${dateMsSql(d, v)} < ${d.double(Date.parse(bound))}, 1 = 0)`,
      detail: d.concat([v, d.text(` is before ${bound}`)]),
    }),
  },
});

/** `maxDate`: dates after it (ISO) reject the row (`date_out_of_range`). */
export const maxDate = rule({
  key: "maxDate",
  kind: "checks",
  description: "Reject rows dated after this (ISO date)",
  schema: z.string(),
  needs: "date",
  rejects: "date_out_of_range",
  check: (bound) => {
    const t = Date.parse(bound);
    return (v) => (Date.parse(v) > t ? { rule: "date_out_of_range", detail: `${v} is after ${bound}` } : undefined);
  },
  plainNumbers: "decides",
  sql: {
    check: (bound, _, d) => (v) => ({
      fails: `coalesce(${dateMsSql(d, v)} > ${d.double(Date.parse(bound))}, 1 = 0)`,
      detail: d.concat([v, d.text(` is after ${bound}`)]),
    }),
  },
});
