export { type CellCounts, makeCellNormaliser } from "./clean/cells.js";
export {
  compareLabels,
  type EtlOutputs,
  type EtlProgress,
  type EtlReport,
  type EtlResult,
  type RejectRule,
  runEtl,
} from "./clean/run.js";
export { detectDelimiter, detectHeader } from "./csv/detect.js";
export { formatCsvField, formatCsvRow } from "./csv/format.js";
export { CsvParser, type CsvParserOptions, type CsvRecord, parseCsv } from "./csv/parser.js";
export { type CsvStream, normaliseNames, type ReadCsvOptions, readCsv } from "./csv/read.js";
export { ConfigMismatchError, CsvFormatError, EtlError, InputError, SchemaError } from "./errors.js";
export { decodeText } from "./extract/decode.js";
export { type ByteSource, openSource, type SourceOptions } from "./extract/source.js";
export { AtomicTextWriter, writeFileAtomic } from "./load/atomic.js";
export { type ProcessedTable, readProcessed, readSchema } from "./load/read-processed.js";
export type { ColumnRules, EtlOptions } from "./options.js";
export { buildColumnSchema, inferType } from "./schema/infer.js";
export { ColumnProfile } from "./schema/profile.js";
export { type ColumnSchema, type ColumnType, type DatasetSchema, isNumericType } from "./schema/types.js";
export { DEFAULT_MISSING_TOKENS, parseNumber } from "./schema/values.js";
