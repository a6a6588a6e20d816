import { readFile } from "node:fs/promises";
import { PipeModel } from "@pipe/model";
import { StageError } from "../stage.js";

/** Loads and checks a model file; a missing file says how to make one. */
export async function loadModel(path: string): Promise<PipeModel> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new StageError(`${path} not found; train a model with \`pipe train\` (or \`pipe run\`), or pass --model`);
  }
  return PipeModel.parse(text, path);
}
