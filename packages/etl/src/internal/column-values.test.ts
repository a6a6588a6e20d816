import { describe, expect, it } from "vitest";
import { makeDecide } from "../clean/clean.js";
import { resolveOptions } from "../options.js";
import { makeFastCheck } from "../rules/index.js";
import { emptyCellCounts, makeCellNormaliser } from "../rules/normalise.js";
import type { ColumnSchema } from "../schema/types.js";
import { ColumnValues } from "./column-values.js";
import { hashBytes, hashBytes2 } from "./tokenizer.js";

// A column's cells are decided through its dictionary (one decision per distinct value) or, for plain
// numbers in a column with too many values, straight from their bytes. Both must give the same
// decisions, output bytes, row-hash keys, step counts and profile: run the same cells through a
// column whose dictionary holds them all and one whose dictionary overflows at once.

/** Numbers as files write them: plain, padded (Adult's " 77516"), signed, decimal, doubles in full (17 digits, as pandas writes them); and what is not one. */
function cells(count: number, spread: number): string[] {
  const out: string[] = [];
  let x = 0x2545f491;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const odd = ["", " ", "?", " NA ", "abc", "1e3", "\u00a012", " 12 x", "+7", "-0", "007", "\t4.5 ", "1.", ".5", "-", "."];
  for (let i = 0; i < count; i++) {
    const r = next();
    const n = Math.floor(next() * spread) - 200;
    if (r < 0.1) out.push(odd[Math.floor(next() * odd.length)] as string);
    else if (r < 0.4) out.push(` ${n}`);
    else if (r < 0.5) out.push(`  ${(n / 8).toFixed(3)}\t`);
    else if (r < 0.55) out.push(String(n / 7));
    else if (r < 0.6) out.push(` ${(n / 3).toPrecision(17)}`);
    else if (r < 0.7) out.push((n / 4).toString());
    else out.push(String(n));
  }
  return out;
}

function run(texts: string[], maxEntries: number, rules: Record<string, unknown>) {
  const opts = resolveOptions({ target: "y", rules: { x: rules } });
  const normalise = makeCellNormaliser(opts.missingTokens, opts.rules.x);
  const values = new ColumnValues("x", normalise, "utf8", maxEntries, false, 3, true);
  const bytes = Buffer.from(texts.join(""), "utf8");
  const spans: [number, number][] = [];
  let at = 0;
  for (const t of texts) {
    const length = Buffer.byteLength(t);
    spans.push([at, at + length]);
    at += length;
  }
  spans.forEach(([s, e], i) => {
    values.count(bytes, s, e, hashBytes(bytes, s, e), hashBytes2(bytes, s, e), i + 1);
  });
  values.idsNoLongerNeeded();
  const profile = values.profile();
  const schema: ColumnSchema = { name: "x", type: "float", role: "feature", missing: 0, unique: 0, uniqueCapped: false };
  values.prepare(makeDecide(schema, opts, normalise, true, false, undefined), makeFastCheck(schema, opts.rules.x, false));
  const decided = spans.map(([s, e]) => {
    const slot = values.slot(bytes, s, e, hashBytes(bytes, s, e), hashBytes2(bytes, s, e));
    const out = values.out.bufferOf(slot).toString("utf8", values.out.start[slot], (values.out.start[slot] as number) + (values.out.length[slot] as number));
    const raw = values.raw.bufferOf(slot).toString("utf8", values.raw.start[slot], (values.raw.start[slot] as number) + (values.raw.length[slot] as number));
    const cell = { flags: values.flags[slot], hash1: values.hash1[slot], hash2: values.hash2[slot], out, raw };
    if (!((values.flags[slot] as number) & 2)) values.keep(slot);
    return cell;
  });
  const counts = emptyCellCounts();
  values.addStepCounts(counts);
  const kept = values.keptValues();
  const summary = (p: typeof profile) => ({
    nonMissing: p.nonMissing,
    missing: p.missing,
    numeric: p.numeric,
    integer: p.integer,
    min: p.min,
    max: p.max,
    unique: p.unique,
    capped: p.distinctCapped,
    // Which thousand values a capped profile counts depends on the order it met them: compared when all are counted.
    counts: p.distinctCapped ? undefined : [...p.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  });
  return { overflowed: values.dictionary.overflowed, profile: summary(profile), allDistinct: profile.allDistinct, decided, counts, kept: summary(kept) };
}

describe("ColumnValues: plain numbers read from bytes decide as the dictionary does", () => {
  for (const [name, rules, spread, lead] of [
    ["no rules", {}, 1500],
    ["no rules, a few hundred values", {}, 60],
    ["a range", { min: 0, max: 900 }, 1500],
    ["a range, a few hundred values", { min: 0, max: 30 }, 60],
    ["required, type float", { required: true, type: "float" }, 1500],
    // The dictionary then ends on plain numbers: the clean pass decides its values only as cells need them.
    ["plain numbers first", {}, 1500, 32],
  ] as const) {
    it(`with ${name}`, () => {
      const texts = [...Array.from({ length: lead ?? 0 }, (_, i) => String(1000 + i * 7)), ...cells(3000, spread)];
      const all = run(texts, 1 << 16, rules);
      const overflowing = run(texts, 8, rules);
      expect(all.overflowed).toBe(false);
      expect(overflowing.overflowed).toBe(true);
      expect(overflowing.profile).toEqual(all.profile);
      expect(overflowing.allDistinct).toBe(all.allDistinct);
      expect(overflowing.counts).toEqual(all.counts);
      expect(overflowing.kept).toEqual(all.kept);
      overflowing.decided.forEach((cell, i) => {
        expect(cell, `cell ${i}: ${JSON.stringify(texts[i])}`).toEqual(all.decided[i]);
      });
      expect(all.counts.trimmed).toBeGreaterThan(500);
      expect(all.profile.capped).toBe(spread > 100);
    });
  }
});
