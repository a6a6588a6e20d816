import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatCsvRow } from "../csv/format.js";
import type { NumberFormName, OpenedCsv, ReadCsvOptions } from "../csv/open.js";
import { openCsv } from "../csv/open.js";
import { recordFields } from "../csv/parser.js";
import { HeaderMatcher } from "../csv/repeated-header.js";
import type { ByteSource } from "../extract/source.js";
import type { RecordView } from "../internal/tokenizer.js";
import type { Engine } from "./engine.js";

/** A CSV loaded into an engine table: its layout, and the rows set aside as they were read. */
export interface LoadedCsv {
  table: string;
  columns: string[];
  /** The header row as written (absent without a header). */
  headerFields?: string[];
  /** The columns whose values were written in a local form, read plainly, by form (see OpenedCsv). */
  numberForms?: { form: NumberFormName; columns: string[] }[];
  delimiter: string;
  hasHeader: boolean;
  encoding: "utf-8" | "latin1" | "windows-1252";
  /** Records read after the header, set-aside ones included. */
  records: number;
  /** The table of rows with another number of fields, or the header again: line, rule, detail, and their rejected.csv row as a JSON array. */
  setAside: string;
  setAsideRows: number;
  /** Rows whose field count is not the header's, and the count of the first of them. */
  ragged: { rows: number; width: number };
}

const FLUSH_CHARS = 1 << 22;

/**
 * Loads a CSV into `table` of the engine with pipe's own reader, so the engine sees the rows the
 * native ETL sees — the same encoding, delimiter and header detection, the same line numbers (in
 * `__line`), the same quoting — and rows with another number of fields, or the header met again,
 * are kept aside with their lines (`ragged_row`, `repeated_header`) instead of being dropped by the
 * engine's own CSV reader. The rows reach the engine as a plain CSV pipe writes to a temporary file
 * (the engine's bulk reader is many times faster than appending cells one by one); `check` sees the
 * columns before any row is read.
 */
export async function loadCsv(
  engine: Engine,
  source: ByteSource,
  table: string,
  options: ReadCsvOptions,
  check?: (columns: readonly string[], opened: Pick<OpenedCsv, "namesOnLine" | "widthBelowFirst">) => void,
): Promise<LoadedCsv> {
  const csv = await openCsv(source, options);
  try {
    check?.(csv.columns, csv);
  } catch (error) {
    await csv.close();
    throw error;
  }
  const width = csv.columns.length;
  const staging = join(tmpdir(), `pipe-load-${process.pid}-${randomBytes(4).toString("hex")}.csv`);
  const out = createWriteStream(staging);
  const written = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
  let text = "";
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", resolve));
  };
  const setAside = `${table}_set_aside`;
  const aside = await engine.createTextTable(setAside, [
    { name: "__line", type: "integer" },
    { name: "rule", type: "text" },
    { name: "detail", type: "text" },
    { name: "fields", type: "text" },
  ]);
  const header = csv.headerFields ? new HeaderMatcher(csv.headerFields, csv.fieldEncoding) : undefined;
  let records = 0;
  let setAsideRows = 0;
  let raggedRows = 0;
  let raggedWidth = 0;
  const row: string[] = new Array(width + 1);
  const visit = (view: RecordView) => {
    records++;
    if (view.count !== width || header?.matches(view)) {
      setAsideRows++;
      const fields = recordFields(view, csv.fieldEncoding);
      const ragged = view.count !== width;
      if (ragged && raggedRows++ === 0) raggedWidth = view.count;
      const rule = ragged ? "ragged_row" : "repeated_header";
      const detail = ragged ? `expected ${width} fields, found ${fields.length}` : "the header row again (files joined end to end?)";
      aside.append([view.line, rule, detail, JSON.stringify([String(view.line), rule, "", detail, ...fields])]);
      return;
    }
    row[0] = String(view.line);
    const fields = recordFields(view, csv.fieldEncoding);
    for (let j = 0; j < width; j++) row[j + 1] = fields[j] as string;
    text += formatCsvRow(row);
  };
  try {
    for await (const _ of csv.scan(visit)) {
      if (text.length >= FLUSH_CHARS) {
        await write(text);
        text = "";
      }
    }
    await write(text);
    out.end();
    await written;
    await aside.close();
    await engine.loadCsvFile(table, [{ name: "__line", type: "integer" }, ...csv.columns.map((name) => ({ name, type: "text" as const }))], staging);
  } finally {
    out.destroy();
    await rm(staging, { force: true });
  }
  return {
    table,
    columns: csv.columns,
    ...(csv.headerFields ? { headerFields: csv.headerFields } : {}),
    ...(csv.numberForms?.length ? { numberForms: csv.numberForms } : {}),
    delimiter: csv.delimiter,
    hasHeader: csv.hasHeader,
    encoding: csv.convertedFrom === "windows-1252" ? "windows-1252" : csv.encoding,
    records,
    setAside,
    setAsideRows,
    ragged: { rows: raggedRows, width: raggedWidth },
  };
}
