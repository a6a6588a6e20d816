import { type FileHandle, open, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { InputError } from "../errors.js";

/** A byte source that can be opened more than once (schema inference and cleaning each take a pass). */
export interface ByteSource {
  /** What the user named: a path or a URL, used in messages. */
  readonly name: string;
  /** Size in bytes when known before reading. */
  size(): Promise<number | undefined>;
  /** The bytes, chunk by chunk; a chunk may be overwritten once the next one is asked for: copy what you keep. */
  open(): AsyncIterable<Uint8Array>;
}

export interface SourceOptions {
  /** S3-compatible endpoint (MinIO, s3rver, R2...); AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL otherwise. */
  s3Endpoint?: string;
}

/** Opens a local path, an http(s) URL, or `s3://bucket/key` on any S3-compatible store.
 *
 * @example
 * const local = openSource("data/input/dataset.csv");
 * const remote = openSource("s3://my-bucket/churn/2026-11.csv", { s3Endpoint: "http://127.0.0.1:9000" });
 * await local.size(); // bytes, or undefined when the source cannot tell
 */
export function openSource(location: string, options: SourceOptions = {}): ByteSource {
  if (/^https?:\/\//i.test(location)) return httpSource(location);
  if (/^s3:\/\//i.test(location)) return s3Source(location, options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith("file://")) {
    throw new InputError(`${location}: unsupported input scheme; use a local path, an http(s):// URL or s3://bucket/key`);
  }
  return fileSource(location.startsWith("file://") ? new URL(location).pathname : location);
}

/** Reads a file into one reused buffer: a streaming pass allocates nothing per chunk. */
async function* readChunks(path: string): AsyncGenerator<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch {
    throw new InputError(`${path}: input file not found; check the path given to --input`);
  }
  // Two buffers: the next read runs while the caller works on the chunk it was given.
  const buffers: readonly [Buffer, Buffer] = [Buffer.allocUnsafe(1 << 20), Buffer.allocUnsafe(1 << 20)];
  let turn = 0;
  let next = handle.read(buffers[0], 0, buffers[0].length, null);
  try {
    for (;;) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      turn ^= 1;
      const spare: Buffer = buffers[turn] as Buffer;
      next = handle.read(spare, 0, spare.length, null);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await next.catch(() => undefined);
    await handle.close();
  }
}

function fileSource(path: string): ByteSource {
  return {
    name: path,
    async size() {
      try {
        const s = await stat(path);
        if (!s.isFile()) throw new InputError(`${path}: not a file; pass the path of a CSV file`);
        return s.size;
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(`${path}: input file not found; check the path given to --input`);
      }
    },
    open() {
      return readChunks(path);
    },
  };
}

function httpSource(url: string): ByteSource {
  return {
    name: url,
    async size() {
      const res = await fetch(url, { method: "HEAD" }).catch((error: unknown) => {
        throw new InputError(`${url}: cannot reach the server (${String(error)})`);
      });
      const len = res.headers.get("content-length");
      return res.ok && len ? Number(len) : undefined;
    },
    async *open() {
      const res = await fetch(url).catch((error: unknown) => {
        throw new InputError(`${url}: cannot reach the server (${String(error)})`);
      });
      if (!res.ok || !res.body) throw new InputError(`${url}: the server answered HTTP ${res.status}`);
      yield* Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>);
    },
  };
}

function s3Source(url: string, options: SourceOptions): ByteSource {
  const match = /^s3:\/\/([^/]+)\/(.+)$/i.exec(url);
  if (!match) throw new InputError(`${url}: an S3 location reads s3://bucket/key`);
  const [, bucket, key] = match as unknown as [string, string, string];
  const endpoint = options.s3Endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  // The SDK is loaded only when an s3:// input is used.
  const client = (async () => {
    const { S3Client } = await import("@aws-sdk/client-s3");
    return new S3Client({
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    });
  })();
  const explain = (error: unknown): InputError => {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (e.name === "NoSuchKey" || e.name === "NotFound" || status === 404) return new InputError(`${url}: no such object (bucket "${bucket}", key "${key}")`);
    if (e.name === "NoSuchBucket") return new InputError(`${url}: no such bucket "${bucket}"`);
    if (status === 403 || e.name === "AccessDenied" || e.name === "InvalidAccessKeyId" || e.name === "SignatureDoesNotMatch")
      return new InputError(`${url}: access denied; check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)`);
    if (e.name === "CredentialsProviderError")
      return new InputError(`${url}: no AWS credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE`);
    return new InputError(`${url}: cannot read from object storage${endpoint ? ` at ${endpoint}` : ""} (${e.name ?? "error"}: ${e.message ?? String(error)})`);
  };
  return {
    name: url,
    async size() {
      const { HeadObjectCommand } = await import("@aws-sdk/client-s3");
      try {
        const head = await (await client).send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.ContentLength;
      } catch (error) {
        throw explain(error);
      }
    },
    async *open() {
      const { GetObjectCommand } = await import("@aws-sdk/client-s3");
      let body: AsyncIterable<Uint8Array>;
      try {
        const res = await (await client).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        body = res.Body as AsyncIterable<Uint8Array>;
      } catch (error) {
        throw explain(error);
      }
      yield* body;
    },
  };
}
