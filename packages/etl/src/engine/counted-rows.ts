import { EngineError } from "../errors.js";

/**
 * The batches of a result, checked to hold `expected` rows in all. DuckDB's streaming fetch gives no chunk
 * both when a result is done and when its statement failed midway (out of memory, say), and its Node
 * bindings do not expose the error: a short count is the only sign, and without this check a truncated
 * result would pass for a complete one.
 */
export async function* countedRows<T>(batches: AsyncIterable<T[]>, expected: number, what: string): AsyncGenerator<T[]> {
  let rows = 0;
  for await (const batch of batches) {
    rows += batch.length;
    yield batch;
  }
  if (rows !== expected)
    throw new EngineError(
      `${what}: the engine sent ${rows} of ${expected} rows and stopped (a statement that fails midway can end as if it were complete); nothing was written: run again, giving the engine more memory if it is short of it`,
    );
}
