// Writes a synthetic CSV of about `bytes` bytes with a fixed seed, shaped like a wide ML table: an id,
// 24 integer features, 24 decimal features (one with millions of distinct values), 8 categories (some
// quoted, with commas, some with stray spaces), "NA" gaps, a date and a yes/no target; 1 row in 500
// repeats an earlier one.
// usage: node bench/etl-generate.mjs OUT.csv BYTES → one JSON line
import { createWriteStream } from "node:fs";
import { printResult, seededRandom } from "./lib.mjs";

const [out, bytesArg] = process.argv.slice(2);
const target = Number(bytesArg);
const cities = ["Lisbon", "Porto", "Oslo", " Lyon", '"Washington, D.C."', "São Paulo", "Zürich", "Austin", "Kyoto", '"Paris, TX"'];
const levels = ["a", "b", "c", "d", "e", "f"];
const next = seededRandom(0x2545f491);
const header = ["id"];
for (let k = 0; k < 24; k++) header.push(`n${k}`);
for (let k = 0; k < 24; k++) header.push(`x${k}`);
header.push("city");
for (let k = 0; k < 7; k++) header.push(`c${k}`);
header.push("signup", "churn");
const stream = createWriteStream(out, { highWaterMark: 1 << 22 });
let written = 0;
let rows = 0;
let last = "";
const write = async (text) => {
  written += Buffer.byteLength(text);
  if (!stream.write(text)) await new Promise((resolve) => stream.once("drain", resolve));
};
await write(`${header.join(",")}\n`);
while (written < target) {
  let chunk = "";
  for (let r = 0; r < 5000; r++) {
    rows++;
    if (rows % 500 === 0 && last !== "") {
      chunk += `${rows}${last}`;
      continue;
    }
    let row = "";
    for (let k = 0; k < 24; k++) row += `,${Math.floor(next() * (k < 12 ? 100 : 5000))}`;
    row += `,${(next() * 200_000).toFixed(2)}`;
    for (let k = 1; k < 24; k++) row += next() < 0.02 ? ",NA" : `,${(next() * 10).toFixed(k % 3 === 0 ? 2 : 3)}`;
    row += `,${cities[Math.floor(next() * cities.length)]}`;
    for (let k = 0; k < 7; k++) row += `,${levels[Math.floor(next() * (2 + k / 2))]}`;
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    row += `,${2000 + Math.floor(next() * 25)}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day},${next() < 0.3 ? "yes" : "no"}\n`;
    last = row;
    chunk += `${rows}${row}`;
  }
  await write(chunk);
}
await new Promise((resolve) => stream.end(resolve));
printResult({ rows, bytes: written });
