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
