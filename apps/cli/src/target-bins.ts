import { binLabelsOf, type DatasetSchema } from "@pipe/etl";

/** The target's bins when the ETL cut a numeric target in two (the model keeps them: see PipeModelState.targetBins); null otherwise. */
export function targetBinsOf(schema: DatasetSchema): { edges: number[]; labels: string[] } | null {
  const column = schema.columns.find((c) => c.name === schema.target);
  const labels = column ? binLabelsOf(column) : undefined;
  return column?.bins && labels ? { edges: [...column.bins], labels } : null;
}
