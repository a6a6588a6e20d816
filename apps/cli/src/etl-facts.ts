import { binLabelsOf, type DatasetSchema } from "@pipe/etl";
import type { PipeModel } from "@pipe/model";

/** What `pipe train` reads of the ETL's report (etl_report.json). */
export interface EtlFacts {
  dropped_columns?: { name: string; reason: string }[];
  input_sha256?: string | null;
  number_forms?: { form: string; columns: string[] }[];
}

/**
 * What a model keeps of the ETL's outputs to read raw rows later as the ETL read its training rows: the
 * target's bins, each binned input's edges, and how the training file wrote its dates and numbers.
 */
export function keepEtlFacts(model: PipeModel, schema: DatasetSchema, etl: EtlFacts): void {
  model.state.targetBins = targetBinsOf(schema);
  model.state.featureBins = featureBinsOf(schema);
  model.state.dateOrders = dateOrdersOf(etl.number_forms);
  model.state.numberForms = numberFormsOf(etl.number_forms);
}

/** The target's bins when the ETL cut a numeric target in two (the model keeps them: see PipeModelState.targetBins); null otherwise. */
export function targetBinsOf(schema: DatasetSchema): { edges: number[]; labels: string[] } | null {
  const column = schema.columns.find((c) => c.name === schema.target);
  const labels = column ? binLabelsOf(column) : undefined;
  return column?.bins && labels ? { edges: [...column.bins], labels } : null;
}

/** The bins of every input column the ETL cut (the model bins raw numbers with them: see PipeModelState.featureBins); null when none was. */
export function featureBinsOf(schema: DatasetSchema): Record<string, { edges: number[]; labels: string[] }> | null {
  const bins: Record<string, { edges: number[]; labels: string[] }> = {};
  for (const column of schema.columns) {
    if (column.name === schema.target || column.role !== "feature") continue;
    const labels = binLabelsOf(column);
    if (column.bins && labels) bins[column.name] = { edges: [...column.bins], labels };
  }
  return Object.keys(bins).length > 0 ? bins : null;
}

/** The ETL report's forms of local dates, as the order each column's dates were written in (see PipeModelState.dateOrders); null when none. */
export function dateOrdersOf(
  numberForms: readonly { form: string; columns: readonly string[] }[] | undefined,
): Record<string, "day first" | "month first"> | null {
  const orders: Record<string, "day first" | "month first"> = {};
  for (const { form, columns } of numberForms ?? []) {
    const order = form === "day-first date" ? "day first" : form === "month-first date" ? "month first" : undefined;
    if (order) for (const c of columns) orders[c] = order;
  }
  return Object.keys(orders).length > 0 ? orders : null;
}

const AMBIGUOUS_FORMS = new Set(["grouped decimal comma", "decimal comma", "grouped thousands"] as const);
type AmbiguousForm = typeof AMBIGUOUS_FORMS extends Set<infer F> ? F : never;

/** The ETL report's forms of numbers a file to score may not show (`1.234` for 1234), by column (see PipeModelState.numberForms); null when none. */
export function numberFormsOf(numberForms: readonly { form: string; columns: readonly string[] }[] | undefined): Record<string, AmbiguousForm> | null {
  const forms: Record<string, AmbiguousForm> = {};
  for (const { form, columns } of numberForms ?? []) {
    if ((AMBIGUOUS_FORMS as ReadonlySet<string>).has(form)) for (const c of columns) forms[c] = form as AmbiguousForm;
  }
  return Object.keys(forms).length > 0 ? forms : null;
}
