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
  }

  get featureCount(): number {
    return this.hashes.length;
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
    const invT = 1 / this.temperature;
    for (let k = 0; k < n; k++) {
      const o = ids[k]! * nC;
      const v = cnt[k]! * norm;
      for (let c = 0; c < nC; c++) z[c]! += w[o + c]! * v;
    }
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
