import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { InputError } from "../errors.js";

/** A byte source that can be opened more than once (schema inference and cleaning each take a pass). */
export interface ByteSource {
  /** What the user named: a path or a URL, used in messages. */
  readonly name: string;
  /** Size in bytes when known before reading. */
  size(): Promise<number | undefined>;
  open(): AsyncIterable<Uint8Array>;
}

/** Opens a local path or an http(s) URL. */
export function openSource(location: string): ByteSource {
  if (/^https?:\/\//i.test(location)) return httpSource(location);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith("file://")) {
    throw new InputError(`${location}: unsupported input scheme; use a local path or an http(s):// URL`);
  }
  return fileSource(location.startsWith("file://") ? new URL(location).pathname : location);
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
      return createReadStream(path, { highWaterMark: 1 << 20 });
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
