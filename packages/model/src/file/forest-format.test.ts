import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ModelFileError } from "../errors.js";
import { farChain, farChainRows } from "../forest/far-chain.test-util.js";
import { predictFlat, RandomForestClassifier } from "../forest/forest.js";
import { type PackedForest, packForest, unpackForest } from "../forest/packed.js";
import { emptyFlatTree, type FlatTree } from "../forest/tree.js";
import { PipeModel } from "../model.js";
import { Random } from "../random.js";
import { decodeForest, encodeForest, type StoredForest } from "./forest-format.js";

function data(n: number, seed: number) {
  const r = new Random(seed);
  const X = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    (X[0] as Float64Array)[i] = r.next() * 10;
    (X[1] as Float64Array)[i] = r.int(4);
    (X[2] as Float64Array)[i] = r.next() < 0.2 ? -1 : r.next();
    y[i] = r.next() < ((X[0] as Float64Array)[i] as number) / 10 ? 1 : 0;
  }
  return { X, y };
}

/** A comb: split k sends values ≤ k left to leaf k and the rest on; `leaves` distinct leaf values. */
function comb(splits: number, features: number): FlatTree {
  const size = 2 * splits + 1;
  const t = emptyFlatTree(size);
  for (let k = 0; k < splits; k++) {
    const at = 2 * k;
    t.feature[at] = k % features;
    t.threshold[at] = k + 0.5;
    t.left[at] = at + 1;
    t.right[at] = at + 2;
    t.value[at + 1] = k / (splits + 1);
  }
  t.value[size - 1] = 1;
  return t;
}

const roundTrip = (stored: StoredForest, nFeatures: number, trees: number) => decodeForest(JSON.parse(JSON.stringify(stored)), nFeatures, trees);

/** The same trees node for node: the same split words (feature, code, right child), and the same value at every leaf (read back, leaves index the distinct values). */
function expectSameForest(back: PackedForest, packed: PackedForest): void {
  expect(back.roots).toEqual(packed.roots);
  expect(back.cuts).toEqual(packed.cuts);
  expect(back.layout).toEqual(packed.layout);
  expect(back.far).toEqual(packed.far);
  expect(back.nodes.length).toBe(packed.nodes.length);
  const differ: number[] = [];
  for (let i = 0; i < packed.nodes.length; i++) {
    const w = packed.nodes[i] as number;
    const v = back.nodes[i] as number;
    if (w >= 0 ? v !== w : v >= 0 || !Object.is(back.values[~v], packed.values[~w])) differ.push(i);
  }
  expect(differ).toEqual([]);
}

describe("stored forest (model format 2)", () => {
  const { X, y } = data(2000, 5);
  const rf = new RandomForestClassifier({ nEstimators: 9, seed: 2 }).fit(X, y);
  const { X: Xt } = data(300, 6);

  it("reads back the packed forest it stored, node for node, and the same trees", () => {
    const packed = rf.packedTrees();
    const back = roundTrip(encodeForest(packed), 3, 9);
    expectSameForest(back, packed);
    expect(back.values.length).toBeLessThan(packed.values.length);
    expect(predictFlat(unpackForest(back), Xt)).toEqual(predictFlat(rf.trees, Xt));
    const stored = encodeForest(packed);
    expect(stored.code_bytes).toBe(1);
    expect(stored.index_bytes).toBe(2);
  });

  it("stores wide codes and many leaf values when the forest needs them", () => {
    // 300 thresholds on one feature, 70,001 distinct leaf values.
    const trees = [comb(300, 1), comb(70_000, 3)];
    const packed = packForest(trees, 3);
    const stored = encodeForest(packed);
    expect(stored.code_bytes).toBe(2);
    expect(stored.index_bytes).toBe(4);
    const back = roundTrip(stored, 3, 2);
    expectSameForest(back, packed);
    const probe = [
      Float64Array.from({ length: 50 }, (_, i) => i * 7.3),
      Float64Array.from({ length: 50 }, (_, i) => i * 1500),
      Float64Array.from({ length: 50 }, (_, i) => 70_000 - i),
    ];
    expect(predictFlat(unpackForest(back), probe)).toEqual(predictFlat(trees, probe));
  });

  it("keeps right children too far for a node's offset field aside, and reads them back", () => {
    const chain = farChain();
    const packed = packForest([chain], 5000);
    expect(packed.layout.offMask).toBe(1023);
    expect(packed.far.size).toBeGreaterThan(0);
    const back = roundTrip(encodeForest(packed), 5000, 1);
    expectSameForest(back, packed);
    const X = farChainRows(40);
    expect(predictFlat(unpackForest(back), X)).toEqual(predictFlat([chain], X));
    const rf = new RandomForestClassifier();
    rf.adoptPacked(back, 5000);
    expect(rf.predictProba(X)).toEqual(predictFlat([chain], X));
    for (let i = 0; i < 40; i++) expect(rf.predictRow(X.map((col) => col[i] as number))).toBe(predictFlat([chain], X)[i]);
  });

  it("refuses damaged streams with what is damaged", () => {
    const stored = encodeForest(rf.packedTrees());
    const cut = (s: string) => Buffer.from(s, "base64").subarray(2).toString("base64");
    expect(() => roundTrip({ ...stored, split_features: cut(stored.split_features) }, 3, 9)).toThrowError(ModelFileError);
    expect(() => roundTrip(stored, 3, 8)).toThrowError(/node counts for 8 trees/);
    expect(() => roundTrip(stored, 2, 9)).toThrowError(/cuts for 2 features/);
    const codes = Buffer.from(stored.split_codes, "base64");
    codes[0] = 255;
    expect(() => roundTrip({ ...stored, split_codes: codes.toString("base64") }, 3, 9)).toThrowError(/split 0 is damaged/);
    const features = Buffer.from(stored.split_features, "base64");
    features.writeUInt16LE(0xffff, 0); // the first root becomes a leaf: its tree no longer ends where it says
    expect(() => roundTrip({ ...stored, split_features: features.toString("base64") }, 3, 9)).toThrowError(/damaged/);
  });
});

describe("model files", () => {
  const dir = new URL("./fixtures/", import.meta.url);
  const v1 = readFileSync(new URL("heart-5-trees.v1.json", dir), "utf8");
  const expected = JSON.parse(readFileSync(new URL("heart-5-trees.v1.predictions.json", dir), "utf8"));

  it("reads a format 1 file and predicts as the pipe that wrote it did; written again, it is format 2 and predicts the same", () => {
    const model = PipeModel.parse(v1, "v1.json");
    expect(model.predictBatch(expected.records)).toEqual(expected.predictions);
    const text = model.serialize();
    expect(text.startsWith('{"format":"pipe-model","format_version":2,')).toBe(true);
    expect(text.length).toBeLessThan(v1.length);
    const again = PipeModel.parse(text, "v2.json");
    expect(again.predictBatch(expected.records)).toEqual(expected.predictions);
    expect(again.serialize()).toBe(text);
    expect(again.version).toBe(JSON.parse(text).content.model_id.slice(0, 12));
    // A file written before pipe kept the identity shows its checksum's digits.
    expect(PipeModel.parse(v1).version).toBe(JSON.parse(v1).checksum.slice(0, 12));
  });

  it("reads a file's bytes (its streams decoded from them) as it reads its text: same predictions, explanations and file", () => {
    const base = PipeModel.parse(v1);
    // Random rows as wide as the file's preprocessed matrix, the target following two of their columns.
    const width = base.state.forest.nFeatures;
    const rng = new Random(6);
    const X = Array.from({ length: width }, () => Float64Array.from({ length: 2000 }, () => rng.next()));
    const y = Uint8Array.from({ length: 2000 }, (_, i) => (((X[0] as Float64Array)[i] as number) + ((X[3] as Float64Array)[i] as number) > 1 ? 1 : 0));
    const forest = new RandomForestClassifier({ nEstimators: 6, seed: 2 }).fit(X, y);
    const text = new PipeModel({ ...base.state, forest }).serialize();
    const fromText = PipeModel.parse(text);
    const fromBytes = PipeModel.parse(Buffer.from(text, "utf8"));
    expect(fromBytes.serialize()).toBe(text);
    expect(fromBytes.predictBatch(expected.records)).toEqual(fromText.predictBatch(expected.records));
    const record = expected.records[0];
    expect(fromBytes.explain(record)).toEqual(fromText.explain(record));
    // A damaged stream in the bytes fails as in the text.
    const at = text.indexOf('"split_features":"') + 30;
    const damaged = `${text.slice(0, at)}*${text.slice(at + 1)}`;
    expect(() => PipeModel.parse(Buffer.from(damaged, "utf8"))).toThrowError(/checksum/);
  });

  it("a model retrained to the same trees keeps its version; other trees, another version", () => {
    const { X, y } = data(600, 4);
    const fit = (seed: number, when: string) => {
      const model = PipeModel.parse(PipeModel.parse(v1).serialize());
      const forest = new RandomForestClassifier({ nEstimators: 3, seed }).fit(X, y);
      const state = { ...model.state, forest, training: { ...model.state.training, created_at: when } };
      return PipeModel.parse(new PipeModel(state).serialize());
    };
    const a = fit(1, "2026-01-01T00:00:00.000Z");
    const b = fit(1, "2026-06-01T00:00:00.000Z");
    expect(a.version).toBe(b.version);
    expect(a.version).toBe(a.modelId.slice(0, 12));
    expect(fit(2, "2026-01-01T00:00:00.000Z").version).not.toBe(a.version);
  });

  it("checks the checksum on the content's bytes as stored: an edit or a reformatting fails it", () => {
    const text = PipeModel.parse(v1).serialize();
    expect(() => PipeModel.parse(text.replace('"threshold":0.5', '"threshold":0.25'), "m.json")).toThrowError(/m\.json fails its checksum/);
    expect(() => PipeModel.parse(`${JSON.stringify(JSON.parse(text), null, 2)}\n`, "m.json")).toThrowError(/m\.json fails its checksum/);
    expect(() => PipeModel.parse(text.trimEnd(), "m.json")).not.toThrow();
    expect(() => PipeModel.parse(text.slice(0, -40), "m.json")).toThrowError(ModelFileError);
  });

  it("loads without unpacking its trees, and unpacks them when asked", () => {
    const model = PipeModel.parse(PipeModel.parse(v1).serialize());
    const forest = model.state.forest;
    expect(forest.treeCount).toBe(5);
    const direct = model.predictBatch(expected.records);
    expect(forest.trees.length).toBe(5);
    expect(model.predictBatch(expected.records)).toEqual(direct);
  });
});

describe("node covers", () => {
  it("are stored and read back exactly, each parent's the sum of its children's", () => {
    const { X, y } = data(3000, 5);
    const rf = new RandomForestClassifier({ nEstimators: 6, seed: 9 }).fit(X, y);
    const packed = rf.packedTrees();
    const back = decodeForest(JSON.parse(JSON.stringify(encodeForest(packed))) as StoredForest, 3, 6);
    expect(back.covers).toEqual(packed.covers);
    for (const t of unpackForest(back)) {
      const c = t.cover as Int32Array;
      expect(c[0]).toBe(3000);
      for (let i = 0; i < t.feature.length; i++)
        if ((t.feature[i] as number) >= 0) expect(c[i]).toBe((c[t.left[i] as number] as number) + (c[t.right[i] as number] as number));
    }
  });

  it("a damaged cover stream fails with what is wrong when the covers are first read", () => {
    const { X, y } = data(500, 2);
    const stored = encodeForest(new RandomForestClassifier({ nEstimators: 2, seed: 1 }).fit(X, y).packedTrees());
    expect(() => decodeForest({ ...stored, left_covers: Buffer.from([0xff]).toString("base64") }, 3, 2).covers).toThrowError(/left_covers is damaged/);
    expect(() => decodeForest({ ...stored, root_covers: Buffer.from(new Int32Array([1]).buffer).toString("base64") }, 3, 2).covers).toThrowError(
      /root_covers is damaged/,
    );
  });

  it("reads the same forest from a file's bytes (streams decoded from the bytes) as from its text", () => {
    const { X, y } = data(3000, 3);
    const forest = new RandomForestClassifier({ nEstimators: 4, seed: 3 }).fit(X, y).packedTrees();
    const stored = encodeForest(forest);
    const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
    const fromText = decodeForest(stored, 3, 4);
    const fromBytes = decodeForest(
      {
        ...stored,
        split_features: bytes(stored.split_features),
        split_codes: bytes(stored.split_codes),
        leaf_index: bytes(stored.leaf_index),
        left_covers: bytes(stored.left_covers as string),
      },
      3,
      4,
    );
    expect([...fromBytes.nodes]).toEqual([...fromText.nodes]);
    expect([...fromBytes.values]).toEqual([...fromText.values]);
    expect([...(fromBytes.covers as Int32Array)]).toEqual([...(forest.covers as Int32Array)]);
    expect([...(fromText.covers as Int32Array)]).toEqual([...(forest.covers as Int32Array)]);
    expect(() => decodeForest({ ...stored, split_features: bytes(stored.split_features.replace(/A/, "*")) }, 3, 4)).toThrowError(/split_features is damaged/);
    expect(() => decodeForest({ ...stored, split_features: bytes(stored.split_features.slice(4)) }, 3, 4)).toThrowError(/damaged/);
  });

  it("a format 1 file predicts but cannot explain, and says to train again", () => {
    const v1 = readFileSync(new URL("./fixtures/heart-5-trees.v1.json", import.meta.url), "utf8");
    const model = PipeModel.parse(v1);
    expect(() => model.explain({ age: 50 })).toThrowError(/train it again/);
  });
});
