import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PipeModel } from "@pipe/model";
import { processed, trainOn } from "../../../packages/model/src/train.test-util.js";
import { DATASETS, tempDir } from "../../../test-support/index.js";

/** A small real model (Titanic, 20 trees) and its file, for the API tests. */
export async function titanicModel() {
  const tmp = tempDir("pipe-api-");
  const { model } = await trainOn(await processed(tmp.dir, "titanic", DATASETS.titanic, { target: "Survived" }), { forest: { nEstimators: 20 } });
  const modelPath = join(tmp.dir, "model.json");
  const text = model.serialize();
  writeFileSync(modelPath, text);
  return { model: PipeModel.parse(text), modelPath, dir: tmp.dir, cleanup: tmp.cleanup };
}
