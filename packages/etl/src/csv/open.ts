import { ConfigMismatchError, CsvFormatError, EtlError } from "../errors.js";
import { gunzipIfNeeded, looksLikeUtf8, utf8Text, windows1252ToUtf8 } from "../extract/decode.js";
import type { ByteSource } from "../extract/source.js";
import type { LineMemo } from "../internal/line-memo.js";
import { CsvTokenizer, type RecordView, type RecordVisitor, type RepeatVisitor } from "../internal/tokenizer.js";
import { DEFAULT_MISSING_TOKENS } from "../internal/values.js";
import { CommentLines, withoutCommentLines } from "./comment-lines.js";
import { decimalComma, decimalCommaColumns, fitsDecimalComma } from "./decimal-commas.js";
import { detectDelimiter, detectHeader } from "./detect.js";
import { fitsGroupedDecimalComma, groupedDecimalComma, groupedDecimalCommaColumns, mayHoldGroupedDecimalCommas } from "./grouped-decimal-commas.js";
import { fitsGroupedThousands, groupedThousands, groupedThousandsColumns } from "./grouped-thousands.js";
import { LeadingLines, withoutLeadingLines } from "./leading-lines.js";
import {
  type DateOrder,
  dayFirstDate,
  localDateColumns,
  mayHoldLocalDates,
  mayHoldMonthNameDates,
  monthFirstDate,
  monthNameDate,
  monthNameDateColumns,
  yearFirstDate,
} from "./local-dates.js";
import {
  currencyColumns,
  currencyDecimalCommaColumns,
  currencySign,
  currencySignDecimalComma,
  infinity,
  infinityColumns,
  parenthesizedColumns,
  parenthesizedNegative,
  percentColumns,
  percentDecimalCommaColumns,
  percentSign,
  percentSignDecimalComma,
} from "./marked-numbers.js";
import { NumberFields, type NumberForm } from "./number-fields.js";
import { parseCsv, recordFields } from "./parser.js";
import { WHITESPACE, WhitespaceRuns, whitespaceToTabs } from "./whitespace.js";

export interface ReadCsvOptions {
  /**
   * `,` `;` tab `|`, or `"whitespace"` (fields separated by runs of spaces and tabs, the white space
   * around a line ignored, as pandas' `sep=r"\s+"`); detected from the first 64 KiB when absent.
   */
  delimiter?: string;
  /** Whether the first record names the columns; detected when absent. */
  header?: boolean;
  /** Column names to use (required in effect when the file has no header). */
  columns?: readonly string[];
  /**
   * A character that starts a comment line (e.g. `#`): a line whose first character other than spaces
   * and tabs is this one is skipped, wherever it is (a notice above the header, notes between rows);
   * lines keep their numbers. None by default.
   */
  comment?: string;
  /**
   * Lines at the start of the file that are not the table (a title, notes, a line of counts above the
   * header), as pandas' `skiprows`: skipped whatever they hold; later lines keep their numbers. 0 by default.
   */
  skipLines?: number;
  /**
   * The decimal mark of numbers: `","` reads numbers written with a decimal comma (`13,44`, and with
   * their thousands grouped by dots or spaces, `1.234,56`) as numbers (`13.44`, `1234.56`) in every
   * column; `"."` never does. Absent: the columns whose sample values are all such numbers (one at
   * least with its comma, or grouped so that it can be nothing else) are read so; ungrouped ones only
   * in a file not separated by commas.
   */
  decimal?: "." | ",";
  /**
   * `","`: numbers with their thousands grouped (`1,234.5`, quoted in a comma-separated file; also
   * `1'234.5`, `1 234.5`) are read as numbers (`1234.5`) in every column, as pandas' `thousands=","`,
   * wherever in the file they first appear. Absent: the columns whose sample values are all such
   * numbers (one at least grouped) are read so.
   */
  thousands?: ",";
  /** Values read as missing (the ETL's `missingTokens`), which a column of numbers may hold: DEFAULT_MISSING_TOKENS when absent. */
  missingTokens?: readonly string[];
  /**
   * Column names the caller looks for (the ETL's target and the columns its rules name, a model's
   * fields): a first row holding one of them as a whole field is the header, where the detection
   * alone would read a row of numbers as data (`id,2019,2020,churned`: years as column names).
   */
  expectedNames?: readonly string[];
  /**
   * The order the dates of a column (by name) were written in elsewhere — a model's training file — for a
   * column whose sample cannot tell (every day on the 1st to the 12th: `05/10/2022` either way). The
   * sample decides when it can, whatever this says.
   */
  dateOrders?: Readonly<Record<string, "day first" | "month first">>;
  /**
   * The form a column's numbers (by name) were written in elsewhere — a model's training file — for a
   * column whose sample cannot tell: `1.234` is 1234 where the training file wrote `1.234,56`. Read so
   * when every value of the sample fits the form; else the sample decides.
   */
  numberForms?: Readonly<Record<string, "grouped decimal comma" | "decimal comma" | "grouped thousands">>;
}

/** A CSV whose layout is known (delimiter, header, encoding, columns), ready to be scanned once. */
export interface OpenedCsv {
  columns: string[];
  delimiter: string;
  hasHeader: boolean;
  encoding: "utf-8" | "latin1";
  /** How to turn a field's bytes into text: `view.bytes.toString(fieldEncoding, start, end)`. */
  fieldEncoding: "utf8" | "latin1";
  /** The file's encoding when it was not UTF-8 (then read as its UTF-8 conversion: `encoding` is "utf-8"). */
  convertedFrom?: "UTF-16LE" | "UTF-16BE" | "windows-1252";
  /** The columns whose numbers were written in a local form, read plainly (e.g. `13,44` as 13.44), by form. */
  numberForms?: { form: NumberFormName; columns: string[] }[];
  /** The header row's fields as written (before duplicate or blank names are renamed); absent without a header. */
  headerFields?: string[];
  /**
   * When none of `expectedNames` is a column but a later line of the sample holds one as a field: that
   * line (the column names under lines that are not the header, as scikit-learn's data files have them).
   */
  namesOnLine?: number;
  /**
   * When none of `expectedNames` is a column and no later line names them: the number of fields the
   * sample's next lines share, where it differs from the first line's (scikit-learn's data files start
   * with a line of counts and class names above rows that have no names).
   */
  widthBelowFirst?: number;
  /**
   * Visits every data record (the header is skipped) as byte spans, and yields after each chunk of
   * input with the number of records visited so far: await there to write what the visitor built.
   * With `repeats`, a record that repeats a line remembered in `repeats.memo` goes to `repeats.repeat`
   * (with the payload remembered) instead of being tokenized and visited.
   */
  scan(visit: RecordVisitor, repeats?: { memo: LineMemo; repeat: RepeatVisitor }): AsyncGenerator<number>;
  /** Bytes the scan has handed to the tokenizer so far (decompressed). */
  readonly bytesScanned: number;
  /** Closes the source without scanning it (a scan closes it when it ends or is stopped early). */
  close(): Promise<void>;
}

const SAMPLE_BYTES = 64 * 1024;

/** Opens a CSV source: detects encoding, delimiter and header from its start, and reads the column names. */
export async function openCsv(source: ByteSource, options: ReadCsvOptions = {}): Promise<OpenedCsv> {
  let convertedFrom: "UTF-16LE" | "UTF-16BE" | undefined;
  const iterator = utf8Text(gunzipIfNeeded(source.open()), source.name, (utf16) => {
    convertedFrom = utf16;
  })[Symbol.asyncIterator]();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await iterator.return?.(undefined);
  };
  try {
    return await layout(source, options, iterator, close, () => convertedFrom);
  } catch (error) {
    await close();
    throw error;
  }
}

async function layout(
  source: ByteSource,
  options: ReadCsvOptions,
  iterator: AsyncIterator<Uint8Array>,
  close: () => Promise<void>,
  converted: () => "UTF-16LE" | "UTF-16BE" | undefined,
): Promise<OpenedCsv> {
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  const readMore = async (): Promise<boolean> => {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      return false;
    }
    head.push(Buffer.from(next.value));
    headBytes += next.value.length;
    return true;
  };
  while (headBytes < SAMPLE_BYTES && (await readMore()));
  const sampleBytes = Buffer.concat(head);
  const bom = sampleBytes.length >= 3 && sampleBytes[0] === 0xef && sampleBytes[1] === 0xbb && sampleBytes[2] === 0xbf ? 3 : 0;
  // Bytes that are not UTF-8 are Windows-1252 (Latin-1 with € ‘ ’ “ ” in 0x80–0x9F, as Excel saves a CSV
  // on Windows), converted to UTF-8 as they are read: every later step sees UTF-8.
  const singleByte = !looksLikeUtf8(sampleBytes.subarray(bom));
  const encoding = "utf-8";
  const fieldEncoding = "utf8";
  const convertedFrom = singleByte ? "windows-1252" : converted();
  const comment = options.comment;
  if (comment !== undefined && (comment.length !== 1 || comment.charCodeAt(0) > 127 || /[\s"]/u.test(comment))) {
    throw new ConfigMismatchError(`the comment character must be one ASCII character other than a quote or white space (got ${JSON.stringify(comment)})`);
  }
  if (options.thousands === "," && options.decimal === ",") {
    throw new ConfigMismatchError('the comma cannot be both the decimal mark and the thousands separator: drop decimal "," or thousands ","');
  }
  const skipLines = options.skipLines ?? 0;
  if (!Number.isInteger(skipLines) || skipLines < 0) {
    throw new ConfigMismatchError(`the lines to skip at the start must be a whole number ≥ 0 (got ${JSON.stringify(options.skipLines)})`);
  }
  // Converted here rather than by TextDecoder("windows-1252"), which Node 20 reads as Latin-1 (0x80 is not €).
  const text = withoutLeadingLines(
    new TextDecoder("utf-8").decode(singleByte ? windows1252ToUtf8(sampleBytes.subarray(bom)) : sampleBytes.subarray(bom)),
    skipLines,
  );
  // Excel's "sep=;" line names the delimiter above the header: it is read, then left out as a blank line.
  const sepLine = /^sep=([^\r\n"])(?=\r|\n)/u.exec(text);
  let skip = sepLine ? Buffer.byteLength(sepLine[0]) : 0;
  const decoded = sepLine ? text.slice(sepLine[0].length) : text;
  const sample = comment === undefined ? decoded : withoutCommentLines(decoded, comment);
  if (sample.trim() === "") {
    const what =
      decoded.trim() !== ""
        ? `the file's first ${SAMPLE_BYTES / 1024} KiB hold only comment lines`
        : skipLines > 0
          ? `the file holds nothing after the ${skipLines} line(s) skipped at its start`
          : "the file is empty";
    throw new CsvFormatError(source.name, 1, undefined, `${what}; a CSV needs a header and rows`);
  }
  // The sample as each candidate delimiter splits it (detection parses it), read again for the number forms.
  const parsed = new Map<string, string[][]>();
  const delimiter = options.delimiter ?? (sepLine?.[1] === " " ? WHITESPACE : sepLine?.[1]) ?? detectDelimiter(sample, parsed);
  if (comment !== undefined && comment === delimiter) {
    throw new ConfigMismatchError(`the comment character ${JSON.stringify(comment)} is also the delimiter; name another`);
  }
  const hasHeader = options.header ?? (options.columns ? false : detectHeader(sample, delimiter, options.expectedNames));
  // Runs of white space are rewritten as tabs on the way in: the tokenizer then splits on tabs.
  const runs = delimiter === WHITESPACE ? new WhitespaceRuns() : undefined;
  const split = runs ? "\t" : delimiter;
  // Comment lines are emptied first (their quotes followed on the file's own separators).
  const separator = split.charCodeAt(0);
  const comments = comment === undefined ? undefined : new CommentLines(comment, runs ? (c) => c === 0x20 || c === 0x09 : (c) => c === separator);
  const chosen = numberColumns(options, runs ? undefined : parsed.get(split), sample, split, runs !== undefined, hasHeader);
  const numbers = numberFields(separator, chosen, options.missingTokens ? new Set(options.missingTokens.map((t) => t.trim())) : MISSING);
  const leading = skipLines > 0 ? new LeadingLines(skipLines) : undefined;
  const shape = (input: Uint8Array): Uint8Array => {
    const converted = singleByte ? windows1252ToUtf8(input) : input;
    let bytes = leading ? leading.push(converted) : converted;
    if (skip > 0) {
      const dropped = Math.min(skip, bytes.length);
      bytes = bytes.subarray(dropped);
      skip -= dropped;
    }
    const kept = comments ? comments.push(bytes) : bytes;
    const tabbed = runs ? runs.push(kept) : kept;
    return numbers ? numbers.push(tabbed) : tabbed;
  };
  /** What the input's last line held back, once it has ended (blanks that could have begun a comment, a number). */
  const shapeEnd = (): Uint8Array | undefined => {
    const rest = comments?.end();
    const tabbed = rest?.length ? (runs ? runs.push(rest) : rest) : undefined;
    const tail = numbers ? Buffer.concat([tabbed ? numbers.push(tabbed) : new Uint8Array(0), numbers.end()]) : tabbed;
    return tail?.length ? tail : undefined;
  };

  // The first record gives the names (or the width); it may be longer than the sample.
  let first: string[] | undefined;
  const probe = new CsvTokenizer({ delimiter: split, file: source.name });
  const takeFirst = (view: RecordView) => {
    first ??= recordFields(view, fieldEncoding);
  };
  const shapedHead = [shape(sampleBytes.subarray(bom))];
  probe.push(shapedHead[0] as Uint8Array, takeFirst);
  while (!first && !done) {
    if (await readMore()) {
      const more = shape(head[head.length - 1] as Uint8Array);
      shapedHead.push(more);
      probe.push(more, takeFirst);
    }
  }
  if (!first) probe.end(takeFirst);
  if (!first) throw new CsvFormatError(source.name, 1, undefined, "the file holds no records");
  // What the scan starts from: the bytes read so far (without a byte-order mark), as the tokenizer takes them.
  const start = shapedHead.length === 1 ? (shapedHead[0] as Uint8Array) : Buffer.concat(shapedHead);

  let columns: string[];
  if (options.columns) columns = normaliseNames([...options.columns]);
  else if (hasHeader) columns = normaliseNames(first);
  else columns = first.map((_, i) => `column_${i + 1}`);
  const lookedFor = options.expectedNames?.some((n) => columns.includes(n)) === false ? options.expectedNames : undefined;
  const below = lookedFor ? sampleRecords(sample, split, runs !== undefined) : [];
  const namesOnLine = lookedFor ? below.find((r) => r.fields.some((f) => lookedFor.includes(f.trim())))?.line : undefined;
  const widthBelowFirst = lookedFor && namesOnLine === undefined ? sharedWidth(below, first.length) : undefined;

  let scanned = false;
  let bytesScanned = 0;
  async function* scan(visit: RecordVisitor, repeats?: { memo: LineMemo; repeat: RepeatVisitor }): AsyncGenerator<number> {
    if (scanned) throw new EtlError("an opened CSV can be scanned once; call openCsv again for another pass");
    scanned = true;
    let records = 0;
    const tokenizer = new CsvTokenizer({
      delimiter: split,
      file: source.name,
      ...(repeats
        ? {
            repeats: {
              memo: repeats.memo,
              repeat: (payload: number, line: number) => {
                records++;
                repeats.repeat(payload, line);
              },
            },
          }
        : {}),
    });
    let skipHeader = hasHeader;
    const counted = (view: RecordView) => {
      if (skipHeader) {
        skipHeader = false;
        return;
      }
      records++;
      visit(view);
    };
    try {
      tokenizer.push(start, counted);
      bytesScanned = headBytes;
      yield records;
      while (!done) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        tokenizer.push(shape(next.value), counted);
        bytesScanned += next.value.length;
        yield records;
      }
      const rest = shapeEnd();
      if (rest) tokenizer.push(rest, counted);
      tokenizer.end(counted);
      yield records;
    } finally {
      // A reader that stops early (or a format error) still closes the source.
      await close();
    }
  }
  const formed = formsByName(chosen, columns);
  return {
    columns,
    delimiter,
    hasHeader,
    encoding,
    fieldEncoding,
    ...(hasHeader ? { headerFields: first } : {}),
    ...(namesOnLine !== undefined ? { namesOnLine } : {}),
    ...(widthBelowFirst !== undefined ? { widthBelowFirst } : {}),
    ...(convertedFrom ? { convertedFrom } : {}),
    ...(formed.length ? { numberForms: formed } : {}),
    scan,
    close,
    get bytesScanned() {
      return bytesScanned;
    },
  };
}

/** The sample's records after the first (up to the 20th), whole lines only; none when the sample does not parse. */
function sampleRecords(sample: string, split: string, whitespace: boolean): { fields: string[]; line: number }[] {
  try {
    const text = whitespace ? whitespaceToTabs(sample) : sample;
    const end = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
    return parseCsv(end > 0 ? text.slice(0, end + 1) : text, { delimiter: split }).slice(1, 20);
  } catch {
    return [];
  }
}

/** The field count at least 4 in 5 of `records` share (3 records at least), when it is not `firstWidth`. */
function sharedWidth(records: readonly { fields: string[] }[], firstWidth: number): number | undefined {
  if (records.length < 3) return undefined;
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1);
  const [width, n] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
  return width !== firstWidth && n >= 0.8 * records.length ? width : undefined;
}

/** The local ways of writing numbers pipe reads plainly. */
export type NumberFormName =
  | "grouped decimal comma"
  | "decimal comma"
  | "grouped thousands"
  | "currency sign"
  | "currency sign, decimal comma"
  | "negative in parentheses"
  | "percent sign"
  | "percent sign, decimal comma"
  | "infinity"
  | "day-first date"
  | "month-first date"
  | "year-first date"
  | "month-name date";

const FORMS: Record<NumberFormName, NumberForm> = {
  "grouped decimal comma": groupedDecimalComma,
  "decimal comma": decimalComma,
  "grouped thousands": groupedThousands,
  "currency sign": currencySign,
  "currency sign, decimal comma": currencySignDecimalComma,
  "negative in parentheses": parenthesizedNegative,
  "percent sign": percentSign,
  "percent sign, decimal comma": percentSignDecimalComma,
  infinity,
  "day-first date": dayFirstDate,
  "month-first date": monthFirstDate,
  "year-first date": yearFirstDate,
  "month-name date": monthNameDate,
};

/**
 * Which columns' numbers are written in a local form, from the sample (see `ReadCsvOptions.decimal`):
 * decimal commas with thousands grouped by dots or spaces, decimal commas (not in comma-separated
 * files; every column with `decimal: ","`), then grouped thousands (in a `;` file `1,234` is 1.234),
 * amounts with a currency sign (with a decimal point, then with a decimal comma), negative amounts in
 * parentheses, numbers with a percent sign (point, then comma), infinities, dates with their year last (day or month first) and
 * dates with their month named (Jan 1 2000, 01-Jan-2000); a column gets one
 * form at most. "all": decimal commas (grouped or not) everywhere; "all grouped": thousands grouped everywhere.
 */
function numberColumns(
  options: ReadCsvOptions,
  parsed: string[][] | undefined,
  sample: string,
  split: string,
  whitespace: boolean,
  hasHeader: boolean,
): Map<number, NumberFormName> | "all" | "all grouped" {
  if (options.decimal === ",") return "all";
  if (options.thousands === ",") return "all grouped";
  const chosen = new Map<number, NumberFormName>();
  // Forms whose mark the sample never holds are not looked for (most files hold none: no pass over their values).
  const commas = sample.includes(",");
  const possible: Record<NumberFormName, boolean> = {
    // In a comma-separated file such a number holds a comma (or a space) and is quoted.
    "grouped decimal comma": options.decimal !== "." && mayHoldGroupedDecimalCommas(sample),
    "decimal comma": commas && options.decimal !== "." && split !== ",",
    // In a comma-separated file a number grouped by commas is quoted; apostrophes and spaces need no quotes.
    "grouped thousands": (commas && (split !== "," || sample.includes('"'))) || /\d['\u2019 \u00a0\u202f]\d{3}/u.test(sample),
    "currency sign": /[$€£¥]/u.test(sample),
    "currency sign, decimal comma": options.decimal !== "." && commas && /[$€£¥]/u.test(sample),
    "negative in parentheses": /\(\s?[$€£¥]?\s?\d/u.test(sample),
    "percent sign": sample.includes("%"),
    "percent sign, decimal comma": options.decimal !== "." && commas && sample.includes("%"),
    // As a value of its own, not inside a word (an "info" column needs no look).
    infinity: /(^|[\s,;|"])[-+]?inf(inity)?(?=$|[\s,;|"])/imu.test(sample),
    "day-first date": mayHoldLocalDates(sample),
    "month-first date": false,
    "year-first date": false,
    "month-name date": mayHoldMonthNameDates(sample),
  };
  if (!Object.values(possible).some(Boolean)) return chosen;
  let records: string[][];
  try {
    const text = whitespace ? whitespaceToTabs(sample) : sample;
    const end = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
    records = parsed ?? parseCsv(end > 0 ? text.slice(0, end + 1) : text, { delimiter: split }).map((r) => r.fields);
  } catch {
    return chosen;
  }
  const rows = hasHeader ? records.slice(1) : records;
  const missing = options.missingTokens ? new Set(options.missingTokens.map((t) => t.trim())) : MISSING;
  // The names the reader gives the columns (trimmed, a repeated one numbered), which the hints use.
  const columnNames = hasHeader ? normaliseNames(records[0] ?? []) : (options.columns ?? []);
  // The forms the caller knows (a model's training file), where every value of the sample fits them.
  const knownForms = options.numberForms ?? {};
  columnNames.forEach((name, j) => {
    const form = Object.hasOwn(knownForms, name) ? knownForms[name] : undefined;
    const fits = form === undefined ? undefined : KNOWN_FORM_FITS[form];
    if (!form || !fits) return;
    let seen = 0;
    for (const r of rows) {
      const v = r[j];
      if (v === undefined || v.trim() === "" || missing.has(v.trim())) continue;
      if (!fits(v)) return;
      seen++;
    }
    if (seen > 0) chosen.set(j, form);
  });
  const none = new Set<number>();
  const found: [NumberFormName, Set<number>][] = [
    ["grouped decimal comma", possible["grouped decimal comma"] ? groupedDecimalCommaColumns(rows, missing) : none],
    ["decimal comma", possible["decimal comma"] ? decimalCommaColumns(rows, missing) : none],
    ["grouped thousands", possible["grouped thousands"] ? groupedThousandsColumns(rows, missing) : none],
    ["currency sign", possible["currency sign"] ? currencyColumns(rows, missing) : none],
    ["currency sign, decimal comma", possible["currency sign, decimal comma"] ? currencyDecimalCommaColumns(rows, missing) : none],
    ["negative in parentheses", possible["negative in parentheses"] ? parenthesizedColumns(rows, missing) : none],
    ["percent sign", possible["percent sign"] ? percentColumns(rows, missing) : none],
    ["percent sign, decimal comma", possible["percent sign, decimal comma"] ? percentDecimalCommaColumns(rows, missing) : none],
    ["infinity", possible.infinity ? infinityColumns(rows, missing) : none],
  ];
  for (const [form, columns] of found) for (const j of columns) if (!chosen.has(j)) chosen.set(j, form);
  // Dates with their year last, read as ISO dates in the order the column's values show (both orders looked for at once).
  if (possible["day-first date"]) {
    const names = { "day first": "day-first date", "month first": "month-first date", "year first": "year-first date" } as const;
    const orders = options.dateOrders ?? {};
    const hints = new Map<number, DateOrder>();
    columnNames.forEach((name, j) => {
      const order = Object.hasOwn(orders, name) ? orders[name] : undefined;
      if (order) hints.set(j, order);
    });
    for (const [j, order] of localDateColumns(rows, missing, hints)) if (!chosen.has(j)) chosen.set(j, names[order]);
  }
  if (possible["month-name date"]) for (const j of monthNameDateColumns(rows, missing)) if (!chosen.has(j)) chosen.set(j, "month-name date");
  return chosen;
}

const MISSING = new Set(DEFAULT_MISSING_TOKENS);

/** Whether a value fits each form a caller may give for a column (ReadCsvOptions.numberForms). */
const KNOWN_FORM_FITS: Record<"grouped decimal comma" | "decimal comma" | "grouped thousands", (v: string) => boolean> = {
  "grouped decimal comma": fitsGroupedDecimalComma,
  "decimal comma": fitsDecimalComma,
  "grouped thousands": fitsGroupedThousands,
};

/** The rewriting of the columns' numbers written in a local form; undefined when there are none. */
function numberFields(separator: number, chosen: Map<number, NumberFormName> | "all" | "all grouped", missing: ReadonlySet<string>): NumberFields | undefined {
  // Where the comma is the decimal mark, dots and spaces between groups of three digits group thousands.
  if (chosen === "all") return new NumberFields(separator, keepingMissing(groupedDecimalComma, missing));
  if (chosen === "all grouped") return new NumberFields(separator, keepingMissing(groupedThousands, missing));
  return chosen.size > 0 ? new NumberFields(separator, new Map([...chosen].map(([j, form]) => [j, keepingMissing(FORMS[form], missing)]))) : undefined;
}

/**
 * `form`, except that a field that is one of the missing tokens passes as written where the form would
 * rewrite it: a dash configured as missing stays missing rather than becoming Excel's accounting zero.
 */
function keepingMissing(form: NumberForm, missing: ReadonlySet<string>): NumberForm {
  const rewritten = new Set([...missing].filter((t) => t !== "" && form.plain([...Buffer.from(t, "utf8")]) !== undefined));
  if (rewritten.size === 0) return form;
  return { ...form, plain: (field) => (rewritten.has(Buffer.from(field).toString("utf8").trim()) ? undefined : form.plain(field)) };
}

/** The columns of each form, by name, in the forms' order. */
function formsByName(chosen: Map<number, NumberFormName> | "all" | "all grouped", columns: readonly string[]): { form: NumberFormName; columns: string[] }[] {
  if (chosen === "all") return [{ form: "decimal comma", columns: [...columns] }];
  if (chosen === "all grouped") return [{ form: "grouped thousands", columns: [...columns] }];
  return (Object.keys(FORMS) as NumberFormName[])
    .map((form) => ({ form, columns: columns.filter((_, j) => chosen.get(j) === form) }))
    .filter((f) => f.columns.length > 0);
}

/**
 * What {@link normaliseNames} did to a header, for the run's warnings: a column without a name (pandas
 * writes its index so) and names told apart by a suffix — the processed file and the model use the new names.
 */
export function headerNameNotes(raw: readonly string[] | undefined, columns: readonly string[]): string[] {
  if (!raw) return [];
  const blank: number[] = [];
  const renamed: string[] = [];
  raw.forEach((name, j) => {
    if (name.trim() === "") blank.push(j);
    else if (name.trim() !== columns[j]) renamed.push(`${name.trim()} (column ${j + 1}) as ${columns[j]}`);
  });
  const notes: string[] = [];
  if (blank.length)
    notes.push(
      `${blank.length === 1 ? "column" : "columns"} ${blank.map((j) => j + 1).join(", ")} ${blank.length === 1 ? "has" : "have"} no name in the header (pandas writes its index so): read as ${blank.map((j) => columns[j]).join(", ")}`,
    );
  if (renamed.length) notes.push(`the header names several columns alike: read ${renamed.join(", ")} — rename them in the file to choose the names`);
  return notes;
}

/** Trims names, names blank ones after their position and makes duplicates unique (`name_2`). */
export function normaliseNames(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((name, i) => {
    let base = name.trim();
    if (base === "") base = `column_${i + 1}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}_${count + 1}`;
  });
}
