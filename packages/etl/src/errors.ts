/** Base class of every error @pipe/etl throws: apps turn these into one-line messages. */
export class EtlError extends Error {
  override name = "EtlError";
}

/** The input cannot be opened (missing file, HTTP error, unknown scheme). */
export class InputError extends EtlError {
  override name = "InputError";
}

/** The bytes are not a CSV we can read; names the place of the fault. */
export class CsvFormatError extends EtlError {
  override name = "CsvFormatError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}:${line}${column === undefined ? "" : `:${column}`}: ${reason}`);
  }
}

/** The data or the configuration does not fit what the pipeline needs (target, schema, rules). */
export class SchemaError extends EtlError {
  override name = "SchemaError";
}

/** The configuration names something the data does not have (target, positive class, a rule's column): a usage error. */
export class ConfigMismatchError extends SchemaError {
  override name = "ConfigMismatchError";
}

/** An engine (DuckDB, ClickHouse) cannot be reached, is not installed, or refused a statement. */
export class EngineError extends EtlError {
  override name = "EngineError";
  /** The engine ran out of the memory it may use (more memory or fewer threads may let the statement through). */
  readonly outOfMemory: boolean;

  constructor(message: string, options: { outOfMemory?: boolean } = {}) {
    super(message);
    this.outOfMemory = options.outOfMemory ?? false;
  }
}
