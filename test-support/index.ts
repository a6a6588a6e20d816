import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import columns from "./columns.json" with { type: "json" };

/** The repository root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** ../shared beside the repository (the published datasets and the reference fixtures); PIPE_SHARED overrides. */
export const SHARED = process.env.PIPE_SHARED ?? join(ROOT, "..", "shared");

export const DATASETS = {
  titanic: join(SHARED, "datasets/titanic/titanic.csv"),
  telco: join(SHARED, "datasets/telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"),
  adult: join(SHARED, "datasets/adult/adult-train.csv"),
  pima: join(SHARED, "datasets/pima/pima-indians-diabetes.csv"),
  heart: join(SHARED, "datasets/heart/Training_set_heart.csv"),
} as const;

/** Column names of the headerless published files (shared with the benchmarks). */
export const ADULT_COLUMNS: string[] = columns.adult;
export const PIMA_COLUMNS: string[] = columns.pima;

/** A fresh temporary folder and its clean-up. */
export function tempDir(prefix = "pipe-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
