import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS, tempDir } from "../../../../test-support/index.js";
import { InputError } from "../errors.js";
import { runEtl } from "../run-etl.js";
import { openSource } from "./source.js";

const tmp = tempDir("pipe-s3-");
let s3: S3rver;
let endpoint: string;
let http: Server;
let httpBase: string;

beforeAll(async () => {
  // A real S3-compatible server on loopback; the same client code path users take.
  s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: join(tmp.dir, "s3") });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  const client = new S3Client({ endpoint, forcePathStyle: true, region: "us-east-1" });
  await client.send(new CreateBucketCommand({ Bucket: "pipe-data" }));
  await client.send(new PutObjectCommand({ Bucket: "pipe-data", Key: "titanic/titanic.csv", Body: readFileSync(DATASETS.titanic) }));
  http = createServer((req, res) => {
    if (req.url === "/titanic.csv") res.end(readFileSync(DATASETS.titanic));
    else res.writeHead(404).end("no");
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await s3?.close();
  await new Promise((r) => http?.close(r));
  tmp.cleanup();
});

describe("openSource", () => {
  it("reads s3://bucket/key from an S3-compatible server, through the whole ETL", async () => {
    const source = openSource("s3://pipe-data/titanic/titanic.csv", { s3Endpoint: endpoint });
    expect(await source.size()).toBe(readFileSync(DATASETS.titanic).length);
    const { report } = await runEtl(source, { target: "Survived" }, { processed: join(tmp.dir, "p.csv"), rejected: join(tmp.dir, "r.csv") });
    expect(report).toMatchObject({ input: "s3://pipe-data/titanic/titanic.csv", rows_in: 891, rows_out: 891 });
  });
  it("says which object is missing", async () => {
    await expect(openSource("s3://pipe-data/nope.csv", { s3Endpoint: endpoint }).size()).rejects.toThrowError(/s3:\/\/pipe-data\/nope\.csv: no such object/);
  });
  it("reads an http(s) URL and names an HTTP failure", async () => {
    const { report } = await runEtl(
      openSource(`${httpBase}/titanic.csv`),
      { target: "Survived" },
      { processed: join(tmp.dir, "h.csv"), rejected: join(tmp.dir, "hr.csv") },
    );
    expect(report.rows_in).toBe(891);
    const missing = openSource(`${httpBase}/missing.csv`);
    await expect(async () => {
      for await (const _ of missing.open()) break;
    }).rejects.toThrowError(/answered HTTP 404/);
  });
  it("refuses other schemes and missing files with a typed error", async () => {
    expect(() => openSource("ftp://x/y.csv")).toThrowError(InputError);
    await expect(openSource(join(tmp.dir, "none.csv")).size()).rejects.toThrowError(/input file not found/);
  });
});
