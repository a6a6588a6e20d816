import { SchemaError } from "../errors.js";
import type { ColumnFacts } from "../internal/profile.js";
import type { ResolvedEtlOptions } from "../options.js";
import type { Binning } from "../rules/discretize.js";
import { buildColumnSchema } from "./infer.js";
import type { ColumnSchema, DatasetSchema } from "./types.js";

/** What the final schema is built from: the plan, the columns kept (indexes into it) and the facts of their written values. */
export interface FinalSchemaParts {
  name: string;
  planned: readonly ColumnSchema[];
  kept: readonly number[];
  keptFacts: readonly ColumnFacts[];
  binnings: readonly (Binning | undefined)[];
  options: ResolvedEtlOptions;
  rowsOut: number;
  targetIndex: number;
  positiveClass: string;
  negativeClass: string;
}

/**
 * The schema of the rows written (a binned column becomes a category, or an integer with index
 * labels), and the class counts; an error when no row, or one class only, is left.
 */
export function finalSchema(p: FinalSchemaParts): { schema: DatasetSchema; classCounts: Record<string, number> } {
  const opts = p.options;
  const columns: ColumnSchema[] = p.kept.map((j, k) => {
    const plan = p.planned[j] as ColumnSchema;
    const binning = p.binnings[j];
    const type = binning ? (opts.rules[plan.name]?.discretize?.labels === "index" ? "integer" : "category") : plan.type;
    const rebuilt = buildColumnSchema(p.keptFacts[k] as ColumnFacts, p.rowsOut, {
      ...opts,
      rules: { ...opts.rules, [plan.name]: { ...opts.rules[plan.name], type } },
    });
    const column: ColumnSchema = { ...rebuilt, role: plan.role, type };
    delete column.dropReason;
    if (binning) column.bins = binning.edges;
    return column;
  });
  if (p.rowsOut === 0) throw new SchemaError(`every row of ${p.name} was rejected; see the rejects file for the reasons`);
  const classCounts: Record<string, number> = {};
  for (const [value, count] of (p.keptFacts[p.kept.indexOf(p.targetIndex)] as ColumnFacts).counts) classCounts[value] = count;
  if (Object.keys(classCounts).length < 2) {
    throw new SchemaError(`after cleaning, the target "${opts.target}" has only the class ${Object.keys(classCounts).join(", ")}; a classifier needs two`);
  }
  const schema: DatasetSchema = {
    version: 1,
    target: opts.target,
    positiveClass: p.positiveClass,
    negativeClass: p.negativeClass,
    rows: p.rowsOut,
    columns,
  };
  return { schema, classCounts };
}
