import { type DatasetSchema, readProcessed, readSchema } from "@pipe/etl";
import type { FeatureInput } from "@pipe/model";
import { readStageJson, requireOutput, type StageContext, StageError } from "../stage.js";

/**
 * The processed data and its schema, as the analysis and training stages read them. `beforeRead`
 * sees the schema before the data is read (to start work that can run meanwhile).
 */
export async function loadProcessed(ctx: StageContext, beforeRead?: (schema: DatasetSchema) => void) {
  requireOutput(ctx.paths.schema, "etl");
  requireOutput(ctx.paths.processed, "etl");
  const schema = await readSchema(ctx.paths.schema);
  if (!schema.columns.some((c) => c.role === "feature")) {
    const report = await readStageJson<{ dropped_columns?: DroppedColumn[] }>(ctx.paths.etlReport, "etl").catch(() => ({ dropped_columns: [] }));
    throw new StageError(noFeaturesMessage(schema.target, report.dropped_columns ?? []));
  }
  beforeRead?.(schema);
  const table = await readProcessed(ctx.paths.processed, schema);
  const features: FeatureInput[] = table.featureKinds;
  return { schema, table, features };
}

interface DroppedColumn {
  name: string;
  reason: string;
}

/**
 * Why there is nothing to analyse or train on — every column but the target dropped by the ETL — with
 * each column's reason and the setting that keeps it (its type set in the rules, which the ETL does not
 * second-guess, or the option its reason names).
 */
export function noFeaturesMessage(target: string, dropped: readonly DroppedColumn[]): string {
  if (dropped.length === 0) return `the processed data has no column besides the target "${target}": a model needs at least one feature`;
  const keep = ({ name, reason }: DroppedColumn) => {
    const set = (type: string) => `--set 'etl.rules.${name.replaceAll("'", "'\\''")}={"type": "${type}"}'`;
    if (/listed in the config/.test(reason)) return `remove etl.rules.${name}.drop`;
    if (/mostly empty/.test(reason)) return "a higher etl.maxMissingShare";
    // An identifier-like column may be numbers (a year in every row) or words: the type says which.
    if (/identifier/.test(reason)) return `${set("integer")} (a number; "category" for words)`;
    if (/free text/.test(reason)) return set("category");
    return undefined;
  };
  const lines = dropped.map((c) => {
    const how = keep(c);
    return `${c.name} (${c.reason}${how ? `; keep it with ${how}` : ""})`;
  });
  return `every column but the target "${target}" was dropped by the ETL, leaving nothing to learn from: ${lines.join(", ")}`;
}
