// Feature hashing for the linear models: every feature ("w:grinder", "c:<gri", "k:REFUND") is identified by the
// 32-bit FNV-1a hash of its UTF-16 code units, computed incrementally so character n-grams need no substring.
// Training and inference use the same functions, so they agree by construction; the rare collision merges two
// features, which a linear model shrugs off.

export const FNV_OFFSET = 0x811c9dc5 | 0;

/** Continues an FNV-1a hash with the code units of `s`. */
export function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** Continues an FNV-1a hash with one code unit. */
export function fnvChar(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

export function hashString(s: string): number {
  return fnv(FNV_OFFSET, s);
}

/** Feature ids and values of one message, reused from call to call (no per-call allocation once warm). */
export class FeatureBuffer {
  hashes = new Int32Array(512);
  vals = new Float32Array(512);
  n = 0;

  reset(): this {
    this.n = 0;
    return this;
  }

  push(hash: number, value: number): void {
    if (this.n === this.hashes.length) {
      const h = new Int32Array(this.n * 2);
      h.set(this.hashes);
      const v = new Float32Array(this.n * 2);
      v.set(this.vals);
      this.hashes = h;
      this.vals = v;
    }
    this.hashes[this.n] = hash;
    this.vals[this.n] = value;
    this.n++;
  }

  /** A compact copy (for training sets). */
  snapshot(): { hashes: Int32Array; vals: Float32Array } {
    return { hashes: this.hashes.slice(0, this.n), vals: this.vals.slice(0, this.n) };
  }
}

/** Open-addressing map from 32-bit hash to a dense index; key and value side by side (one cache line per probe). */
export class HashIndex {
  private readonly table: Int32Array; // [key0, value0, key1, value1, ...]; value -1 = empty
  private readonly mask: number;
  readonly size: number;

  constructor(hashes: ArrayLike<number>) {
    let cap = 16;
    while (cap < hashes.length * 2) cap *= 2;
    this.table = new Int32Array(cap * 2);
    for (let i = 1; i < this.table.length; i += 2) this.table[i] = -1;
    this.mask = cap - 1;
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]! | 0;
      let slot = mix(h) & this.mask;
      while (this.table[2 * slot + 1] !== -1) {
        if (this.table[2 * slot] === h) throw new Error('HashIndex: duplicate hash');
        slot = (slot + 1) & this.mask;
      }
      this.table[2 * slot] = h;
      this.table[2 * slot + 1] = i;
    }
    this.size = hashes.length;
  }

  get(h: number): number {
    const t = this.table;
    let slot = mix(h) & this.mask;
    for (;;) {
      const v = t[2 * slot + 1]!;
      if (v === -1 || t[2 * slot] === h) return v;
      slot = (slot + 1) & this.mask;
    }
  }
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  h ^= h >>> 16;
  return h;
}

/**
 * A growable flat store of variable-length records mixing doubles and int32s (two views of one buffer): what the
 * per-word caches keep, adjacent in memory rather than spread over many small objects. Offsets count doubles;
 * int32 j of a record at offset o is i32[2 * o + j].
 */
export class Arena {
  f64: Float64Array;
  i32: Int32Array;
  top = 0;
  private readonly initial: number;

  constructor(doubles = 1 << 15) {
    this.initial = doubles;
    const buf = new ArrayBuffer(doubles * 8);
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
  }

  /**
   * Whether the records pass 3/4 of `budget` bytes: the owner then clears the arena before its next message, so that
   * the buffer (which doubles when full) stays within `budget` unless one message alone needs more than a quarter.
   */
  over(budget: number): boolean {
    return this.top * 8 > budget * 0.75;
  }

  /** Offset of `doubles` fresh (zeroed or reused) doubles. */
  alloc(doubles: number): number {
    if (this.top + doubles > this.f64.length) {
      const buf = new ArrayBuffer(Math.max(this.f64.length * 2, this.top + doubles) * 8);
      const f64 = new Float64Array(buf);
      f64.set(this.f64.subarray(0, this.top));
      this.f64 = f64;
      this.i32 = new Int32Array(buf);
    }
    const o = this.top;
    this.top += doubles;
    return o;
  }

  /** Forgets every record; a buffer that grew beyond the initial size is given back (a fresh small one). */
  clear(): void {
    this.top = 0;
    if (this.f64.length > this.initial) {
      const buf = new ArrayBuffer(this.initial * 8);
      this.f64 = new Float64Array(buf);
      this.i32 = new Int32Array(buf);
    }
  }
}

/**
 * Open-addressing map from strings to values that carry their key as `text`, looked up by a range of a larger string
 * (no substring needed) and its FNV-1a hash (hashRange). Each slot keeps the key's hash and length next to its entry
 * number, so a lookup reads one slot and, on a match of both, the value and its text. No deletion; clear() empties
 * it.
 */
export class TextIndex<V extends { readonly text: string }> {
  private table: Int32Array; // [hash, entry, length of the text] per slot; entry -1 = empty
  private mask: number;
  private vals: V[] = [];

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.table = TextIndex.emptyTable(cap);
    this.mask = cap - 1;
  }

  private static emptyTable(cap: number): Int32Array {
    const t = new Int32Array(cap * 3);
    for (let i = 1; i < t.length; i += 3) t[i] = -1;
    return t;
  }

  get size(): number {
    return this.vals.length;
  }

  /** The value whose text is s.slice(start, end), whose hashRange is `h`. */
  get(s: string, start: number, end: number, h: number): V | undefined {
    const t = this.table;
    const len = end - start;
    let slot = mix(h) & this.mask;
    for (;;) {
      const b = 3 * slot;
      const e = t[b + 1]!;
      if (e === -1) return undefined;
      // (The length is kept here and startsWith called through a constant: property loads on strings of the many
      // kinds V8 has would go through its slow generic lookup.)
      if (t[b] === h && t[b + 2] === len) {
        const v = this.vals[e]!;
        if (startsWith.call(s, v.text, start)) return v;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds `value` (its text absent; `h` = hashRange(value.text, 0, value.text.length)). */
  set(h: number, value: V): void {
    if ((this.vals.length + 1) * 2 > this.mask + 1) this.grow();
    const e = this.vals.length;
    this.vals.push(value);
    this.place(h, e, value.text.length);
  }

  clear(): void {
    this.vals = [];
    for (let i = 1; i < this.table.length; i += 3) this.table[i] = -1;
  }

  private place(h: number, e: number, len: number): void {
    const t = this.table;
    let slot = mix(h) & this.mask;
    while (t[3 * slot + 1] !== -1) slot = (slot + 1) & this.mask;
    t[3 * slot] = h;
    t[3 * slot + 1] = e;
    t[3 * slot + 2] = len;
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    this.table = TextIndex.emptyTable(cap);
    this.mask = cap - 1;
    for (let s = 0; s < old.length; s += 3) if (old[s + 1] !== -1) this.place(old[s]!, old[s + 1]!, old[s + 2]!);
  }
}

const startsWith = String.prototype.startsWith;

/** FNV-1a hash of s.slice(start, end). */
export function hashRange(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
