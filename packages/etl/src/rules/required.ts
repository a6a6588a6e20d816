import { z } from "zod";
import { rule } from "./rule.js";

/** `required`: a row missing this column is rejected (`required_missing`). */
export const required = rule({
  key: "required",
  kind: "checks",
  description: "Reject rows where this column is missing",
  schema: z.boolean(),
  rejects: "required_missing",
  // Checked on missing values, which plain numbers are not (see makeChecker).
  plainNumbers: "unaffected",
});
