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
