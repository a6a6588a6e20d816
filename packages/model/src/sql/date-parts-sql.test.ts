import { type Engine, openClickHouse, openDuckDb } from "@pipe/etl";
import { describe, expect, it } from "vitest";
import { clickhouseUrl, seededRandom } from "../../../../test-support/index.js";
import { type DatePart, datePart, isoTime } from "../preprocess/date-parts.js";
import { datePartsSql } from "./date-parts-sql.js";
import { MODEL_SQL_DIALECTS } from "./dialects.js";

const PARTS: DatePart[] = ["days", "month", "weekday", "hour"];

// The forms the ETL writes and isoTime reads, and the texts it refuses.
const EDGES = [
  "2024-12-31",
  "2024-02-29",
  "2023-02-29",
  "2023-02-30",
  "2024-04-31",
  "2024-13-01",
  "2024-00-10",
  "2024-12-00",
  "1970-01-01",
  "1969-12-31 23:59:59",
  "1900-03-01",
  "1600-02-29",
  "1700-02-29",
  "0099-06-01",
  "0100-06-01",
  "9999-12-31 23:59:59.999",
  "2024-12-31 08:30",
  "2024-12-31T08:30",
  "2024-12-31 08:30:15",
  "2024-12-31 08:30:15.5",
  "2024-12-31 08:30:15.123456",
  "2024-12-31 08:30:15.9996",
  "2024-12-31 24:00",
  "2024-12-31 24:00:00",
  "2024-12-31 24:00:01",
  "2024-12-31 24:30",
  "2024-12-31 08:60",
  "2024-12-31 25:00",
  "2024-12-31 08:30:60",
  "2025-01-01 00:30+02:00",
  "2025-01-01T00:30:00Z",
  "2024-12-31 23:45-0530",
  "2024-03-01T01:00:00+01:00",
  "2024-12-31Z",
  "2024-12-31+05",
  "2024-12-31-31",
  "2024-06-01 12:00:00+00",
  "2024-06-01 12:00:00-03",
  "2024-06-01 12:00:00+5",
  "  2024-12-31 08:30  ",
  "2024-12-31x",
  "24-12-31",
  "2024/12/31",
  "",
  "not a date",
];

/** Random instants over four centuries, written in the ETL's forms, with and without times and zones. */
function randomTexts(n: number): string[] {
  const random = seededRandom(41);
  const two = (k: number) => String(k).padStart(2, "0");
  return Array.from({ length: n }, () => {
    const ms = Math.floor((random() - 0.6) * 2 ** 44);
    const iso = new Date(ms).toISOString();
    const form = Math.floor(random() * 5);
    if (form === 0) return iso.slice(0, 10);
    if (form === 1) return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    if (form === 2) return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    if (form === 3) return iso;
    const offset = Math.floor(random() * 28) - 14;
    return `${iso.slice(0, 19)}${offset < 0 ? "-" : "+"}${two(Math.abs(offset))}:${random() < 0.5 ? "00" : "30"}`;
  });
}

async function partsInEngine(engine: Engine, texts: readonly string[]): Promise<(number | null)[][]> {
  const d = MODEL_SQL_DIALECTS[engine.dialect.name];
  const table = `pipe_date_parts_${engine.dialect.name}`;
  const appender = await engine.createTextTable(table, [
    { name: "k", type: "integer" },
    { name: "x", type: "text" },
  ]);
  for (const [k, t] of texts.entries()) appender.append([k, t]);
  await appender.close();
  try {
    const sql = datePartsSql(d, "x", "pipe_d");
    const list = ["k", ...PARTS.map((p) => `${d.float64(sql.part(p))} AS ${p}`)].join(", ");
    const rows = await engine.rows(`SELECT * FROM (${d.selectDerived(false, list, table, sql.layers)}) AS pipe_parts ORDER BY k`);
    return rows.map((r) => PARTS.map((p) => (r[p] === null ? null : Number(r[p]))));
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

describe("datePartsSql: an ISO date's parts in the engine, exactly as pipe's scorer reads them", () => {
  for (const name of ["duckdb", "clickhouse"] as const) {
    it(`${name}: the same day count, month, weekday and hour as isoTime and datePart, and no parts where isoTime gives NaN`, async () => {
      const engine = name === "duckdb" ? await openDuckDb() : await openClickHouse({ url: clickhouseUrl() });
      try {
        const texts = [...EDGES, ...randomTexts(2000)];
        const got = await partsInEngine(engine, texts);
        expect(got).toHaveLength(texts.length);
        let dates = 0;
        texts.forEach((text, k) => {
          const ms = isoTime(text);
          const want = PARTS.map((p) => (Number.isNaN(ms) ? null : datePart(ms, p)));
          if (!Number.isNaN(ms)) dates++;
          expect(got[k], JSON.stringify(text)).toEqual(want);
        });
        // Most texts are dates; the edge cases hold both kinds.
        expect(dates).toBeGreaterThan(2000);
      } finally {
        await engine.close();
      }
    }, 120_000);
  }
});
