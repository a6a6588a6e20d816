import { readFile } from "node:fs/promises";
import { PipeModel } from "@pipe/model";
import { requireOutput, StageError } from "../stage.js";

/** Loads and checks a model file; a missing file says how to make one (exit 3, as any missing stage output). */
export async function loadModel(path: string): Promise<PipeModel> {
  requireOutput(path, "train", ", or pass --model PATH");
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (error) {
    throw new StageError(`${path} could not be read (${(error as Error).message})`);
  }
  return PipeModel.parse(text, path);
}

/**
 * `loadModel` for a command given raw rows (predict, explain, drift): the model cleans each cell as the
 * ETL cleaned its training rows (not for a processed file, which is cleaned already).
 */
export async function loadModelForRawRows(path: string): Promise<PipeModel> {
  const model = await loadModel(path);
  model.cleanInputsAsTrained();
  return model;
}
