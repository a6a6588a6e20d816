import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSource, readProcessed, runEtl } from "@pipe/etl";
import { PipeModel, trainModel } from "@pipe/model";
import { DATASETS, tempDir } from "../../../test-support/index.js";

/** A small real model (Titanic, 20 trees) and its file, for the API tests. */
export async function titanicModel() {
  const tmp = tempDir("pipe-api-");
  const out = { processed: join(tmp.dir, "p.csv"), rejected: join(tmp.dir, "r.csv") };
  const { schema } = await runEtl(openSource(DATASETS.titanic), { target: "Survived" }, out);
  const table = await readProcessed(out.processed, schema);
  const features = table.featureKinds;
  const { model } = await trainModel(table, features, table.y, {
    target: schema.target,
    classes: [schema.negativeClass, schema.positiveClass],
    positiveClass: schema.positiveClass,
    testSize: 0.3,
    seed: 42,
    dataSha256: "test",
    forest: { nEstimators: 20 },
  });
  const modelPath = join(tmp.dir, "model.json");
  const text = model.serialize();
  writeFileSync(modelPath, text);
  return { model: PipeModel.parse(text), modelPath, dir: tmp.dir, cleanup: tmp.cleanup };
}
