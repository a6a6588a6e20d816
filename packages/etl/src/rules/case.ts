import { z } from "zod";
import { rule } from "./rule.js";

/** `case`: one spelling for categories, lower or upper case. */
export const caseRule = rule({
  key: "case",
  kind: "normalises",
  description: "Normalise category spelling",
  schema: z.enum(["lower", "upper"]),
  step: (to) => (v, counts) => {
    const c = to === "lower" ? v.toLowerCase() : v.toUpperCase();
    if (counts && c !== v) counts.case_normalised++;
    return c;
  },
  // "1e3" becomes "1E3": the text of a number may change.
  plainNumbers: "decides",
  sql: {
    counts: "case_normalised",
    step: (to, _, d) => (v) => {
      const value = to === "lower" ? d.lower(v) : d.upper(v);
      return { value, counted: `${value} <> ${v}` };
    },
  },
});
