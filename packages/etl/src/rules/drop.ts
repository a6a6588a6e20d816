import { z } from "zod";
import { rule } from "./rule.js";

/** `drop`: leave the column out of the processed data (`etl_report.json` says "listed in the config"). */
export const drop = rule({
  key: "drop",
  kind: "shapes the column",
  description: "Leave this column out of the processed data",
  schema: z.boolean(),
  // A dropped column is never checked: every value passes.
  plainNumbers: "unaffected",
});
