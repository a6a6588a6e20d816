import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../test-support/index.js";
import { plainNumber } from "./cell-outcomes.js";

const read = (text: string) => {
  const bytes = Buffer.from(`x${text}y`, "utf8");
  return plainNumber(bytes, 1, bytes.length - 1);
};

describe("plainNumber", () => {
  it("reads a plain decimal number exactly as Number(text.trim()) does, and nothing else", () => {
    const plain = [
      "0",
      "-0",
      "+0",
      "7",
      "007",
      "77516",
      " 77516 ",
      "\t-3.25\t",
      "0.1",
      ".5",
      "5.",
      "-.5",
      "123456789012345",
      "0.00000000000001",
      "99999.99999",
      "3.14159265358979",
      // A double written in full, and other long plain numbers: read by Number from their ASCII text.
      "1234567890123456",
      "0.30000000000000004",
      " -7.389056098930651 ",
      "0.000000000000000000001",
      "1.00000000000000000000001",
      "123456789012345678901234567890",
    ];
    for (const t of plain) {
      expect(Number.isNaN(read(t))).toBe(false);
      expect(Object.is(read(t), Number(t.trim()))).toBe(true);
    }
    // Left to the text: what a plain number is not, or what needs more than the fast path.
    for (const t of [
      "",
      " ",
      ".",
      "-",
      "+",
      "1e5",
      "1E5",
      "0x10",
      "1,000",
      "1 000",
      "12a",
      "--1",
      "1..2",
      "1.2.3",
      "Infinity",
      "NaN",
      "1".repeat(41),
      "\u00a012",
      "12\r",
    ])
      expect(read(t)).toBeNaN();
  });

  it("agrees with Number on random plain numbers of up to 38 digits", () => {
    const random = seededRandom(5);
    for (let i = 0; i < 40000; i++) {
      const digits = 1 + Math.floor(random() * (i % 2 ? 15 : 38));
      let text = "";
      for (let d = 0; d < digits; d++) text += Math.floor(random() * 10);
      const point = Math.floor(random() * (digits + 1));
      if (random() < 0.7) text = `${text.slice(0, point)}.${text.slice(point)}`;
      if (random() < 0.3) text = `-${text}`;
      const v = read(text);
      if (text === "." || text === "-.") expect(v).toBeNaN();
      else expect(Object.is(v, Number(text))).toBe(true);
    }
  });
});
