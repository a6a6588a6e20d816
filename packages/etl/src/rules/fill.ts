import { z } from "zod";
import { rule } from "./rule.js";

/**
 * `fill`: the value a missing cell of this column takes — a blank, a missing token or a zero read as
 * missing — as pandas' `fillna(value)`. For the columns where a blank is an answer: a flag written only
 * where it is set (vega-datasets' citywages.csv: "1" in 8 rows, blank in 187), a count left blank for none.
 * Applied last of the normalisation (see makeCellNormaliser), so the filled value is checked like any other.
 */
export const fill = rule({
  key: "fill",
  kind: "normalises",
  description: "The value of this column's missing cells (blank, missing token, zero as missing), as pandas' fillna",
  // A number is its text (`"fill": 0`, as pandas' fillna(0) is written).
  schema: z
    .union([z.string(), z.number().transform(String)])
    .refine((v) => v.trim() !== "", { message: "fill needs a value that is not blank (a blank is what it replaces)" }),
  // A plain number is never missing: the fill never touches one.
  plainNumbers: "unaffected",
});
