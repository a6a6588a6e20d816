import { z } from "zod";
import { numberKind } from "../internal/values.js";
import { rule } from "./rule.js";

/** `missingTokens`: more tokens read as missing in this column (besides the file-wide `missingTokens`). */
export const missingTokens = rule({
  key: "missingTokens",
  kind: "normalises",
  description: "Extra tokens read as missing in this column",
  schema: z.array(z.string()),
  // Applied with the file-wide tokens, first of the normalisation (see makeNormaliser).
  plainNumbers: (tokens) => (tokens.some((t) => numberKind(t.trim()) !== 0) ? "changes" : "unaffected"),
});
