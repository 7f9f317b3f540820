// The knowledge base inside the platform's SQLite file: documents, chunks, an FTS5 index and a sqlite-vec index.
//
//   kb_meta        key/value: embedder_id, embedder_dims, chunker, ingested_at, source_dir, schema
//   kb_documents   one row per source file, with its content hash (unchanged hash = skipped on re-ingest)
//   kb_chunks      the retrievable sections; kb_fts mirrors them through triggers (external-content FTS5)
//   kb_fts         FTS5 (title, heading, text), unicode61 with diacritics removed: "envio" finds "envío"
//   kb_fts_vocab   fts5vocab over kb_fts: the vocabulary the spelling correction draws from
//   kb_vec         vec0, one unit vector per chunk, cosine distance; its dims follow the embedder
//
// Ingest is idempotent and incremental, and writes in one transaction: a reader sees the old KB or the new one.
// A different embedder (id or dims) than the one the index was built with rebuilds everything.
import type BetterSqlite3 from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { LANGUAGES, type Language } from '../runtime/contracts.js';
import { CHUNKER_VERSION, readKnowledgeFolder, type ChunkOptions, type KbChunk, type KbDocument } from './chunk.js';
import { HASHED_NGRAMS_ID, HashedNgramEmbedder, type Embedder } from './embed.js';
import { Searcher, type KbSearchHit, type QueryPlan, type SearchOptions } from './search.js';

export type Database = BetterSqlite3.Database;

const SCHEMA_VERSION = '1';
const DEFAULT_DIMS = 512;
// vec0 stores vectors in blobs of chunk_size vectors and reads whole blobs on a KNN query. The default (1,024)
// makes a query over a shop-sized KB (hundreds of chunks) copy a 2 MB blob; 256 is 3–4× faster here.
const VEC_CHUNK_SIZE = 256;

export interface IngestOptions extends ChunkOptions {
  /** Re-embed and rewrite every document even when its content hash is unchanged. */
  force?: boolean;
  /** Texts per embedder call (matters for remote embedders). Default 64. */
  batchSize?: number;
  /** Called as the ingest advances (read, embed, write). */
  onProgress?: (event: IngestProgress) => void;
  now?: () => Date;
}

export type IngestProgress =
  | { phase: 'read'; documents: number; skipped: number }
  | { phase: 'embed'; done: number; total: number }
  | { phase: 'write'; added: number; updated: number; removed: number };

export interface IngestResult {
  /** Documents and chunks in the index after the ingest. */
  documents: number;
  chunks: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** Files skipped because of their extension. */
  skipped: number;
  skippedFiles: string[];
  /** Documents per language after the ingest. */
  languages: Record<Language, number>;
  /** Chunks embedded by this run. */
  embedded: number;
  embedder: { id: string; dims: number };
  /** True when the whole index was rebuilt (first ingest, other embedder, or force). */
  rebuilt: boolean;
  ingestedAt: string;
}

export interface KbInfo {
  embedder?: { id: string; dims: number };
  ingestedAt?: string;
  sourceDir?: string;
  documents: number;
  chunks: number;
  languages: Record<Language, number>;
}

/** The embedder recorded in the index differs from the one given: search would compare unrelated vectors. */
export class EmbedderMismatchError extends Error {
  constructor(
    readonly indexed: { id: string; dims: number },
    readonly given: { id: string; dims: number },
  ) {
    super(
      `the knowledge base was embedded with ${indexed.id} (${indexed.dims} dims), not ${given.id} (${given.dims} dims); re-ingest it with ${given.id}`,
    );
    this.name = 'EmbedderMismatchError';
  }
}

export interface OpenOptions {
  /** The embedder for queries. Default: the one the index was built with, when it is the offline one. */
  embedder?: Embedder;
}

/** Creates the kb_* tables if needed (loading sqlite-vec into the connection) and returns the knowledge base. */
export function openKnowledgeBase(db: Database, options: OpenOptions = {}): KnowledgeBase {
  return new KnowledgeBase(db, options);
}

interface Statements {
  docs: BetterSqlite3.Statement<[], { id: number; source: string; hash: string }>;
  insertDoc: BetterSqlite3.Statement<[string, string, string, string, number, string]>;
  updateDoc: BetterSqlite3.Statement<[string, string, string, number, string, number]>;
  deleteDoc: BetterSqlite3.Statement<[number]>;
  chunkIds: BetterSqlite3.Statement<[number], { id: number }>;
  deleteChunks: BetterSqlite3.Statement<[number]>;
  insertChunk: BetterSqlite3.Statement<[number, number, string, string, string, string], { id: number }>;
  insertVec: BetterSqlite3.Statement<[bigint, string, Float32Array]>;
  deleteVec: BetterSqlite3.Statement<[bigint]>;
  setMeta: BetterSqlite3.Statement<[string, string]>;
}

export class KnowledgeBase {
  private statements?: Statements;
  private searcher?: Searcher;
  private queryEmbedder?: Embedder;
  private metaStatement?: BetterSqlite3.Statement<[string], string>;
  private dataVersion?: BetterSqlite3.Statement<[], number>;
  /** What changedElsewhere() last saw: the connection's data version and the last changing ingest's time. */
  private seen?: { version: number; ingestedAt: string | undefined };

  constructor(
    readonly db: Database,
    options: OpenOptions = {},
  ) {
    loadSqliteVec(db);
    this.queryEmbedder = options.embedder;
    db.exec(`
      CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS kb_documents (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        language TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        chunk_count INTEGER NOT NULL,
        ingested_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS kb_chunks (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        title TEXT NOT NULL,
        heading TEXT NOT NULL,
        text TEXT NOT NULL,
        language TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS kb_chunks_document ON kb_chunks(document_id);
      CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(
        title, heading, text,
        content = 'kb_chunks', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '5 6 7'
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts_vocab USING fts5vocab(kb_fts, 'row');
      CREATE TRIGGER IF NOT EXISTS kb_chunks_fts_insert AFTER INSERT ON kb_chunks BEGIN
        INSERT INTO kb_fts(rowid, title, heading, text) VALUES (new.id, new.title, new.heading, new.text);
      END;
      CREATE TRIGGER IF NOT EXISTS kb_chunks_fts_delete AFTER DELETE ON kb_chunks BEGIN
        INSERT INTO kb_fts(kb_fts, rowid, title, heading, text) VALUES ('delete', old.id, old.title, old.heading, old.text);
      END;
      INSERT OR IGNORE INTO kb_meta(key, value) VALUES ('schema', '${SCHEMA_VERSION}');
    `);
    this.createVecTable(this.indexedEmbedder()?.dims ?? DEFAULT_DIMS);
  }

  /** The embedder the index was built with (undefined before the first ingest). */
  indexedEmbedder(): { id: string; dims: number } | undefined {
    const id = this.getMeta('embedder_id');
    const dims = Number(this.getMeta('embedder_dims'));
    return id && dims > 0 ? { id, dims } : undefined;
  }

  info(): KbInfo {
    const counts = this.db.prepare('SELECT (SELECT count(*) FROM kb_documents) AS documents, (SELECT count(*) FROM kb_chunks) AS chunks').get() as {
      documents: number;
      chunks: number;
    };
    return {
      embedder: this.indexedEmbedder(),
      ingestedAt: this.getMeta('ingested_at'),
      sourceDir: this.getMeta('source_dir'),
      ...counts,
      languages: this.languageCounts(),
    };
  }

  /**
   * Reads `dir`, embeds what changed and writes it in one transaction. Unchanged documents (same content hash) are
   * skipped; documents no longer in `dir` are removed. Throws KbSourceError (naming the file) before writing anything.
   */
  async ingest(dir: string, embedder: Embedder, options: IngestOptions = {}): Promise<IngestResult> {
    const now = (options.now ?? (() => new Date()))().toISOString();
    const folder = await readKnowledgeFolder(dir, options);
    options.onProgress?.({ phase: 'read', documents: folder.documents.length, skipped: folder.skipped.length });

    const indexed = this.indexedEmbedder();
    const rebuilt =
      Boolean(options.force) ||
      !indexed ||
      indexed.id !== embedder.id ||
      indexed.dims !== embedder.dims ||
      this.getMeta('chunker') !== CHUNKER_VERSION;
    const existing = new Map(this.stmts().docs.all().map((d) => [d.source, d]));
    const incoming = new Set(folder.documents.map((d) => d.source));
    const removed = [...existing.values()].filter((d) => !incoming.has(d.source));
    const changed = folder.documents.filter((d) => rebuilt || existing.get(d.source)?.hash !== d.hash);

    // Embed outside the transaction (a remote embedder is asynchronous; better-sqlite3 transactions are not).
    const chunks = changed.flatMap((d) => d.chunks);
    const vectors = await embedAll(embedder, chunks.map(embeddingText), options.batchSize ?? 64, (done) =>
      options.onProgress?.({ phase: 'embed', done, total: chunks.length }),
    );

    let added = 0;
    let updated = 0;
    this.db.transaction(() => {
      if (rebuilt) {
        this.db.exec('DELETE FROM kb_chunks; DELETE FROM kb_documents;');
        this.db.exec('DROP TABLE IF EXISTS kb_vec');
        this.statements = undefined;
        this.searcher = undefined;
        this.createVecTable(embedder.dims);
      }
      const s = this.stmts();
      for (const doc of removed) this.deleteDocument(doc.id, true);
      let v = 0;
      for (const doc of changed) {
        const before = rebuilt ? undefined : existing.get(doc.source);
        let id: number;
        if (before) {
          this.deleteDocument(before.id, false);
          s.updateDoc.run(doc.title, doc.language, doc.hash, doc.chunks.length, now, before.id);
          id = before.id;
          updated++;
        } else {
          id = Number(s.insertDoc.run(doc.source, doc.title, doc.language, doc.hash, doc.chunks.length, now).lastInsertRowid);
          if (existing.has(doc.source)) updated++;
          else added++;
        }
        for (const chunk of doc.chunks) {
          const row = s.insertChunk.get(id, chunk.ordinal, chunk.title, chunk.heading, chunk.text, chunk.language);
          const vector = vectors[v++];
          if (!row || !vector) throw new Error(`internal: no row or vector for ${chunk.source}#${chunk.ordinal}`);
          s.insertVec.run(BigInt(row.id), chunk.language, vector);
        }
      }
      // Merge the FTS5 segments into one b-tree: fewer pages per query (about 20 % faster on the demo KB).
      if (added || updated || removed.length) this.db.exec("INSERT INTO kb_fts(kb_fts) VALUES ('optimize')");
      s.setMeta.run('embedder_id', embedder.id);
      s.setMeta.run('embedder_dims', String(embedder.dims));
      s.setMeta.run('chunker', CHUNKER_VERSION);
      // The time of the last ingest that changed something: a restart over the same folder leaves the data as it was.
      if (added || updated || removed.length || !this.getMeta('ingested_at')) s.setMeta.run('ingested_at', now);
      s.setMeta.run('source_dir', dir);
    })();
    this.searcher = undefined; // its spelling vocabulary is the old one
    if (this.seen) this.seen.ingestedAt = this.getMeta('ingested_at'); // this connection's own change
    options.onProgress?.({ phase: 'write', added, updated, removed: removed.length });
    if (!this.queryEmbedder || this.queryEmbedder.id !== embedder.id || this.queryEmbedder.dims !== embedder.dims) {
      this.queryEmbedder = embedder;
    }

    const info = this.info();
    return {
      documents: info.documents,
      chunks: info.chunks,
      added,
      updated,
      removed: removed.length,
      unchanged: folder.documents.length - changed.length,
      skipped: folder.skipped.length,
      skippedFiles: folder.skipped,
      languages: info.languages,
      embedded: chunks.length,
      embedder: { id: embedder.id, dims: embedder.dims },
      rebuilt,
      ingestedAt: now,
    };
  }

  /**
   * Hybrid search (BM25 + vector KNN fused with Reciprocal Rank Fusion), preferring chunks in `language`.
   * Never throws on user text; an empty or never-ingested KB gives no hits.
   */
  async search(query: string, options: SearchOptions = {}): Promise<KbSearchHit[]> {
    const embedder = this.embedderForQueries();
    if (!embedder) return [];
    const searcher = this.getSearcher();
    const plan = searcher.plan(query, options);
    if (options.mode === 'bm25') return searcher.run(plan, undefined, options);
    const vectors = await embedder.embed([plan.embedText]);
    return searcher.run(plan, vectors[0], options);
  }

  /** The same search, synchronously; only for a synchronous embedder such as the offline one. */
  searchSync(query: string, options: SearchOptions = {}): KbSearchHit[] {
    const embedder = this.embedderForQueries();
    if (!embedder) return [];
    const searcher = this.getSearcher();
    const plan = searcher.plan(query, options);
    if (options.mode === 'bm25') return searcher.run(plan, undefined, options);
    const vectors = embedder.embed([plan.embedText]);
    if (vectors instanceof Promise) throw new Error(`searchSync: embedder ${embedder.id} is asynchronous; use search()`);
    return searcher.run(plan, vectors[0], options);
  }

  /** The search with a query vector computed elsewhere (e.g. batched): embed `explain(query).embedText`. */
  searchWithVector(query: string, vector: Float32Array | undefined, options: SearchOptions = {}): KbSearchHit[] {
    const searcher = this.getSearcher();
    return searcher.run(searcher.plan(query, options), vector, options);
  }

  /** How a query is read before it touches the index: words, spelling corrections, thesaurus expansions, MATCH. */
  explain(query: string, options: SearchOptions = {}): QueryPlan {
    return this.getSearcher().plan(query, options);
  }

  /**
   * Whether another connection (`mac kb ingest` next to a running platform) has changed the knowledge base since the
   * last call; if so, what searches had read from it (passages, vectors, spelling vocabulary) is dropped. When nothing
   * was written elsewhere this costs one PRAGMA. The first call only takes note.
   */
  changedElsewhere(): boolean {
    this.dataVersion ??= this.db.prepare<[], number>('PRAGMA data_version').pluck();
    const version = this.dataVersion.get()!;
    if (this.seen?.version === version) return false;
    const ingestedAt = this.getMeta('ingested_at');
    const changed = this.seen !== undefined && this.seen.ingestedAt !== ingestedAt;
    this.seen = { version, ingestedAt };
    if (changed) this.searcher = undefined;
    return changed;
  }

  private getSearcher(): Searcher {
    this.searcher ??= new Searcher(this.db);
    return this.searcher;
  }

  private embedderForQueries(): Embedder | undefined {
    const indexed = this.indexedEmbedder();
    if (!indexed) return undefined;
    const given = this.queryEmbedder;
    if (given) {
      if (given.id !== indexed.id || given.dims !== indexed.dims) throw new EmbedderMismatchError(indexed, given);
      return given;
    }
    if (indexed.id === HASHED_NGRAMS_ID) return (this.queryEmbedder = new HashedNgramEmbedder({ dims: indexed.dims }));
    throw new EmbedderMismatchError(indexed, { id: '(none given)', dims: 0 });
  }

  private deleteDocument(id: number, andRow: boolean): void {
    const s = this.stmts();
    for (const { id: chunkId } of s.chunkIds.all(id)) s.deleteVec.run(BigInt(chunkId));
    s.deleteChunks.run(id);
    if (andRow) s.deleteDoc.run(id);
  }

  private createVecTable(dims: number): void {
    if (!Number.isInteger(dims) || dims <= 0) throw new Error(`invalid embedding dims: ${dims}`);
    this.db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS kb_vec USING vec0(chunk_id INTEGER PRIMARY KEY, language TEXT, embedding float[${dims}] distance_metric=cosine, chunk_size=${VEC_CHUNK_SIZE})`,
    );
  }

  private getMeta(key: string): string | undefined {
    // Read on every search (the embedder check): prepared once.
    this.metaStatement ??= this.db.prepare<[string], string>('SELECT value FROM kb_meta WHERE key = ?').pluck();
    return this.metaStatement.get(key);
  }

  private languageCounts(): Record<Language, number> {
    const counts = Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<Language, number>;
    const rows = this.db.prepare('SELECT language, count(*) AS n FROM kb_documents GROUP BY language').all() as { language: Language; n: number }[];
    for (const r of rows) counts[r.language] = r.n;
    return counts;
  }

  private stmts(): Statements {
    if (this.statements) return this.statements;
    const db = this.db;
    this.statements = {
      docs: db.prepare('SELECT id, source, content_hash AS hash FROM kb_documents'),
      insertDoc: db.prepare(
        'INSERT INTO kb_documents(source, title, language, content_hash, chunk_count, ingested_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      updateDoc: db.prepare(
        'UPDATE kb_documents SET title = ?, language = ?, content_hash = ?, chunk_count = ?, ingested_at = ? WHERE id = ?',
      ),
      deleteDoc: db.prepare('DELETE FROM kb_documents WHERE id = ?'),
      chunkIds: db.prepare('SELECT id FROM kb_chunks WHERE document_id = ?'),
      deleteChunks: db.prepare('DELETE FROM kb_chunks WHERE document_id = ?'),
      insertChunk: db.prepare(
        'INSERT INTO kb_chunks(document_id, ordinal, title, heading, text, language) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      ),
      insertVec: db.prepare('INSERT INTO kb_vec(chunk_id, language, embedding) VALUES (?, ?, ?)'),
      deleteVec: db.prepare('DELETE FROM kb_vec WHERE chunk_id = ?'),
      setMeta: db.prepare('INSERT INTO kb_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
    return this.statements;
  }
}

/** What is embedded for a chunk: its title and heading path give a short section its context. */
export function embeddingText(chunk: KbChunk): string {
  const heading = chunk.headingPath.join(' › ');
  return heading ? `${chunk.title}\n${heading}\n${chunk.text}` : `${chunk.title}\n${chunk.text}`;
}

async function embedAll(
  embedder: Embedder,
  texts: string[],
  batchSize: number,
  progress: (done: number) => void,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize);
    const vectors = await embedder.embed(batch);
    if (vectors.length !== batch.length) {
      throw new Error(`embedder ${embedder.id} returned ${vectors.length} vectors for ${batch.length} texts`);
    }
    for (const v of vectors) {
      if (v.length !== embedder.dims) throw new Error(`embedder ${embedder.id} returned ${v.length} dims, declared ${embedder.dims}`);
      out.push(v);
    }
    progress(out.length);
  }
  return out;
}

function loadSqliteVec(db: Database): void {
  try {
    db.prepare('SELECT vec_version()').pluck().get();
  } catch {
    sqliteVec.load(db);
  }
}

export type { KbDocument };
