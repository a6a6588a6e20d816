// DuckDB side of `pnpm bench:etl`: read_csv + DISTINCT + COPY to CSV through @duckdb/node-api (a dev
// dependency of the bench), on all cores DuckDB sees. Missing tokens become NULL as for pandas.
// usage: node bench/etl-duckdb.mjs INPUT.csv OUTPUT.csv HEADER(0|1) NA_TOKENS(comma-separated) → one JSON line
import { DuckDBInstance } from "@duckdb/node-api";
import { printResult } from "./lib.mjs";

const [input, output, header, na] = process.argv.slice(2);
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const t0 = performance.now();
const db = await DuckDBInstance.create(":memory:");
const c = await db.connect();
const source = `read_csv(${quote(input)}, header = ${header === "1"}, nullstr = [${na.split(",").map(quote).join(", ")}])`;
const rowsIn = Number((await c.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRows()[0][0]);
// COPY reports the rows it wrote.
const copied = await c.runAndReadAll(`COPY (SELECT DISTINCT * FROM ${source}) TO ${quote(output)} (HEADER, DELIMITER ',')`);
const rowsOut = Number(copied.getRows()[0]?.[0] ?? Number.NaN);
printResult({ seconds: (performance.now() - t0) / 1000, rows_in: rowsIn, rows_out: rowsOut });
