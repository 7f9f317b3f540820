// A multinomial logistic-regression (softmax) classifier over hashed sparse features (hash.ts), trained with
// AdaGrad SGD: the model family of fastText's supervised mode, without the embedding bottleneck. Deterministic
// (seeded shuffling), synchronous, seconds to train on our corpus, microseconds to apply, no allocation per call.
import { FeatureBuffer, HashIndex } from './hash.js';

export interface LinearTrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  /** Features seen in fewer training messages than this are dropped. */
  minCount: number;
  seed: number;
}

export const DEFAULT_TRAIN: LinearTrainOptions = { epochs: 20, learningRate: 0.5, l2: 1e-6, minCount: 1, seed: 42 };

export interface LinearModelJSON {
  classes: string[];
  /** Feature hashes as little-endian int32, base64. */
  features: string;
  /** Row-major [feature][class] weights as little-endian int16, base64; real weight = int16 * scale. */
  weights: string;
  scale: number;
  bias: number[];
  /** Softmax temperature (default 1). */
  temperature?: number;
}

export interface SparseSample {
  hashes: Int32Array;
  vals: Float32Array;
}

export class LinearModel {
  readonly classes: string[];
  /** Softmax temperature: probabilities are softmax(z / temperature). Fitted after training, saved with the model. */
  temperature = 1;
  private readonly index: HashIndex;
  private readonly hashes: Int32Array;
  private readonly w: Float32Array;
  private readonly b: Float32Array;
  private readonly nC: number;
  // Scratch buffers reused by every call (single-threaded; score() is not re-entrant).
  private readonly z: Float64Array;
  private ids = new Int32Array(256);
  private cnt = new Float32Array(256);
  // A small open-addressing set (id -> position in ids/cnt) to merge repeated features; generation-stamped so it
  // never needs clearing, and small enough to stay in L1.
  private dedupKey = new Int32Array(1024);
  private dedupPos = new Int32Array(1024);
  private dedupGen = new Int32Array(1024);
  private gen = 0;

  private constructor(classes: string[], hashes: Int32Array, w: Float32Array, b: Float32Array) {
    this.classes = classes;
    this.nC = classes.length;
    this.hashes = hashes;
    this.index = new HashIndex(hashes);
    this.w = w;
    this.b = b;
    this.z = new Float64Array(this.nC);
    this.acc = new Float64Array(this.nC);
  }

  get featureCount(): number {
    return this.hashes.length;
  }

  /** Dense id of a feature hash, -1 when the model does not know it. */
  idOf(hash: number): number {
    return this.index.get(hash);
  }

  /** Adds `scale` times the weight row of feature `id` to `acc` (length = classes). */
  addRow(id: number, scale: number, acc: Float64Array): void {
    const { nC, w } = this;
    const o = id * nC;
    for (let c = 0; c < nC; c++) acc[c]! += w[o + c]! * scale;
  }

  // ---- the incremental path -------------------------------------------------------------------------------------
  // score() over a FeatureBuffer hashes, looks up and fetches one weight row per feature of the message. The agent
  // instead caches, per word, the dense ids of the word's features and the sum of their weight rows, and feeds them
  // here: begin(), then every feature occurrence to `occ` (in the order score() would see them, so that the merged
  // counts and the norm are bit-identical) and its weights once to `acc`, through addRow or a cached sum; finish()
  // applies the same L2 normalisation and softmax as score(). Only the association of the weighted sum differs
  // (Σ w·cnt·norm vs norm·Σ w·value): probabilities agree with score() to ~1e-15.
  /** The message's distinct features and merged counts (filled by the caller between begin() and finish()). */
  readonly occ = new Occurrences();
  /** Σ weight·value of the message's feature occurrences (filled by the caller between begin() and finish()). */
  readonly acc: Float64Array;

  begin(): Float64Array {
    this.occ.reset();
    const acc = this.acc;
    for (let c = 0; c < acc.length; c++) acc[c] = 0;
    return acc;
  }

  /** One occurrence of known feature `id` with `value` (a float32 value, as a FeatureBuffer holds). */
  occur(id: number, value: number): void {
    this.occ.add(id, value);
  }

  /** Probabilities from the occurrences and `acc` since begin(), written into `out` (as score() would). */
  finish(out: Float64Array): Float64Array {
    const { acc, occ } = this;
    const { cnt, sum, ids } = occ;
    const n = occ.n;
    let norm = 0;
    for (let k = 0; k < n; k++) {
      const c = cnt[k]!;
      norm += c * c;
      // A feature seen several times: score() weighs it by its float32 running count, `acc` holds the exact sum.
      const d = c - sum[k]!;
      if (d !== 0) this.addRow(ids[k]!, d, acc);
    }
    return this.finishFrom(acc, norm, out);
  }

  /**
   * Probabilities from `acc` (Σ weight·value) and `sumSq` (Σ merged count², the squared norm), as score() would:
   * the incremental path's last step, for callers that keep the counts themselves.
   */
  finishFrom(acc: Float64Array, sumSq: number, out: Float64Array): Float64Array {
    const { nC, z } = this;
    const norm = sumSq > 0 ? 1 / Math.sqrt(sumSq) : 0;
    for (let c = 0; c < nC; c++) z[c] = this.b[c]! + acc[c]! * norm;
    return this.softmax(out);
  }

  private softmax(out: Float64Array): Float64Array {
    const { nC, z } = this;
    const invT = 1 / this.temperature;
    let max = -Infinity;
    for (let c = 0; c < nC; c++) if (z[c]! > max) max = z[c]!;
    let sum = 0;
    for (let c = 0; c < nC; c++) {
      const e = Math.exp((z[c]! - max) * invT);
      out[c] = e;
      sum += e;
    }
    for (let c = 0; c < nC; c++) out[c]! /= sum;
    return out;
  }

  static fromJSON(json: LinearModelJSON): LinearModel {
    const nC = json.classes.length;
    const fb = Buffer.from(json.features, 'base64');
    const nF = fb.length / 4;
    const hashes = new Int32Array(nF);
    for (let i = 0; i < nF; i++) hashes[i] = fb.readInt32LE(i * 4);
    const wb = Buffer.from(json.weights, 'base64');
    if (wb.length !== nF * nC * 2 || json.bias.length !== nC) throw new Error('linear model: bad shape');
    const w = new Float32Array(nF * nC);
    for (let i = 0; i < w.length; i++) w[i] = wb.readInt16LE(i * 2) * json.scale;
    const m = new LinearModel(json.classes, hashes, w, Float32Array.from(json.bias));
    m.temperature = json.temperature ?? 1;
    return m;
  }

  /** Weights quantised to int16 (error < 1/65534 of the largest weight): a compact file that loads fast. */
  toJSON(): LinearModelJSON {
    const fb = Buffer.alloc(this.hashes.length * 4);
    for (let i = 0; i < this.hashes.length; i++) fb.writeInt32LE(this.hashes[i]!, i * 4);
    let max = 0;
    for (const x of this.w) max = Math.max(max, Math.abs(x));
    const scale = max > 0 ? max / 32767 : 1;
    const wb = Buffer.alloc(this.w.length * 2);
    for (let i = 0; i < this.w.length; i++) wb.writeInt16LE(Math.round(this.w[i]! / scale), i * 2);
    return {
      classes: this.classes,
      features: fb.toString('base64'),
      weights: wb.toString('base64'),
      scale,
      bias: Array.from(this.b, (x) => Math.round(x * 1e6) / 1e6),
      temperature: this.temperature,
    };
  }

  private vectorize(buf: FeatureBuffer): number {
    if (buf.n * 2 > this.dedupKey.length) {
      let cap = this.dedupKey.length;
      while (cap < buf.n * 2) cap *= 2;
      this.dedupKey = new Int32Array(cap);
      this.dedupPos = new Int32Array(cap);
      this.dedupGen = new Int32Array(cap);
      this.gen = 0;
    }
    if (buf.n > this.ids.length) {
      this.ids = new Int32Array(buf.n * 2);
      this.cnt = new Float32Array(buf.n * 2);
    }
    if (this.gen >= 0x3fffffff) {
      this.gen = 0;
      this.dedupGen.fill(0);
    }
    const gen = ++this.gen;
    const { dedupKey, dedupPos, dedupGen, ids, cnt } = this;
    const mask = dedupKey.length - 1;
    let n = 0;
    for (let k = 0; k < buf.n; k++) {
      const id = this.index.get(buf.hashes[k]!);
      if (id < 0) continue;
      const v = buf.vals[k]!;
      let s = Math.imul(id, 0x9e3779b1) >>> 22 & mask;
      for (;;) {
        if (dedupGen[s] !== gen) {
          dedupGen[s] = gen;
          dedupKey[s] = id;
          dedupPos[s] = n;
          ids[n] = id;
          cnt[n] = v;
          n++;
          break;
        }
        if (dedupKey[s] === id) {
          cnt[dedupPos[s]!]! += v;
          break;
        }
        s = (s + 1) & mask;
      }
    }
    return n;
  }

  /** Class probabilities (softmax) for one message's features, written into `out` and returned. */
  score(buf: FeatureBuffer, out: Float64Array = new Float64Array(this.nC)): Float64Array {
    const n = this.vectorize(buf);
    const { nC, w, z, ids, cnt } = this;
    let norm = 0;
    for (let k = 0; k < n; k++) norm += cnt[k]! * cnt[k]!;
    norm = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < nC; c++) z[c] = this.b[c]!;
    for (let k = 0; k < n; k++) {
      const o = ids[k]! * nC;
      const v = cnt[k]! * norm;
      for (let c = 0; c < nC; c++) z[c]! += w[o + c]! * v;
    }
    return this.softmax(out);
  }

  static train(samples: readonly SparseSample[], labels: readonly number[], classes: string[], options: Partial<LinearTrainOptions> = {}): LinearModel {
    const opt = { ...DEFAULT_TRAIN, ...options };
    const nC = classes.length;
    // Document frequency of each hash.
    const df = new Map<number, number>();
    for (const s of samples) {
      const seen = new Set<number>();
      for (const h of s.hashes) if (!seen.has(h)) {
        seen.add(h);
        df.set(h, (df.get(h) ?? 0) + 1);
      }
    }
    const vocab: number[] = [];
    const position = new Map<number, number>();
    for (const [h, c] of df)
      if (c >= opt.minCount) {
        position.set(h, vocab.length);
        vocab.push(h);
      }
    const D = vocab.length;
    const data = samples.map((s) => {
      const m = new Map<number, number>();
      for (let k = 0; k < s.hashes.length; k++) {
        const i = position.get(s.hashes[k]!);
        if (i !== undefined) m.set(i, (m.get(i) ?? 0) + s.vals[k]!);
      }
      const ids = Int32Array.from(m.keys());
      const vals = Float32Array.from(m.values());
      let norm = 0;
      for (const v of vals) norm += v * v;
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < vals.length; k++) vals[k]! /= norm;
      return { ids, vals };
    });
    const w = new Float32Array(D * nC);
    const g2 = new Float32Array(D * nC).fill(1e-8);
    const b = new Float32Array(nC);
    const gb2 = new Float32Array(nC).fill(1e-8);
    const z = new Float64Array(nC);
    const order = samples.map((_, i) => i);
    let seed = opt.seed >>> 0 || 1;
    const rnd = () => {
      // xorshift32
      seed ^= seed << 13;
      seed >>>= 0;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      seed >>>= 0;
      return seed / 4294967296;
    };
    const lr = opt.learningRate;
    for (let ep = 0; ep < opt.epochs; ep++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      for (const n of order) {
        const { ids, vals } = data[n]!;
        const y = labels[n]!;
        for (let c = 0; c < nC; c++) z[c] = b[c]!;
        for (let k = 0; k < ids.length; k++) {
          const o = ids[k]! * nC;
          const v = vals[k]!;
          for (let c = 0; c < nC; c++) z[c]! += w[o + c]! * v;
        }
        let max = -Infinity;
        for (let c = 0; c < nC; c++) if (z[c]! > max) max = z[c]!;
        let sum = 0;
        for (let c = 0; c < nC; c++) {
          z[c] = Math.exp(z[c]! - max);
          sum += z[c]!;
        }
        for (let c = 0; c < nC; c++) {
          const g = z[c]! / sum - (c === y ? 1 : 0);
          gb2[c]! += g * g;
          b[c]! -= (lr * g) / Math.sqrt(gb2[c]!);
          for (let k = 0; k < ids.length; k++) {
            const o = ids[k]! * nC + c;
            const gg = g * vals[k]! + opt.l2 * w[o]!;
            g2[o]! += gg * gg;
            w[o]! -= (lr * gg) / Math.sqrt(g2[o]!);
          }
        }
      }
    }
    return new LinearModel(classes, Int32Array.from(vocab), w, b);
  }
}

/**
 * The distinct features of one message in order of first occurrence, with their counts merged as vectorize() merges
 * them (a float32 running sum) and as an exact double sum. A small generation-stamped open-addressing table (id ->
 * position) finds repeats; it never needs clearing.
 */
export class Occurrences {
  n = 0;
  ids = new Int32Array(256);
  cnt = new Float32Array(256);
  sum = new Float64Array(256);
  /** [generation, id, position, unused] per slot. */
  private table = new Int32Array(4 << 10);
  private shift = 32 - 10;
  private gen = 1;

  reset(): void {
    this.n = 0;
    if (++this.gen >= 0x3fffffff) {
      this.gen = 1;
      this.table.fill(0);
    }
  }

  /** One occurrence of `id` with value `v`. */
  add(id: number, v: number): void {
    if ((this.n + 1) * 2 > this.table.length >> 2 || this.n === this.ids.length) this.reserve(1);
    this.put(id, v);
  }

  /** `count` occurrences: ids src[at .. at+count), the first `nW` with value vW, the others vC. */
  addRun(src: Int32Array, at: number, count: number, nW: number, vW: number, vC: number): void {
    if ((this.n + count) * 2 > this.table.length >> 2 || this.n + count > this.ids.length) this.reserve(count);
    for (let k = 0; k < count; k++) this.put(src[at + k]!, k < nW ? vW : vC);
  }

  /** One occurrence (room reserved). */
  private put(id: number, v: number): void {
    const t = this.table;
    const b = probe(t, this.gen, id, this.shift);
    if (t[b] !== this.gen) {
      const n = this.n++;
      t[b] = this.gen;
      t[b + 1] = id;
      t[b + 2] = n;
      this.ids[n] = id;
      this.cnt[n] = v;
      this.sum[n] = v;
    } else {
      const p = t[b + 2]!;
      this.cnt[p]! += v; // float32 running count, as vectorize() keeps it
      this.sum[p]! += v;
    }
  }

  /** Room for `more` new entries (a larger table keeps the entries so far). */
  private reserve(more: number): void {
    const need = this.n + more;
    if (need > this.ids.length) {
      let len = this.ids.length;
      while (len < need) len *= 2;
      const ids = new Int32Array(len);
      ids.set(this.ids.subarray(0, this.n));
      const cnt = new Float32Array(len);
      cnt.set(this.cnt.subarray(0, this.n));
      const sum = new Float64Array(len);
      sum.set(this.sum.subarray(0, this.n));
      this.ids = ids;
      this.cnt = cnt;
      this.sum = sum;
    }
    let cap = this.table.length >> 2;
    if (need * 2 <= cap) return;
    while (need * 2 > cap) cap *= 2;
    this.table = new Int32Array(cap * 4);
    this.shift = 32 - Math.log2(cap);
    this.gen = 1;
    const t = this.table;
    const mask = cap - 1;
    for (let k = 0; k < this.n; k++) {
      const id = this.ids[k]!;
      let s = Math.imul(id, 0x9e3779b1) >>> this.shift;
      while (t[s << 2] === 1) s = (s + 1) & mask;
      t[s << 2] = 1;
      t[(s << 2) + 1] = id;
      t[(s << 2) + 2] = k;
    }
  }
}

/**
 * Distinct features with whole counts (every occurrence worth 1, as in the language model) and Σ count², which is
 * then exact in any order. A generation-stamped open-addressing table: [generation, id, count, unused] per slot.
 */
export class CountSet {
  sumSq = 0;
  private n = 0;
  private table = new Int32Array(4 << 10);
  private shift = 32 - 10;
  private gen = 1;

  reset(): void {
    this.n = 0;
    this.sumSq = 0;
    if (++this.gen >= 0x3fffffff) {
      this.gen = 1;
      this.table.fill(0);
    }
  }

  add(id: number): void {
    if ((this.n + 1) * 2 > this.table.length >> 2) this.grow(this.n + 1);
    this.put(id);
  }

  /** ids src[at .. at+count), one occurrence each. */
  addRun(src: Int32Array, at: number, count: number): void {
    if ((this.n + count) * 2 > this.table.length >> 2) this.grow(this.n + count);
    for (let k = 0; k < count; k++) this.put(src[at + k]!);
  }

  /** One occurrence (room reserved). */
  private put(id: number): void {
    const t = this.table;
    const b = probe(t, this.gen, id, this.shift);
    if (t[b] !== this.gen) {
      t[b] = this.gen;
      t[b + 1] = id;
      t[b + 2] = 1;
      this.n++;
      this.sumSq += 1;
    } else {
      this.sumSq += 2 * t[b + 2]! + 1; // (c + 1)² - c²
      t[b + 2]!++;
    }
  }

  private grow(need: number): void {
    let cap = this.table.length >> 2;
    while (need * 2 > cap) cap *= 2;
    const old = this.table;
    const gen = this.gen;
    this.table = new Int32Array(cap * 4);
    this.shift = 32 - Math.log2(cap);
    this.gen = 1;
    const t = this.table;
    const mask = cap - 1;
    for (let b = 0; b < old.length; b += 4) {
      if (old[b] !== gen) continue;
      let s = Math.imul(old[b + 1]!, 0x9e3779b1) >>> this.shift;
      while (t[s << 2] === 1) s = (s + 1) & mask;
      t[s << 2] = 1;
      t[(s << 2) + 1] = old[b + 1]!;
      t[(s << 2) + 2] = old[b + 2]!;
    }
  }
}

/**
 * The probe shared by Occurrences and CountSet: in a table of 4-int slots [generation, id, ...] (a power-of-two
 * number of slots, 2^(32 - shift)), where an entry of the current generation `gen` is live, the index of the slot
 * that holds `id`, else of the free slot where it goes (t[b] !== gen).
 */
function probe(t: Int32Array, gen: number, id: number, shift: number): number {
  const mask = (t.length >> 2) - 1;
  let s = Math.imul(id, 0x9e3779b1) >>> shift;
  for (;;) {
    const b = s << 2;
    if (t[b] !== gen || t[b + 1] === id) return b;
    s = (s + 1) & mask;
  }
}
