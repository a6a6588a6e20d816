import { z } from "zod";
import { rule } from "./rule.js";

/** `allowed`: the values a column may hold; any other rejects the row (`not_allowed_value`). */
export const allowed = rule({
  key: "allowed",
  kind: "checks",
  description: "Reject rows with any other value",
  schema: z.array(z.string()),
  rejects: "not_allowed_value",
  check: (values) => {
    const set = new Set(values);
    return (v) => (set.has(v) ? undefined : { rule: "not_allowed_value", detail: `"${v}" is not one of the allowed values` });
  },
  plainNumbers: "decides",
  sql: {
    check: (values, _, d) => (v) => ({
      fails:
        values.length === 0
          ? "(1 = 1)"
          : `NOT ${d.inList(
              v,
              values.map((x) => d.text(x)),
            )}`,
      detail: d.concat([d.text('"'), v, d.text('" is not one of the allowed values')]),
    }),
  },
});
