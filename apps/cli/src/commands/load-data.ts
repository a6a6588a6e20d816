import { readProcessed, readSchema } from "@pipe/etl";
import type { FeatureInput } from "@pipe/model";
import type { StageContext } from "../stage.js";

/** The processed data and its schema, as the analysis and training stages read them. */
export async function loadProcessed(ctx: StageContext) {
  const schema = await readSchema(ctx.paths.schema);
  const table = await readProcessed(ctx.paths.processed, schema);
  const features: FeatureInput[] = table.featureKinds;
  return { schema, table, features };
}
