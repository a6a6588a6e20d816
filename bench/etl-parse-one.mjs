// One CSV parser over one file, in its own process (for a clean peak RSS): counts records and fields.
// usage: node bench/etl-parse-one.mjs <pipe-tokenizer|pipe-readcsv|udsv|papaparse|csv-parse> FILE → one JSON line
import { createReadStream } from "node:fs";
import { openSource, readCsv } from "../packages/etl/dist/index.js";
import { CsvTokenizer } from "../packages/etl/dist/internal.js";
import { printResult } from "./lib.mjs";

const [name, file] = process.argv.slice(2);
let records = 0;
let fields = 0;
const t0 = performance.now();
if (name === "pipe-tokenizer") {
  const tokenizer = new CsvTokenizer({ delimiter: "," });
  const visit = (view) => {
    records++;
    fields += view.count;
  };
  for await (const chunk of openSource(file).open()) tokenizer.push(chunk, visit);
  tokenizer.end(visit);
} else if (name === "pipe-readcsv") {
  const csv = await readCsv(openSource(file), { delimiter: ",", header: false });
  for await (const batch of csv.batches) {
    records += batch.length;
    for (const r of batch) fields += r.fields.length;
  }
} else if (name === "udsv") {
  const { inferSchema, initParser } = await import("udsv");
  let parser = null;
  // uDSV hands its callback one row at a time.
  const onRows = (row) => {
    records++;
    fields += row.length;
  };
  const decoder = new TextDecoder();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = decoder.decode(chunk, { stream: true });
    parser ??= initParser(inferSchema(text, { header: () => [] }));
    parser.chunk(text, parser.stringArrs, onRows);
  }
  parser.end();
} else if (name === "papaparse") {
  const { default: Papa } = await import("papaparse");
  await new Promise((resolve, reject) => {
    Papa.parse(createReadStream(file, { highWaterMark: 1 << 20, encoding: "utf8" }), {
      chunk: (results) => {
        records += results.data.length;
        for (const r of results.data) fields += r.length;
      },
      complete: resolve,
      error: reject,
    });
  });
} else if (name === "csv-parse") {
  const { parse } = await import("csv-parse");
  const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse({ relax_column_count: true }));
  for await (const r of parser) {
    records++;
    fields += r.length;
  }
} else {
  throw new Error(`unknown parser ${name}`);
}
const seconds = (performance.now() - t0) / 1000;
printResult({ name, seconds, records, fields, peak_rss_mb: process.resourceUsage().maxRSS / 1024 });
