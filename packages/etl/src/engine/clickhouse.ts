import { createReadStream } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { EngineError } from "../errors.js";
import { JS_WHITESPACE, type SqlDialect } from "./dialect.js";
import type { Engine, SqlValue, TableAppender } from "./engine.js";

const quote = (value: string) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
const WHITESPACE_CLASS = `[${JS_WHITESPACE}]`;

/**
 * Only the `group`-th capture group of `pattern` kept as one (the others made non-capturing):
 * ClickHouse's `extract` returns the first group.
 */
export function onlyGroup(pattern: string, group: number): string {
  let seen = 0;
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      out += pattern.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "(" && pattern[i + 1] !== "?") {
      seen++;
      out += seen === group ? "(" : "(?:";
      continue;
    }
    out += c;
  }
  return out;
}

/** ClickHouse (18.16 and later): every function here exists in Debian's old server too. */
export const clickhouseDialect: SqlDialect = {
  name: "clickhouse",
  ident: (name) => `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``,
  text: quote,
  double: (value) => `toFloat64(${quote(String(value))})`,
  trim: (expr) => `replaceRegexpAll(${expr}, ${quote(`^${WHITESPACE_CLASS}+|${WHITESPACE_CLASS}+$`)}, '')`,
  fullMatch: (expr, pattern, caseless) => `match(${expr}, ${quote(`${caseless ? "(?i)" : ""}^(?:${pattern})$`)})`,
  inList: (expr, values) => `${expr} IN (${values.join(", ")})`,
  matches: (expr, pattern) => `match(${expr}, ${quote(pattern)})`,
  replace: (expr, from, to) => `replaceAll(${expr}, ${from}, ${to})`,
  extract: (expr, pattern, group) => `extract(${expr}, ${quote(onlyGroup(pattern, group))})`,
  // ClickHouse reads no leading "+": it is dropped first.
  toDouble: (expr) => `toFloat64OrNull(replaceRegexpOne(${expr}, '^[+]', ''))`,
  isFinite: (expr) => `coalesce(isFinite(${expr}), 0)`,
  // ClickHouse's concat takes two arguments at least (a processed file of one column has one part).
  concat: (parts) => (parts.length === 1 ? (parts[0] as string) : `concat(${parts.join(", ")})`),
  integerText: (expr) => `toString(${expr})`,
  intDiv: (a, b) => `intDiv(${a}, ${b})`,
  joinUsing: (left, right, key) => `SELECT * FROM (${left}) ANY LEFT JOIN (${right}) USING ${key}`,
  rowHash: (exprs) => `cityHash64(${exprs.join(", ")})`,
  integerOrZero: (expr) => `toInt64OrZero(${expr})`,
  substring: (expr, start, length) => `substring(${expr}, ${start}, ${length})`,
  replaceTable: (name, select) => [`DROP TABLE IF EXISTS ${name}`, `CREATE TABLE ${name} ENGINE = Log AS ${select}`],
  // A temporary table of ClickHouse lives in memory (engine Memory) and on one server: a Log table instead.
  replaceWorkTable: (name, select) => [`DROP TABLE IF EXISTS ${name}`, `CREATE TABLE ${name} ENGINE = Log AS ${select}`],
  lower: (expr) => `lowerUTF8(${expr})`,
  upper: (expr) => `upperUTF8(${expr})`,
  length: (expr) => `lengthUTF8(${expr})`,
  countIf: (condition) => `countIf(${condition})`,
  argMinIf: (value, key, condition) => `argMinIf(${value}, ${key}, ${condition})`,
  minIf: (expr, condition) => `minIf(${expr}, ${condition})`,
  maxIf: (expr, condition) => `maxIf(${expr}, ${condition})`,
  bigint: "Int64",
  varchar: "String",
};

/** Where a ClickHouse server is: `clickhouse://user:password@host:8123/database` (http), or `clickhouses://` (https). */
export interface ClickHouseOptions {
  url: string;
  /** Rows per batch of a streamed result (at most; a wide result's batches hold fewer, see STREAM_BATCH_CELLS). */
  batchRows?: number;
}

/**
 * Cells per batch of a streamed result: each is a string until the batch is handed on, so a wide result
 * comes in fewer rows at a time (`pipe predict` of 250,000 rows × 61 columns held ~140 MB of them in
 * batches of 8,192 rows).
 */
const STREAM_BATCH_CELLS = 1 << 17;

/** TabSeparated's escapes undone; `\N` is NULL. */
function unescapeTsv(field: string): string | null {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(.)/g, (_, c: string) => ({ t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", "0": "\0" })[c] ?? c);
}

const escapeTsv = (value: string) => value.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c] as string);

/** A response of the server: its status, and its body as chunks or as text. */
interface Reply {
  ok: boolean;
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
}

/**
 * POSTs `body` to `url` with Node's own HTTP client: fetch (undici) gives up on a response whose
 * headers take over 5 minutes, and a statement over 10 M rows (a table built, a level's histograms)
 * can run longer before ClickHouse answers; a statement runs as long as the server lets it.
 */
function send(url: string, headers: Record<string, string>, body: string | Readable): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith("https:") ? httpsRequest : httpRequest)(url, { method: "POST", headers }, (response) => {
      const status = response.statusCode ?? 0;
      resolve({
        ok: status >= 200 && status < 300,
        body: response,
        text: async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of response) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks).toString("utf8");
        },
      });
    });
    request.on("error", reject);
    if (typeof body === "string") request.end(body);
    else {
      body.on("error", (error) => request.destroy(error));
      body.pipe(request);
    }
  });
}

/**
 * A ClickHouse server over its HTTP interface (no client library: Node's own HTTP client, TabSeparated results
 * streamed line by line). Statements run on the node the URL names; a Distributed table spreads
 * reads over the shards behind it.
 *
 * @example
 * const engine = await openClickHouse({ url: "clickhouse://default@127.0.0.1:8123/sales" });
 * const input = { relation: "sales.customers", name: "customers", line: "rowNumberInAllBlocks() + 1" };
 * await runEtlInEngine(engine, input, { target: "churned" }, { processedTable: "sales.customers_clean", rejected: "out/rejected.csv" });
 */
export async function openClickHouse(options: ClickHouseOptions): Promise<Engine> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new EngineError(`${options.url}: not a ClickHouse URL; write clickhouse://user:password@host:8123/database`);
  }
  if (url.protocol !== "clickhouse:" && url.protocol !== "clickhouses:") throw new EngineError(`${options.url}: a ClickHouse URL starts with clickhouse://`);
  const endpoint = `${url.protocol === "clickhouses:" ? "https" : "http"}://${url.hostname}:${url.port || "8123"}/`;
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "default";
  const headers: Record<string, string> = { "X-ClickHouse-User": decodeURIComponent(url.username || "default") };
  if (url.password) headers["X-ClickHouse-Key"] = decodeURIComponent(url.password);
  const batchRows = options.batchRows ?? 8192;
  const described = `clickhouse (${endpoint}, database ${database})`;

  // Sorts and groupings past half the server's memory limit for a query go to disk (set below, once the
  // limit is known): the processed table written back in line order sorted 10 M rows of 21 columns in
  // memory and passed a 4 GB limit.
  let spill: Record<string, string> = {};
  const post = async (sql: string, body?: string | Readable, settings: Record<string, string> = {}, retried = false): Promise<Reply> => {
    const params = new URLSearchParams({ database, ...spill, ...settings });
    if (body !== undefined) params.set("query", sql);
    let response: Reply;
    try {
      response = await send(`${endpoint}?${params}`, headers, body ?? sql);
    } catch (error) {
      // A kept-alive connection the server closed meanwhile: a read is safe to send once more.
      if (body === undefined && !retried && /^\s*(SELECT|DESCRIBE|SHOW)\b/i.test(sql)) return post(sql, body, settings, true);
      throw new EngineError(
        `cannot reach ClickHouse at ${endpoint}: ${(error as Error).message}; is the server running (scripts/clickhouse/cluster.mjs start)?`,
      );
    }
    if (!response.ok) {
      const text = (await response.text()).trim().split("\n")[0] ?? "";
      throw new EngineError(`ClickHouse refused a statement: ${text} (in: ${sql.length > 300 ? `${sql.slice(0, 300)}...` : sql})`);
    }
    return response;
  };

  let received = 0;
  async function* lines(response: Reply): AsyncGenerator<string> {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of response.body) {
      received += chunk.byteLength;
      rest += decoder.decode(chunk, { stream: true });
      let at = rest.indexOf("\n");
      let from = 0;
      while (at >= 0) {
        yield rest.slice(from, at);
        from = at + 1;
        at = rest.indexOf("\n", from);
      }
      rest = rest.slice(from);
    }
    rest += decoder.decode();
    if (rest) yield rest;
  }

  const engine: Engine = {
    dialect: clickhouseDialect,
    description: described,
    async run(sql) {
      received += Buffer.byteLength(await (await post(sql)).text());
    },
    async rows(sql) {
      const response = await post(`${sql} FORMAT TabSeparatedWithNames`);
      let names: string[] | undefined;
      const out: Record<string, SqlValue>[] = [];
      for await (const line of lines(response)) {
        const fields = line.split("\t");
        if (!names) {
          names = fields.map((f) => unescapeTsv(f) ?? "");
          continue;
        }
        out.push(Object.fromEntries(names.map((n, k) => [n, unescapeTsv(fields[k] ?? "")])));
      }
      return out;
    },
    async *stream(sql) {
      const response = await post(`${sql} FORMAT TabSeparated`);
      let batch: SqlValue[][] = [];
      let rows = 0;
      for await (const line of lines(response)) {
        const fields = line.split("\t");
        rows ||= Math.max(1, Math.min(batchRows, Math.floor(STREAM_BATCH_CELLS / fields.length)));
        batch.push(fields.map(unescapeTsv));
        if (batch.length >= rows) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    async createTextTable(table, columns) {
      const d = clickhouseDialect;
      await engine.run(`DROP TABLE IF EXISTS ${d.ident(table)}`);
      await engine.run(
        `CREATE TABLE ${d.ident(table)} (${columns.map((c) => `${d.ident(c.name)} ${c.type === "integer" ? "Int64" : "String"}`).join(", ")}) ENGINE = Log`,
      );
      let text = "";
      const sink: TableAppender = {
        append(row) {
          text += `${row.map((v) => escapeTsv(String(v))).join("\t")}\n`;
        },
        async flush() {
          if (!text) return;
          const body = text;
          text = "";
          await (await post(`INSERT INTO ${d.ident(table)} FORMAT TabSeparated`, body)).text();
        },
        async close() {
          await sink.flush();
        },
      };
      return sink;
    },
    async loadCsvFile(table, columns, path) {
      const d = clickhouseDialect;
      await engine.run(`DROP TABLE IF EXISTS ${d.ident(table)}`);
      await engine.run(
        `CREATE TABLE ${d.ident(table)} (${columns.map((c) => `${d.ident(c.name)} ${c.type === "integer" ? "Int64" : "String"}`).join(", ")}) ENGINE = Log`,
      );
      const body = createReadStream(path);
      // Single quotes are text, not quoting, in the CSV pipe writes.
      await (await post(`INSERT INTO ${d.ident(table)} FORMAT CSV`, body, { format_csv_allow_single_quotes: "0" })).text();
    },
    async columnsOf(relation) {
      const response = await post(`SELECT * FROM ${relation} LIMIT 0 FORMAT TabSeparatedWithNames`);
      for await (const line of lines(response)) return line.split("\t").map((f) => unescapeTsv(f) ?? "");
      return [];
    },
    bytesReceived: () => received,
    async close() {},
  };
  // Also the check that the server answers; a user who may not read system.settings gets no spill settings.
  try {
    const [limit] = await engine.rows("SELECT value FROM system.settings WHERE name = 'max_memory_usage'");
    spill = spillSettings(Number(limit?.value ?? 0));
  } catch (error) {
    if (!(error instanceof EngineError) || !error.message.startsWith("ClickHouse refused")) throw error;
    await engine.rows("SELECT 1 AS ok");
  }
  return engine;
}

/**
 * The settings that send a query's sorting and grouping to disk past half of `maxMemoryUsage` (the
 * server's limit for one query; 0 when it has none, and then nothing is set).
 */
export function spillSettings(maxMemoryUsage: number): Record<string, string> {
  if (!(maxMemoryUsage > 0)) return {};
  const half = String(Math.floor(maxMemoryUsage / 2));
  return { max_bytes_before_external_sort: half, max_bytes_before_external_group_by: half };
}
