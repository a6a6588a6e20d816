import { type DatasetSchema, readProcessed, readSchema } from "@pipe/etl";
import type { FeatureInput } from "@pipe/model";
import { requireOutput, type StageContext } from "../stage.js";

/**
 * The processed data and its schema, as the analysis and training stages read them. `beforeRead`
 * sees the schema before the data is read (to start work that can run meanwhile).
 */
export async function loadProcessed(ctx: StageContext, beforeRead?: (schema: DatasetSchema) => void) {
  requireOutput(ctx.paths.schema, "etl");
  requireOutput(ctx.paths.processed, "etl");
  const schema = await readSchema(ctx.paths.schema);
  beforeRead?.(schema);
  const table = await readProcessed(ctx.paths.processed, schema);
  const features: FeatureInput[] = table.featureKinds;
  return { schema, table, features };
}
