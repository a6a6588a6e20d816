import { z } from "zod";
import { rule } from "./rule.js";

/** `recode`: a value map applied after trimming (`{"No internet service": "No"}`); see `otherwise`. */
export const recode = rule({
  key: "recode",
  kind: "normalises",
  description: "Value map applied after trimming",
  schema: z.record(z.string(), z.string()),
  step: (map, ctx) => {
    const recoded = new Map(Object.entries(map));
    const otherwise = ctx.rules.otherwise as string | undefined;
    return (v, counts) => {
      const r = recoded.get(v);
      if (r !== undefined) {
        if (counts) counts.recoded++;
        return r;
      }
      if (otherwise === undefined) return v;
      if (counts && v !== otherwise) counts.recoded++;
      return otherwise;
    };
  },
  plainNumbers: "changes",
  sql: {
    counts: "recoded",
    step: (map, ctx, d) => {
      const otherwise = ctx.rules.otherwise as string | undefined;
      const keys = Object.keys(map);
      return (v) => {
        const cases = keys.map((k) => `WHEN ${v} = ${d.text(k)} THEN ${d.text(map[k] as string)}`).join(" ");
        const fallback = otherwise === undefined ? v : d.text(otherwise);
        const value = keys.length === 0 ? fallback : `CASE ${cases} ELSE ${fallback} END`;
        const named =
          keys.length === 0
            ? "(1 = 0)"
            : d.inList(
                v,
                keys.map((k) => d.text(k)),
              );
        const counted = otherwise === undefined ? named : `(${named} OR ${v} <> ${d.text(otherwise)})`;
        return { value, counted };
      };
    },
  },
});

/** `otherwise`: with `recode`, the value of every non-missing value the map does not name (e.g. "attack"). */
export const otherwise = rule({
  key: "otherwise",
  kind: "normalises",
  description: "With recode: the value of every value the map does not name",
  schema: z.string(),
  // It acts through recode's step (and changes numbers only with it).
  plainNumbers: "unaffected",
});
