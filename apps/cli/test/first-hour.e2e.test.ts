import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, ROOT, tempDir } from "../../../test-support/index.js";
import { pipe, pipeAsync } from "./cli.js";

// What a new user meets in the first hour: flag values judged against the flag, every value the
// help offers accepted, one exit code for a missing earlier output, and no third-party chatter.
const tmp = tempDir("pipe-first-hour-");
const trained = join(tmp.dir, "heart");
let s3: S3rver | undefined;

beforeAll(() => {
  const r = pipe(["run", "--input", DATASETS.heart, "--target", "target", "--out", trained, "--trees", "10", "--no-png", "--quiet"], tmp.dir);
  if (r.code !== 0) throw new Error(r.stderr);
}, 120_000);
afterAll(async () => {
  await s3?.close();
  tmp.cleanup();
});

describe("a bad flag value is reported against the flag, not a config file", () => {
  // Run from the repository root, where pipe.config.json is read: the fault is still the flag's.
  it.each([
    [["train", "--test-size", "1.5"], /^pipe: --test-size 1\.5: .*<1/],
    [["train", "--threshold", "2"], /^pipe: --threshold 2: .*<1/],
    [["train", "--set", "model.nEstimators=abc"], /^pipe: --set model\.nEstimators=abc: .*expected number/],
    [["train", "--class-weight", "heavy"], /^pipe: --class-weight heavy: /],
    [["etl", "--delimiter", "x"], /^pipe: --delimiter x: /],
  ])("%j", (args, message) => {
    const r = pipe([...args, "--out", trained, "--quiet"], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain("pipe.config.json");
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });
});

describe("every value the help offers is accepted", () => {
  const help = pipe(["train", "--help"], tmp.dir).stdout + pipe(["etl", "--help"], tmp.dir).stdout;
  it.each([
    ["--class-weight", "none", "none"],
    ["--class-weight", "balanced", "balanced"],
    ["--max-features", "sqrt", "sqrt"],
    ["--max-features", "log2", "log2"],
    ["--max-features", "3", "a count"],
    ["--max-features", "0.5", "a share"],
    ["--threshold", "best-f1", "best-f1"],
    ["--threshold", "0.4", "(0, 1)"],
  ])("pipe train %s %s", (flag, value, offered) => {
    expect(help).toContain(offered);
    const r = pipe(["train", flag, value, "--trees", "5", "--out", trained, "--quiet"], tmp.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
  it('--set model.classWeight=none and a config file\'s "none" too', () => {
    expect(pipe(["train", "--set", "model.classWeight=none", "--trees", "5", "--out", trained, "--quiet"], tmp.dir).code).toBe(0);
  });
  it.each([",", ";", "tab", "|", "whitespace", "space"])("pipe etl --delimiter %s", (d) => {
    expect(help).toContain("tab");
    const r = pipe(["etl", "--input", DATASETS.heart, "--target", "target", "--delimiter", d, "--out", join(tmp.dir, "d"), "--quiet"], tmp.dir);
    // Only "," is right for this file; the others are accepted as values and then fail on the data.
    expect(r.stderr).not.toMatch(/--delimiter/);
    if (d === ",") expect(r.code).toBe(0);
  });
});

describe("no --target", () => {
  it("is a usage error that offers the input's columns with two values, likely target names first", () => {
    const r = pipe(["etl", "--input", DATASETS.heart, "--out", join(tmp.dir, "no-target"), "--quiet"], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^pipe: no target column: pass --target COLUMN \(or a --config file\); columns with two values in \S+Training_set_heart\.csv: target \(0, 1\), /u,
    );
  });
  it("says only what to pass when the input cannot be read", () => {
    const r = pipe(["etl", "--input", join(tmp.dir, "absent.csv"), "--out", join(tmp.dir, "no-target"), "--quiet"], tmp.dir);
    expect(r.stderr).toBe("pipe: no target column: pass --target COLUMN (or a --config file)\n");
  });
});

describe("a missing earlier output: exit 3, whichever stage finds it, naming the stage to run", () => {
  it.each([
    [["analyze"], "etl"],
    [["train"], "etl"],
    [["evaluate"], "train"],
    [["report"], "analyze"],
    [["predict", "--input", DATASETS.heart], "train"],
    [["serve", "--port", "0"], "train"],
  ])("pipe %j", (args, producer) => {
    const r = pipe([...args, "--out", join(tmp.dir, "nothing-here"), "--quiet"], tmp.dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^pipe: .* not found; run \`pipe ${producer}\` first`));
  });
  it("is documented with the other exit codes", () => {
    expect(pipe(["--help"], tmp.dir).stdout).toMatch(/3 an earlier stage's output is missing/);
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toMatch(/3 an earlier stage's output is missing/);
  });
});

describe("ordinary runs print no third-party warning", () => {
  // pipe's own progress lines go to stderr, each naming its stage; nothing else may appear there.
  const foreign = (stderr: string) =>
    stderr
      .split("\n")
      .filter(Boolean)
      .filter((l) => !/^(etl|analyze|train|evaluate|report): |^done in /.test(l));
  it("pipe run on a local file: only pipe's own progress lines", () => {
    const r = pipe(["run", "--input", DATASETS.heart, "--target", "target", "--out", join(tmp.dir, "plain"), "--trees", "10", "--no-png"], tmp.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("train: 10 trees");
    expect(foreign(r.stderr)).toEqual([]);
  });
  it("pipe etl from S3 (an S3-compatible server on loopback): no AWS SDK warning", async () => {
    s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: join(tmp.dir, "s3") });
    const { port } = await s3.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const credentials = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" };
    const client = new S3Client({ endpoint, forcePathStyle: true, region: "us-east-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    await client.send(new CreateBucketCommand({ Bucket: "pipe-data" }));
    await client.send(new PutObjectCommand({ Bucket: "pipe-data", Key: "heart.csv", Body: readFileSync(DATASETS.heart) }));
    // Asynchronously: the S3 server answers from this process's event loop.
    const r = await pipeAsync(
      ["etl", "--input", "s3://pipe-data/heart.csv", "--s3-endpoint", endpoint, "--target", "target", "--out", join(tmp.dir, "from-s3")],
      tmp.dir,
      credentials,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("etl: reading s3://pipe-data/heart.csv");
    expect(foreign(r.stderr)).toEqual([]);
    expect(JSON.parse(readFileSync(join(tmp.dir, "from-s3/etl_report.json"), "utf8")).rows_in).toBe(212);
  });
});
