// Writes Adult × `copies` with every row distinct: copy k adds k·10,000,000 to fnlwgt, so no row
// repeats another (the shape of ordinary data, where the repeated-row machinery buys nothing).
// usage: node bench/etl-distinct.mjs OUT.csv [COPIES=30] → one JSON line
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DATASETS, printResult } from "./lib.mjs";

const [out, copiesArg] = process.argv.slice(2);
const copies = Number(copiesArg ?? 30);
const lines = readFileSync(join(DATASETS, "adult/adult-train.csv"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "");
const parts = [];
let rows = 0;
for (let k = 0; k < copies; k++) {
  const offset = k * 10_000_000;
  parts.push(
    lines
      .map((l) => {
        const f = l.split(",");
        f[2] = ` ${Number(f[2]) + offset}`;
        return f.join(",");
      })
      .join("\n"),
  );
  rows += lines.length;
}
writeFileSync(out, `${parts.join("\n")}\n`);
printResult({ rows, bytes: Buffer.byteLength(parts.join("\n")) + 1 });
