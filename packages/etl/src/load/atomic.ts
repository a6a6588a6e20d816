import { randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Writes a whole file so that readers see either the old file or the new one, never a part. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await writeThroughTemporary(path, (tmp) => writeFile(tmp, content));
}

/**
 * A file that another writer makes (an engine's COPY, say) appearing under its name only once `write`
 * has written it whole at the temporary path it is given; on failure the old file stays.
 */
export async function writeThroughTemporary(path: string, write: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * A streamed text file that appears under its name only on `commit()`; `abort()` leaves the old file.
 * Writes are buffered and honour back-pressure.
 */
export class AtomicTextWriter {
  private readonly tmp: string;
  private stream: WriteStream | undefined;
  private buffer = "";
  private static readonly FLUSH_AT = 1 << 20;

  constructor(readonly path: string) {
    this.tmp = tempPathFor(path);
  }

  private async open(): Promise<WriteStream> {
    if (!this.stream) {
      await mkdir(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.tmp);
    }
    return this.stream;
  }

  /**
   * Appends text (buffered; awaits only when the buffer is flushed) or bytes (written through: once
   * the promise settles the writer no longer needs them, so the caller may reuse the buffer).
   */
  async write(data: string | Uint8Array): Promise<void> {
    if (typeof data !== "string") {
      await this.flush();
      if (data.length === 0) return;
      const stream = await this.open();
      await new Promise<void>((resolve, reject) => stream.write(data, (error) => (error ? reject(error) : resolve())));
      return;
    }
    this.buffer += data;
    if (this.buffer.length >= AtomicTextWriter.FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = "";
    await this.send(chunk);
  }

  private async send(chunk: string | Uint8Array): Promise<void> {
    const stream = await this.open();
    if (chunk.length > 0 && !stream.write(chunk)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  }

  async commit(): Promise<void> {
    await this.flush();
    const stream = this.stream as WriteStream;
    await new Promise<void>((resolve, reject) => {
      stream.once("error", reject);
      stream.end(() => resolve());
    });
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    if (this.stream) {
      const stream = this.stream;
      await new Promise<void>((resolve) => stream.end(() => resolve()));
    }
    await rm(this.tmp, { force: true });
  }
}
