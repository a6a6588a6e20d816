import { z } from "zod";
import { rule } from "./rule.js";

/**
 * `recode`: a value map applied after trimming (`{"No internet service": "No"}`); see `otherwise`, which
 * leaves a value the map yields as it is — so that cleaning a processed table again changes nothing (a
 * model scoring the ETL's own output meets the values it was trained on).
 */
export const recode = rule({
  key: "recode",
  kind: "normalises",
  description: "Value map applied after trimming",
  schema: z.record(z.string(), z.string()),
  step: (map, ctx) => {
    const recoded = new Map(Object.entries(map));
    const yielded = new Set(yieldedValues(map, ctx.rules));
    const otherwise = ctx.rules.otherwise as string | undefined;
    return (v, counts) => {
      const r = recoded.get(v);
      if (r !== undefined) {
        // A value the map keeps as it is ({"0": "0"} against "other") is not counted as recoded.
        if (counts && r !== v) counts.recoded++;
        return r;
      }
      if (otherwise === undefined || yielded.has(v)) return v;
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
      const yielded = yieldedValues(map, ctx.rules).filter((y) => !Object.hasOwn(map, y));
      return (v) => {
        const cases = keys.map((k) => `WHEN ${v} = ${d.text(k)} THEN ${d.text(map[k] as string)}`).join(" ");
        // A value the map yields (and does not name) is left as it is, as the native step leaves it.
        const kept =
          yielded.length === 0
            ? ""
            : `WHEN ${d.inList(
                v,
                yielded.map((y) => d.text(y)),
              )} THEN ${v} `;
        const fallback = otherwise === undefined ? v : d.text(otherwise);
        const value = keys.length === 0 && kept === "" ? fallback : `CASE ${cases} ${kept}ELSE ${fallback} END`;
        const changing = keys.filter((k) => map[k] !== k);
        const named =
          changing.length === 0
            ? "(1 = 0)"
            : d.inList(
                v,
                changing.map((k) => d.text(k)),
              );
        // Counted as the native step counts: a named value that changes, or one `otherwise` replaces.
        const untouched = [...keys, ...yielded];
        const replaced =
          untouched.length === 0
            ? ""
            : ` AND NOT ${d.inList(
                v,
                untouched.map((y) => d.text(y)),
              )}`;
        const counted = otherwise === undefined ? named : `(${named} OR (${v} <> ${d.text(otherwise)}${replaced}))`;
        return { value, counted };
      };
    },
  },
});

/**
 * The values the column's cleaning yields besides `otherwise`: the map's, as written and as the case rule
 * then spells them, and the fill of its missing cells (the processed table holds these): `otherwise`
 * leaves them as they are.
 */
function yieldedValues(map: Readonly<Record<string, string>>, rules: Readonly<Record<string, unknown>>): string[] {
  const values = Object.values(map);
  const spelt = rules.case === "lower" ? values.map((v) => v.toLowerCase()) : rules.case === "upper" ? values.map((v) => v.toUpperCase()) : [];
  const fill = typeof rules.fill === "string" && rules.fill.trim() !== "" ? [rules.fill.trim()] : [];
  return [...new Set([...values, ...spelt, ...fill])];
}

/** `otherwise`: with `recode`, the value of every non-missing value the map neither names nor yields (e.g. "attack"). */
export const otherwise = rule({
  key: "otherwise",
  kind: "normalises",
  description: "With recode: the value of every value the map neither names nor yields",
  // A number is its text (`"otherwise": 1`).
  schema: z.union([z.string(), z.number().transform(String)]),
  // It acts through recode's step (and changes numbers only with it).
  plainNumbers: "unaffected",
});
