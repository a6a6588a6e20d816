/**
 * Lines already seen, by their bytes. A record that is one unquoted line and repeats a remembered
 * line is recognised with one hash and one comparison instead of being split into fields again;
 * the caller gets back the payload it gave that line (its id for the record). Files with many
 * repeated rows (a table concatenated with itself, exported twice, logged per event) read several
 * times faster; on others the memo soon gives up (see {@link LineMemo.active}).
 */
export class LineMemo {
  private arena: Buffer = Buffer.alloc(0);
  private arenaWords: Int32Array = new Int32Array(0);
  private used = 0;
  /** The Int32 view of the buffer of the last `bytes` compared, and where `bytes` starts in it. */
  private words: Int32Array = new Int32Array(0);
  private wordsOf: Buffer | undefined;
  private wordsBase = 0;
  /** The entry tried first: the one after the last found or added. */
  private next = 0;
  /** The hash of the line {@link find} last missed. */
  hash = 0;
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private payloads = new Int32Array(1024);
  /** Slot k is [hash, entry + 1] at 2k; 0 marks an empty slot. */
  private table = new Int32Array(2 * 4096);
  private capacity = 4096;
  size = 0;
  private lookups = 0;
  private hits = 0;
  private full = false;
  /** False once the memo gave up: callers skip it altogether. */
  active = true;

  /**
   * @param maxBytes the remembered lines' bytes at most; past it, lines are still looked up, no longer added.
   * @param trial after this many lookups, the memo gives up (and frees its memory) unless one line in
   * eight was a repeat.
   */
  constructor(
    private readonly maxBytes = 16 << 20,
    private readonly trial = 1 << 16,
  ) {
    this.setArena(Buffer.from(new ArrayBuffer(Math.min(maxBytes, 1 << 20))));
  }

  /**
   * The payload of the remembered line equal to `bytes[start, end)`, or -1 (then {@link hash} holds the
   * line's {@link hashLine}, for {@link add}). The line after the last one found is tried first: a
   * repeated block of lines (a file appended to itself, an export run twice) is then read in order,
   * without hashing or a random memory access.
   */
  find(bytes: Buffer, start: number, end: number): number {
    this.countLookup();
    const length = end - start;
    if (this.expectedLength() === length) {
      const payload = this.takeExpected(bytes, start);
      if (payload >= 0) return payload;
    }
    const hash = this.hashOf(bytes, start, length);
    this.hash = hash;
    const { table, capacity } = this;
    for (let slot = hash & (capacity - 1); ; slot = (slot + 1) & (capacity - 1)) {
      const entry = (table[2 * slot + 1] as number) - 1;
      if (entry < 0) return -1;
      if (table[2 * slot] === hash && this.lengths[entry] === length && this.sameBytes(entry, bytes, start, length)) {
        this.hits++;
        this.next = entry + 1;
        return this.payloads[entry] as number;
      }
    }
  }

  /** The length of the line expected next (the one after the last found or added), or -1. */
  expectedLength(): number {
    return this.next < this.size ? (this.lengths[this.next] as number) : -1;
  }

  /**
   * The payload of the line expected next when `bytes` from `start` holds it (the caller has checked
   * that a line break follows it), or -1. Reading a repeated block in order, this is the whole lookup.
   */
  findExpected(bytes: Buffer, start: number): number {
    this.countLookup();
    return this.next < this.size ? this.takeExpected(bytes, start) : -1;
  }

  /** The expected line's payload if `bytes` from `start` holds it (moving on to the line after it), or -1. */
  private takeExpected(bytes: Buffer, start: number): number {
    const next = this.next;
    if (!this.sameBytes(next, bytes, start, this.lengths[next] as number)) return -1;
    this.hits++;
    this.next = next + 1;
    return this.payloads[next] as number;
  }

  /** Gives up, once the trial is over, unless one lookup in eight found its line. */
  private countLookup(): void {
    if (++this.lookups === this.trial && this.hits * 8 < this.lookups) this.stop();
  }

  /** Remembers `bytes[start, end)` with its payload (a line {@link find} did not know; `hash` is the {@link hash} it left). */
  add(bytes: Buffer, start: number, end: number, hash: number, payload: number): void {
    const length = end - start;
    if (this.full || !this.active) return;
    // On a word boundary, so it is read four bytes at a time.
    const at = (this.used + 3) & ~3;
    if (at + length > this.maxBytes) {
      this.full = true;
      return;
    }
    if (at + length > this.arena.length) this.growArena(at + length);
    const entry = this.size;
    if (entry === this.starts.length) this.growEntries();
    this.copyLine(bytes, start, length, at);
    this.starts[entry] = at;
    this.lengths[entry] = length;
    this.payloads[entry] = payload;
    this.used = at + length;
    this.size++;
    this.next = this.size;
    if (this.size * 2 > this.capacity) this.growTable();
    this.place(hash, entry);
  }

  // The line's bytes are read four at a time from an Int32 view of their buffer: a line that does not
  // start on a word is read from the two aligned words that hold each four bytes, shifted together.
  // (Byte by byte, JavaScript checks bounds and loads every byte: about twice as slow.)

  /**
   * Readies the word view of `bytes` and returns the line's first byte in it, or -1 when the line
   * must be read byte by byte (a big-endian machine, or a line in the buffer's last, partial word).
   */
  private wordsFor(bytes: Buffer, start: number, length: number): number {
    if (!LITTLE_ENDIAN) return -1;
    // Typed-array getters (buffer, byteOffset) are calls: asked once per buffer, not per line.
    if (bytes !== this.wordsOf) {
      this.wordsOf = bytes;
      this.wordsBase = bytes.byteOffset;
      this.words = new Int32Array(bytes.buffer, 0, bytes.buffer.byteLength >>> 2);
    }
    const first = this.wordsBase + start;
    return (first >>> 2) + (length >>> 2) < this.words.length ? first : -1;
  }

  /** {@link hashLine} of `bytes[start, start + length)`, a word at a time. */
  private hashOf(bytes: Buffer, start: number, length: number): number {
    const first = this.wordsFor(bytes, start, length);
    if (first < 0) return hashLine(bytes, start, start + length);
    const words = this.words;
    const shift = (first & 3) << 3;
    let w = first >>> 2;
    const last = w + (length >>> 2);
    let h = seedOf(length);
    if (shift === 0) {
      for (; w < last; w++) h = mixWord(h, words[w] as number);
    } else {
      // Each word is the top of one aligned word and the bottom of the next; each is loaded once.
      let low = words[w] as number;
      for (; w < last; w++) {
        const high = words[w + 1] as number;
        h = mixWord(h, (low >>> shift) | (high << (32 - shift)));
        low = high;
      }
    }
    return finish(h, tailWord(bytes, start + (length & ~3), start + length));
  }

  private sameBytes(entry: number, bytes: Buffer, start: number, length: number): boolean {
    const at = this.starts[entry] as number;
    const first = this.wordsFor(bytes, start, length);
    const arena = this.arena;
    let k = 0;
    if (first >= 0) {
      const words = this.words;
      const arenaWords = this.arenaWords;
      const shift = (first & 3) << 3;
      let w = first >>> 2;
      let v = at >>> 2;
      const last = v + (length >>> 2);
      if (shift === 0) {
        for (; v < last; v++, w++) if (words[w] !== arenaWords[v]) return false;
      } else {
        let low = words[w] as number;
        for (; v < last; v++, w++) {
          const high = words[w + 1] as number;
          if (((low >>> shift) | (high << (32 - shift))) !== arenaWords[v]) return false;
          low = high;
        }
      }
      k = length & ~3;
    }
    for (; k < length; k++) if (bytes[start + k] !== arena[at + k]) return false;
    return true;
  }

  private copyLine(bytes: Buffer, start: number, length: number, at: number): void {
    // A new line is rare next to lookups: a plain byte copy.
    this.arena.set(bytes.subarray(start, start + length), at);
  }

  private place(hash: number, entry: number): void {
    const { table, capacity } = this;
    let slot = hash & (capacity - 1);
    while (table[2 * slot + 1] !== 0) slot = (slot + 1) & (capacity - 1);
    table[2 * slot] = hash;
    table[2 * slot + 1] = entry + 1;
  }

  /** Forgets every line and stops (the caller no longer keeps the records the payloads name). */
  stop(): void {
    this.active = false;
    this.arena = Buffer.alloc(0);
    this.arenaWords = new Int32Array(0);
    this.words = new Int32Array(0);
    this.wordsOf = undefined;
    this.starts = new Int32Array(0);
    this.lengths = new Int32Array(0);
    this.payloads = new Int32Array(0);
    this.table = new Int32Array(2);
    this.capacity = 1;
    this.size = 0;
  }

  private growArena(needed: number): void {
    this.setArena(Buffer.from(new ArrayBuffer(Math.min(this.maxBytes, Math.max(this.arena.length * 2, needed)))));
  }

  private setArena(arena: Buffer): void {
    if (this.used > 0) this.arena.copy(arena, 0, 0, this.used);
    this.arena = arena;
    // Its own ArrayBuffer (offset 0), so its words line up with `used`'s multiples of 4.
    this.arenaWords = new Int32Array(arena.buffer, 0, arena.buffer.byteLength >>> 2);
  }

  private growEntries(): void {
    const size = this.starts.length * 2;
    this.starts = widen(this.starts, size);
    this.lengths = widen(this.lengths, size);
    this.payloads = widen(this.payloads, size);
  }

  private growTable(): void {
    const old = this.table;
    this.capacity *= 2;
    this.table = new Int32Array(2 * this.capacity);
    for (let k = 1; k < old.length; k += 2) {
      const entry = (old[k] as number) - 1;
      if (entry >= 0) this.place(old[k - 1] as number, entry);
    }
  }
}

function widen(from: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const to = new Int32Array(size);
  to.set(from);
  return to;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593;

/** A 32-bit hash of `bytes[start, end)`, four bytes at a step (murmur3's body and finaliser). */
export function hashLine(bytes: Uint8Array, start: number, end: number): number {
  let h = seedOf(end - start);
  let i = start;
  for (const last = end - 3; i < last; i += 4) {
    h = mixWord(h, (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24));
  }
  return finish(h, tailWord(bytes, i, end));
}

function seedOf(length: number): number {
  return (0x5f3759df ^ length) | 0;
}

function mixWord(h: number, w: number): number {
  w = Math.imul(w, C1);
  w = Math.imul((w << 15) | (w >>> 17), C2);
  h ^= w;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The last 0-3 bytes as one little-endian word. */
function tailWord(bytes: Uint8Array, from: number, end: number): number {
  let w = 0;
  for (let shift = 0; from < end; from++, shift += 8) w |= (bytes[from] as number) << shift;
  return w;
}

function finish(h: number, tail: number): number {
  tail = Math.imul(tail, C1);
  h ^= Math.imul((tail << 15) | (tail >>> 17), C2);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
