import { describe, expect, it } from "vitest";
import { Random } from "../random.js";
import { decodeBase64, decodedLength, separateStreams } from "./packed-streams.js";

const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

describe("decodeBase64", () => {
  it("decodes what Buffer encodes, at every length and padding", () => {
    const rng = new Random(7);
    for (let n = 0; n < 200; n++) {
      const data = Uint8Array.from({ length: n }, () => rng.int(256));
      const text = bytesOf(Buffer.from(data).toString("base64"));
      expect(decodedLength(text)).toBe(n);
      const out = new Uint8Array(n);
      expect(decodeBase64(text, out)).toBe(true);
      expect([...out]).toEqual([...data]);
    }
  });

  it("refuses text that is not base64, or of another length than the room given", () => {
    expect(decodeBase64(bytesOf("QUJD"), new Uint8Array(3))).toBe(true);
    expect(decodeBase64(bytesOf("QU\\D"), new Uint8Array(3))).toBe(false);
    expect(decodeBase64(bytesOf("QU-D"), new Uint8Array(3))).toBe(false);
    expect(decodeBase64(bytesOf("QUJ"), new Uint8Array(2))).toBe(false);
    expect(decodeBase64(bytesOf("QUI="), new Uint8Array(3))).toBe(false);
    expect(decodeBase64(bytesOf("Q!=="), new Uint8Array(1))).toBe(false);
  });
});

describe("separateStreams", () => {
  const stream = (seed: number) => Buffer.from(Uint8Array.from({ length: 3000 }, (_, i) => (i * seed) % 251)).toString("base64");

  it("takes the long streams of forest.packed out of the document, leaving the rest to parse the same", () => {
    const doc = {
      target: "y",
      preprocessing: { columns: ["split_features", 'a "quoted" \\ name'] },
      forest: { params: { n: 1 }, packed: { split_features: stream(3), leaf_index: stream(5), code_bytes: 1, cuts: [stream(7)], node_counts: "AQAAAA==" } },
      drift: [{ split_features: stream(11) }],
    };
    const { text, streams } = separateStreams(bytesOf(JSON.stringify(doc)));
    expect([...streams.keys()].sort()).toEqual(["leaf_index", "split_features"]);
    expect(Buffer.from(streams.get("split_features") as Uint8Array).toString("latin1")).toBe(doc.forest.packed.split_features);
    expect(Buffer.from(streams.get("leaf_index") as Uint8Array).toString("latin1")).toBe(doc.forest.packed.leaf_index);
    const parsed = JSON.parse(text);
    expect(parsed.forest.packed.split_features).toBe("");
    expect(parsed.forest.packed.leaf_index).toBe("");
    // Everything else as it was: a stream-named key elsewhere, short streams, the cuts (an array), other strings.
    parsed.forest.packed.split_features = doc.forest.packed.split_features;
    parsed.forest.packed.leaf_index = doc.forest.packed.leaf_index;
    expect(parsed).toEqual(doc);
  });

  it("does not take a stream-named value nested elsewhere, or inside a string that looks like one", () => {
    const inner = JSON.stringify({ forest: { packed: { split_features: stream(3) } } });
    const doc = { note: inner, other: { forest: { packed: { split_features: stream(5) } } } };
    const { text, streams } = separateStreams(bytesOf(JSON.stringify(doc)));
    expect(streams.size).toBe(0);
    expect(JSON.parse(text)).toEqual(doc);
  });

  it("returns a document it cannot follow whole, for JSON.parse to judge", () => {
    for (const broken of ['{"forest":{"packed":{"split_features":"abc', '{"a":1}}', "[1,2"]) {
      const { text, streams } = separateStreams(bytesOf(broken));
      expect(text).toBe(broken);
      expect(streams.size).toBe(0);
    }
  });
});
