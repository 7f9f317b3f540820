// Hybrid retrieval over the kb_* tables: FTS5 BM25 and vector KNN, fused with Reciprocal Rank Fusion.
//
// A query is first planned (pure text work, no SQL):
// - words: accent-folded, stop words of en/fr/es dropped;
// - spelling: a word absent from the index vocabulary is matched to vocabulary words within edit distance ≤ 2
//   (symmetric-delete lookup, as in SymSpell): "retrun" → return, "shiping" → shipping, "canda" → canada;
// - expansion: the shop thesaurus (lexicon.ts) adds the KB's wording and, for fr/es questions, the English terms;
// - the FTS5 MATCH expression: every word a quoted phrase (plus a quoted prefix for long words, a poor man's
//   stemmer: "retourner" → "retour"*), OR-ed. User text never reaches FTS5 as syntax: quotes, NEAR(, *, -, ^,
//   colons and emoji cannot produce a syntax error.
// Then BM25 top-N and vector KNN top-N (over the embedding of the query plus its corrections and expansions) are
// fused: RRF adds 1/(k + rank) from each list, with k = 20 rather than the customary 60 because a shop KB is small
// and its top ranks are what matter; the score is normalised so that 1 = first in both lists.
// Language preference: a chunk in the requested language keeps its score; an English chunk (the fallback: every
// topic exists in English) is multiplied by 0.85 (about two ranks: a French question gets the French policy when
// one matches, and the English guide when only that covers the topic); a chunk in a third language by 0.5.
// All statements are prepared once per Searcher.
import type BetterSqlite3 from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { KbHit, Language } from '../runtime/contracts.js';
import { expansions as thesaurus } from './lexicon.js';
import { contentWords } from './text.js';

export type SearchMode = 'hybrid' | 'bm25' | 'vector';

export interface SearchOptions {
  /** Number of hits. Default 5. */
  k?: number;
  /** Prefer chunks in this language (English is the fallback). */
  language?: Language;
  /** Retrieval lists used; `hybrid` (default) fuses both. */
  mode?: SearchMode;
  /** Candidates taken from each list before fusion. Default max(50, 4·k). */
  candidates?: number;
  /** Spelling correction and thesaurus expansion. Default true. */
  expand?: boolean;
}

export interface KbSearchHit extends KbHit {
  /** 1-based rank in each list the chunk appeared in (absent: not among that list's candidates). */
  ranks: { bm25?: number; vector?: number };
  /** Cosine similarity to the query, when the chunk was a vector candidate. */
  similarity?: number;
}

/** What a query becomes before it touches the index. */
export interface QueryPlan {
  query: string;
  /** Content words of the query (folded, stop words removed). */
  words: string[];
  /** Vocabulary words close to misspelt ones (added to the query, the original words stay). */
  corrections: string[];
  /** Thesaurus words added. */
  expansions: string[];
  /** FTS5 MATCH expression; undefined when nothing searchable is left. */
  match?: string;
  /** The text to embed for the vector list. */
  embedText: string;
}

export const RRF_K = 20;
const BM25_WEIGHTS = { title: 4, heading: 3, text: 1 };
const LANGUAGE_FALLBACK = 0.85;
const LANGUAGE_OTHER = 0.5;
const BM25_WEIGHT = 1;
const VECTOR_WEIGHT = 1;
const MAX_TERMS = 48;

/** A safe FTS5 MATCH expression for free text (no correction or expansion), or undefined when nothing is left. */
export function ftsQuery(text: string): string | undefined {
  return matchExpression(contentWords(text));
}

function matchExpression(words: Iterable<string>): string | undefined {
  const terms = new Set<string>();
  for (const word of words) {
    if (terms.size >= MAX_TERMS) break;
    // contentWords yields only letters and digits, so the quotes cannot be closed early.
    terms.add(`"${word}"`);
    // Prefix of a long word: inflections and derivations in all three languages (shipping/shipped, envío/envíos,
    // retourner/retour, devolver/devolución). 5–7 characters, the lengths kb_fts keeps a prefix index for.
    if (word.length >= 6 && !/\d/.test(word)) terms.add(`"${word.slice(0, Math.min(7, Math.max(5, word.length - 3)))}"*`);
  }
  return terms.size ? [...terms].join(' OR ') : undefined;
}

interface ChunkRow {
  source: string;
  title: string;
  heading: string;
  text: string;
  language: Language;
}

export class Searcher {
  private readonly bm25: BetterSqlite3.Statement<[string, number], { id: number }>;
  private readonly knn: BetterSqlite3.Statement<[Float32Array, number], { id: number; distance: number }>;
  private readonly chunk: BetterSqlite3.Statement<[number], ChunkRow>;
  private speller?: Speller;
  // The index as read at construction (a Searcher is replaced after every ingest): chunk rows and unit vectors in
  // memory, so a query costs no row fetches and the KNN is one pass of dot products over a few hundred vectors
  // instead of a vec0 scan.
  private readonly rows = new Map<number, ChunkRow | undefined>();
  private vectors?: VectorMatrix | null;
  // The FTS5 query is the costliest step of a search, and messages that differ only in stop words (greetings,
  // thanks, "please") make the same MATCH expression: its ranked ids are kept. A re-ingest makes a new Searcher.
  private readonly bm25Ids = new LRUCache<string, number[]>({ max: 10_000 });

  constructor(private readonly db: BetterSqlite3.Database) {
    const w = BM25_WEIGHTS;
    this.bm25 = db.prepare(
      `SELECT rowid AS id FROM kb_fts WHERE kb_fts MATCH ? ORDER BY bm25(kb_fts, ${w.title}, ${w.heading}, ${w.text}) LIMIT ?`,
    );
    this.knn = db.prepare('SELECT chunk_id AS id, distance FROM kb_vec WHERE embedding MATCH ? AND k = ?');
    this.chunk = db.prepare(
      `SELECT d.source, c.title, c.heading, c.text, c.language
         FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id WHERE c.id = ?`,
    );
  }

  plan(query: string, options: SearchOptions = {}): QueryPlan {
    const words = contentWords(query);
    if (options.expand === false) return { query, words, corrections: [], expansions: [], match: matchExpression(words), embedText: query };
    this.speller ??= new Speller(this.db);
    const corrections: string[] = [];
    // Bounded work whatever the input: the first 32 words, each up to 24 characters, are checked.
    for (const w of words.slice(0, 32)) for (const c of this.speller.correct(w)) if (!corrections.includes(c)) corrections.push(c);
    const corrected = corrections.length ? `${query} ${corrections.join(' ')}` : query;
    const expansions = thesaurus(corrected, options.language)
      .map((e) => e.word)
      .filter((w) => !corrections.includes(w));
    return {
      query,
      words,
      corrections,
      expansions,
      match: matchExpression([...words, ...corrections, ...expansions]),
      embedText: expansions.length ? `${corrected} ${expansions.join(' ')}` : corrected,
    };
  }

  /** Runs a plan: BM25 and/or KNN candidates, RRF fusion, language preference, top k. */
  run(plan: QueryPlan, vector: Float32Array | undefined, options: SearchOptions = {}): KbSearchHit[] {
    const k = Math.max(0, Math.floor(options.k ?? 5));
    if (k === 0) return [];
    const mode = options.mode ?? 'hybrid';
    const n = Math.min(Math.max(options.candidates ?? 50, k * 4), 4096); // 4096: vec0's largest k

    const fused = new Map<number, { score: number; ranks: KbSearchHit['ranks']; similarity?: number }>();
    const entry = (id: number) => {
      let e = fused.get(id);
      if (!e) fused.set(id, (e = { score: 0, ranks: {} }));
      return e;
    };
    let best = 0;
    if (mode !== 'vector' && plan.match) {
      best += BM25_WEIGHT / (RRF_K + 1);
      let rank = 0;
      for (const id of this.bm25Top(plan.match, n)) {
        const e = entry(id);
        e.ranks.bm25 = ++rank;
        e.score += BM25_WEIGHT / (RRF_K + rank);
      }
    }
    if (mode !== 'bm25' && vector && isNonZero(vector)) {
      best += VECTOR_WEIGHT / (RRF_K + 1);
      let rank = 0;
      for (const { id, distance } of this.nearest(vector, n)) {
        const e = entry(id);
        e.ranks.vector = ++rank;
        e.similarity = 1 - distance;
        e.score += VECTOR_WEIGHT / (RRF_K + rank);
      }
    }
    if (!best || !fused.size) return [];

    const ordered = [...fused.entries()].sort((a, b) => b[1].score - a[1].score);
    const language = options.language;
    const hits: KbSearchHit[] = [];
    for (const [id, e] of ordered) {
      // The language factor is ≤ 1: once k hits are in hand, a candidate whose unpenalised score cannot beat the
      // k-th is not read at all.
      if (hits.length >= k && e.score / best <= (hits[k - 1]?.score ?? 0)) break;
      let row = this.rows.get(id);
      if (row === undefined && !this.rows.has(id)) this.rows.set(id, (row = this.chunk.get(id)));
      if (!row) continue;
      const factor = !language || row.language === language ? 1 : row.language === 'en' ? LANGUAGE_FALLBACK : LANGUAGE_OTHER;
      const hit: KbSearchHit = { ...row, score: round((e.score / best) * factor), ranks: e.ranks };
      if (e.similarity !== undefined) hit.similarity = round(e.similarity);
      insertSorted(hits, hit, k);
    }
    return hits;
  }

  /** The ids of `match`'s n best BM25 matches, best first. */
  private bm25Top(match: string, n: number): number[] {
    const key = `${n} ${match}`;
    let ids = this.bm25Ids.get(key);
    if (!ids) this.bm25Ids.set(key, (ids = this.bm25.all(match, n).map((r) => r.id)));
    return ids;
  }

  /** The n chunks nearest to `vector` by cosine distance (vec0's metric), nearest first. */
  private nearest(vector: Float32Array, n: number): { id: number; distance: number }[] {
    if (this.vectors === undefined) this.vectors = readVectors(this.db);
    if (!this.vectors) return this.knn.all(vector, n);
    const { ids, dims, columns, norms } = this.vectors;
    if (vector.length !== dims) return [];
    const count = ids.length;
    // A query embeds a few words: most of its dimensions are zero, so only the others are multiplied. Dimension by
    // dimension over a column-major matrix: each chunk's dot product still adds its terms in dimension order.
    const dot = new Float64Array(count);
    let qq = 0;
    for (let i = 0; i < dims; i++) {
      const q = vector[i]!;
      if (q === 0) continue;
      qq += q * q;
      for (let j = 0, at = i * count; j < count; j++, at++) dot[j] = dot[j]! + columns[at]! * q;
    }
    const qn = Math.sqrt(qq);
    const distance = new Float32Array(count);
    for (let j = 0; j < count; j++) {
      const norm = qn * norms[j]!;
      distance[j] = norm > 0 ? 1 - dot[j]! / norm : 1;
    }
    return nearestFirst(this.vectors, distance, n).map((j) => ({ id: ids[j]!, distance: distance[j]! }));
  }
}

/**
 * The rows of the n smallest distances, ties by id. Sorted as numbers (a typed-array sort, no comparator calls):
 * each key is the distance's float32 bits made order-preserving as an unsigned integer, times the row count, plus
 * the row's id rank — exact in a double while rows < 2^21.
 */
function nearestFirst(m: VectorMatrix, distance: Float32Array, n: number): number[] {
  const count = m.ids.length;
  if (count >= 2 ** 21) {
    const order = [...m.ids.keys()].sort((a, b) => distance[a]! - distance[b]! || m.ids[a]! - m.ids[b]!);
    return order.slice(0, n);
  }
  const bits = new Uint32Array(distance.buffer, distance.byteOffset, count);
  const keys = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    if (distance[j] === 0) distance[j] = 0; // -0 sorts with +0
    const b = bits[j]!;
    const ordered = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    keys[j] = ordered * count + m.idRank[j]!;
  }
  keys.sort();
  const out: number[] = new Array<number>(Math.min(n, count));
  for (let r = 0; r < out.length; r++) out[r] = m.byIdRank[keys[r]! % count]!;
  return out;
}

/** Every chunk's vector and norm; the vectors as the columns of a dims × chunks matrix (column-major: a query
 * dimension's weights for all chunks are contiguous). */
interface VectorMatrix {
  ids: number[];
  dims: number;
  columns: Float32Array;
  norms: Float64Array;
  /** Each row's place in id order, and the row at each place. */
  idRank: Int32Array;
  byIdRank: Int32Array;
}

/** kb_vec read as a table; null when it cannot be (vec0 answers then). */
function readVectors(db: BetterSqlite3.Database): VectorMatrix | null {
  let all: { id: number; embedding: Buffer }[];
  try {
    all = db.prepare('SELECT chunk_id AS id, embedding FROM kb_vec').all() as { id: number; embedding: Buffer }[];
  } catch {
    return null;
  }
  const dims = (all[0]?.embedding.byteLength ?? 0) / 4;
  // vec0 gives every row the table's dims; anything else is not a matrix.
  if (all.some((r) => r.embedding.byteLength !== dims * 4)) return null;
  const columns = new Float32Array(all.length * dims);
  const norms = new Float64Array(all.length);
  all.forEach((r, j) => {
    const v = new Float32Array(r.embedding.buffer.slice(r.embedding.byteOffset, r.embedding.byteOffset + r.embedding.byteLength));
    for (let i = 0; i < dims; i++) columns[i * all.length + j] = v[i]!;
    norms[j] = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  });
  const ids = all.map((r) => r.id);
  const byIdRank = Int32Array.from(ids.keys()).sort((a, b) => ids[a]! - ids[b]!);
  const idRank = new Int32Array(ids.length);
  byIdRank.forEach((j, rank) => (idRank[j] = rank));
  return { ids, dims, columns, norms, idRank, byIdRank };
}

/**
 * Spelling correction against the index vocabulary (kb_fts_vocab) by symmetric deletes: every vocabulary word and
 * every one-character deletion of it is a key; a query word and its deletions are looked up. That finds words within
 * edit distance 2 (insertions, deletions, substitutions, transpositions) in a handful of hash lookups.
 */
class Speller {
  private readonly vocabulary = new Map<string, number>(); // word → documents containing it
  private readonly deletes = new Map<string, string[]>();

  constructor(db: BetterSqlite3.Database) {
    const rows = db.prepare("SELECT term, doc FROM kb_fts_vocab WHERE term GLOB '[a-z]*'").all() as { term: string; doc: number }[];
    for (const { term, doc } of rows) {
      this.vocabulary.set(term, doc);
      if (term.length < 4 || /\d/.test(term)) continue;
      this.add(term, term);
      for (let i = 0; i < term.length; i++) this.add(term.slice(0, i) + term.slice(i + 1), term);
    }
  }

  private add(key: string, term: string): void {
    const list = this.deletes.get(key);
    if (!list) this.deletes.set(key, [term]);
    else if (!list.includes(term)) list.push(term);
  }

  private readonly corrected = new Map<string, string[]>();

  /** Up to two vocabulary words for a word the index does not contain (closest first, then most frequent). */
  correct(word: string): string[] {
    let c = this.corrected.get(word);
    if (!c) {
      c = this.lookup(word);
      if (this.corrected.size >= 50_000) this.corrected.clear();
      this.corrected.set(word, c);
    }
    return [...c];
  }

  private lookup(word: string): string[] {
    if (word.length < 4 || word.length > 24 || /\d/.test(word) || this.vocabulary.has(word)) return [];
    const found = new Map<string, number>();
    const consider = (key: string) => {
      for (const term of this.deletes.get(key) ?? []) if (!found.has(term)) found.set(term, osaDistance(word, term));
    };
    consider(word);
    for (let i = 0; i < word.length; i++) consider(word.slice(0, i) + word.slice(i + 1));
    return [...found.entries()]
      .filter(([, d]) => d <= 2)
      .sort((a, b) => a[1] - b[1] || (this.vocabulary.get(b[0]) ?? 0) - (this.vocabulary.get(a[0]) ?? 0))
      .slice(0, 2)
      .map(([term]) => term);
  }
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function osaDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n] ?? 0;
}

function insertSorted(hits: KbSearchHit[], hit: KbSearchHit, k: number): void {
  let i = hits.length;
  while (i > 0 && (hits[i - 1]?.score ?? 0) < hit.score) i--;
  hits.splice(i, 0, hit);
  if (hits.length > k) hits.length = k;
}

function isNonZero(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return true;
  return false;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
