import type { RecordView } from "../internal/tokenizer.js";

/**
 * Recognises the header row appearing again among the data (files exported in parts and joined
 * end to end): a record whose fields are byte for byte the header's. Most records fail on the first
 * byte of the first field, so the check costs a comparison or two per row.
 */
export class HeaderMatcher {
  private readonly fields: Buffer[];

  constructor(header: readonly string[], encoding: "utf8" | "latin1") {
    this.fields = header.map((f) => Buffer.from(f, encoding));
  }

  matches(view: RecordView): boolean {
    const { bytes, starts, ends } = view;
    if (view.count !== this.fields.length) return false;
    for (let j = 0; j < this.fields.length; j++) {
      const field = this.fields[j] as Buffer;
      const start = starts[j] as number;
      const length = (ends[j] as number) - start;
      if (length !== field.length) return false;
      for (let k = 0; k < length; k++) if (bytes[start + k] !== field[k]) return false;
    }
    return true;
  }
}
