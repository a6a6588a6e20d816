import { z } from "zod";
import { rule } from "./rule.js";

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
});
