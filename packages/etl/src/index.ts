// @pipe/etl, as it reads: open a source, run the ETL (or infer, then clean), read the processed
// table back; the options and their rules; the CSV reading and writing the apps use; the errors.
// The ETL pushed to an engine (DuckDB, ClickHouse; the rules compiled to their SQL). The byte engines (tokenizer,
// line memo, dictionaries, row store) are internal.

export { type CleanResult, clean, type EtlOutputs } from "./clean/clean.js";
export type { CsvByteBatch } from "./csv/byte-batches.js";
export { formatCsvRow } from "./csv/format.js";
export { type CsvRecord, parseCsv } from "./csv/parser.js";
export { type CsvStream, type ReadCsvOptions, readCsv } from "./csv/read.js";
export { CsvRowBytes } from "./csv/row-bytes.js";
export { TextRowBatcher } from "./csv/text-row-batcher.js";
export { type ClickHouseOptions, openClickHouse } from "./engine/clickhouse.js";
export { runCsvEtlInEngine } from "./engine/csv-in-engine.js";
export type { SqlDialect } from "./engine/dialect.js";
export { type DuckDbOptions, openDuckDb } from "./engine/duckdb.js";
export type { Engine, SqlValue, TableAppender } from "./engine/engine.js";
export { type LoadedCsv, loadCsv } from "./engine/load-csv.js";
export { type EngineInput, type EngineOutputs, runEtlInEngine } from "./engine/run-etl-engine.js";
export { ConfigMismatchError, CsvFormatError, EngineError, EtlError, InputError, SchemaError } from "./errors.js";
export { type ByteSource, openSource, type SourceOptions } from "./extract/source.js";
export { DEFAULT_MISSING_TOKENS } from "./internal/values.js";
export { AtomicTextWriter, writeFileAtomic } from "./load/atomic.js";
export { type ProcessedTable, readProcessed, readSchema } from "./load/read-processed.js";
export { type ColumnRules, type DiscretizeRule, type DuplicatesPolicy, type EtlOptions, etlOptionsSchema } from "./options.js";
export { binLabelOf, binLabelsOf } from "./rules/discretize.js";
export { COLUMN_RULES, REJECT_RULES, type RejectRule, rulesMarkdown } from "./rules/index.js";
export { makeCellNormaliser, type Normaliser } from "./rules/normalise.js";
export { type EtlProgress, type EtlReport, type EtlResult, runEtl } from "./run-etl.js";
export type { DuplicatesDecision } from "./schema/duplicates.js";
export { type InferredSchema, inferSchema } from "./schema/infer-schema.js";
export type { ColumnSchema, ColumnType, DatasetSchema } from "./schema/types.js";
