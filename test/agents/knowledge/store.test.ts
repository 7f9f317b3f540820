import { cp, rm, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashedNgramEmbedder } from '../../../src/agents/knowledge/embed.js';
import { ftsQuery } from '../../../src/agents/knowledge/search.js';
import { EmbedderMismatchError, openKnowledgeBase, type KnowledgeBase } from '../../../src/agents/knowledge/store.js';
import { tempDir } from '../../helpers/cli.js';

const DEMO_KB = fileURLToPath(new URL('../../../data/demo-shop/kb', import.meta.url));

function counts(db: Database.Database) {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    documents: n('SELECT count(*) AS n FROM kb_documents'),
    chunks: n('SELECT count(*) AS n FROM kb_chunks'),
    fts: n('SELECT count(*) AS n FROM kb_fts'),
    vec: n('SELECT count(*) AS n FROM kb_vec'),
  };
}

describe('knowledge base store', () => {
  let dir: string;
  let kbDir: string;
  let cleanup: () => Promise<void>;
  let db: Database.Database;
  let kb: KnowledgeBase;
  const embedder = new HashedNgramEmbedder();

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-kb-store-'));
    kbDir = path.join(dir, 'kb');
    await cp(DEMO_KB, kbDir, { recursive: true });
    db = new Database(path.join(dir, 'platform.db'));
    kb = openKnowledgeBase(db);
  });
  afterEach(async () => {
    db.close();
    await cleanup();
  });

  it('ingests the demo KB, and a second run changes nothing', async () => {
    const first = await kb.ingest(kbDir, embedder);
    expect(first).toMatchObject({ documents: 27, added: 27, updated: 0, removed: 0, unchanged: 0, skipped: 0, rebuilt: true });
    expect(first.languages).toEqual({ en: 21, fr: 3, es: 3 });
    expect(first.embedder).toEqual({ id: 'hashed-ngrams-v1', dims: 512 });
    expect(first.chunks).toBe(first.embedded);
    expect(counts(db)).toEqual({ documents: 27, chunks: first.chunks, fts: first.chunks, vec: first.chunks });

    const second = await kb.ingest(kbDir, embedder);
    expect(second).toMatchObject({ documents: 27, chunks: first.chunks, added: 0, updated: 0, removed: 0, unchanged: 27, embedded: 0, rebuilt: false });
    expect(counts(db)).toEqual({ documents: 27, chunks: first.chunks, fts: first.chunks, vec: first.chunks });

    // A new connection sees the same index and its metadata.
    const again = openKnowledgeBase(db);
    expect(again.info()).toMatchObject({ documents: 27, chunks: first.chunks, embedder: { id: 'hashed-ngrams-v1', dims: 512 } });
    expect((await again.search('return policy', { k: 1 }))[0]?.source).toBe('returns-and-refunds.md');
  });

  it('re-ingests only the edited document, and its old text is gone from both indexes', async () => {
    const first = await kb.ingest(kbDir, embedder);
    const file = path.join(kbDir, 'gift-cards.json');
    await writeFile(
      file,
      JSON.stringify({ title: 'Gift Cards', sections: [{ heading: 'Zephyrine cards', body: 'Zephyrine gift cards never expire and carry no fees.' }] }),
    );
    const docId = (db.prepare("SELECT id FROM kb_documents WHERE source = 'gift-cards.json'").get() as { id: number }).id;
    const second = await kb.ingest(kbDir, embedder);
    expect(second).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 26, embedded: 1, documents: 27 });
    expect((db.prepare("SELECT id FROM kb_documents WHERE source = 'gift-cards.json'").get() as { id: number }).id).toBe(docId);
    const c = counts(db);
    expect(c.chunks).toBe(first.chunks - 7 + 1);
    expect(c).toEqual({ documents: 27, chunks: c.chunks, fts: c.chunks, vec: c.chunks });

    const hits = await kb.search('zephyrine', { k: 3 });
    expect(hits[0]).toMatchObject({ source: 'gift-cards.json', heading: 'Zephyrine cards' });
    const old = await kb.search('lost or missing gift card email', { k: 5, mode: 'bm25' });
    expect(old.some((h) => h.heading === 'Lost or missing gift card email')).toBe(false);
  });

  it('removes deleted documents and adds new ones', async () => {
    const first = await kb.ingest(kbDir, embedder);
    await rm(path.join(kbDir, 'wholesale-b2b.md'));
    await writeFile(path.join(kbDir, 'fr', 'garantie.md'), '# Garantie\n\n## Durée\n\nLes moulins sont garantis cinq ans.\n');
    await writeFile(path.join(kbDir, 'README.txt'), 'not a KB document');
    const second = await kb.ingest(kbDir, embedder);
    expect(second).toMatchObject({ added: 1, updated: 0, removed: 1, unchanged: 26, skipped: 1, skippedFiles: ['README.txt'], documents: 27 });
    expect(second.languages).toEqual({ en: 20, fr: 4, es: 3 });
    const c = counts(db);
    expect(c).toEqual({ documents: 27, chunks: c.chunks, fts: c.chunks, vec: c.chunks });
    expect(c.chunks).toBeLessThan(first.chunks);

    for (const mode of ['bm25', 'vector', 'hybrid'] as const) {
      const hits = await kb.search('wholesale net 30 payment terms', { k: 10, mode });
      expect(hits.some((h) => h.source === 'wholesale-b2b.md')).toBe(false);
    }
    expect((await kb.search('garantie des moulins', { k: 1, language: 'fr' }))[0]?.source).toBe('fr/garantie.md');
  });

  it('leaves the index untouched when a file is bad, and names the file', async () => {
    await kb.ingest(kbDir, embedder);
    const before = counts(db);
    await writeFile(path.join(kbDir, 'faq.json'), '{"title": "FAQ", "sections": {}}');
    await appendFile(path.join(kbDir, 'shipping.md'), '\n## New section\n\nChanged.\n');
    await expect(kb.ingest(kbDir, embedder)).rejects.toThrow(/^faq\.json: "sections" is missing or not an array/);
    expect(counts(db)).toEqual(before);
  });

  it('rebuilds everything for another embedder, and refuses to search with a mismatched one', async () => {
    await kb.ingest(kbDir, embedder);
    const small = new HashedNgramEmbedder({ dims: 256 });
    const rebuilt = await kb.ingest(kbDir, small);
    expect(rebuilt).toMatchObject({ rebuilt: true, added: 0, updated: 27, unchanged: 0, embedder: { id: 'hashed-ngrams-v1', dims: 256 } });
    expect((await kb.search('return policy', { k: 1 }))[0]?.source).toBe('returns-and-refunds.md');

    const other = openKnowledgeBase(db, { embedder });
    await expect(other.search('return policy')).rejects.toThrow(EmbedderMismatchError);
    await expect(other.search('return policy')).rejects.toThrow(/embedded with hashed-ngrams-v1 \(256 dims\), not hashed-ngrams-v1 \(512 dims\); re-ingest/);

    const remote = { id: 'azure-openai:text-embedding-3-large', dims: 3072, embed: async (t: string[]) => t.map(() => new Float32Array(3072)) };
    const fresh = openKnowledgeBase(db, { embedder: remote });
    await expect(fresh.search('x')).rejects.toThrow(EmbedderMismatchError);
  });

  it('accepts an asynchronous embedder (the shape of the azure-openai one)', async () => {
    const remote = {
      id: 'test-async-v1',
      dims: 512,
      embed: async (texts: string[]) => embedder.embed(texts),
    };
    const result = await kb.ingest(kbDir, remote, { batchSize: 16 });
    expect(result.embedder).toEqual({ id: 'test-async-v1', dims: 512 });
    expect((await kb.search('points de fidélité', { k: 1, language: 'fr' }))[0]?.source).toBe('fr/programme-fidelite.md');
    expect(() => kb.searchSync('x')).toThrow(/asynchronous/);
  });

  it('searches with a vector computed by the caller (batched embedding)', async () => {
    await kb.ingest(kbDir, embedder);
    const query = 'cuánto cuesta el envío a México';
    const plan = kb.explain(query, { language: 'es' });
    expect(plan.words).toEqual(['cuesta', 'envio', 'mexico']);
    const [vector] = embedder.embed([plan.embedText]);
    expect(kb.searchWithVector(query, vector, { k: 3, language: 'es' })).toEqual(await kb.search(query, { k: 3, language: 'es' }));
  });

  it('returns no hits from an empty (never ingested) knowledge base', async () => {
    expect(await kb.search('return policy')).toEqual([]);
    expect(kb.info()).toMatchObject({ documents: 0, chunks: 0, embedder: undefined });
  });

  it('prefers the requested language and falls back to English', async () => {
    await kb.ingest(kbDir, embedder);
    expect((await kb.search('return policy', { k: 1 }))[0]?.source).toBe('returns-and-refunds.md');
    expect((await kb.search('retours', { k: 1, language: 'fr' }))[0]?.source).toBe('fr/retours-et-remboursements.md');
    // Only English covers grinders: a French question still gets the English guide.
    const fallback = await kb.search('mon moulin fait un bruit de clic', { k: 3, language: 'fr' });
    expect(fallback.map((h) => h.source)).toContain('care-grinders.md');
    const hit = fallback.find((h) => h.source === 'care-grinders.md');
    expect(hit).toMatchObject({ language: 'en', title: 'Care Guide: Grinders' });
    expect(hit?.score).toBeGreaterThan(0);
    expect(hit?.score).toBeLessThanOrEqual(1);
  });

  it('never lets user text produce an FTS5 error', async () => {
    await kb.ingest(kbDir, embedder);
    const hostile = [
      '"',
      '"""',
      "'",
      'return "policy',
      'NEAR(',
      'NEAR(return policy, 2)',
      'NEAR/3',
      '*',
      'retur*',
      '-',
      '-return',
      'return -policy',
      'return AND OR NOT policy',
      'AND',
      'OR',
      'NOT',
      '(',
      ')',
      '((return)',
      'title:return',
      'text : x',
      '{title heading}: return',
      '^return',
      '+',
      'a + b',
      ':',
      ';DROP TABLE kb_chunks;--',
      '🙂🔥💥',
      'refund 🙂 please',
      '👨‍👩‍👧‍👦',
      '①②③',
      '²³',
      '\u0000',
      '\ud83d', // a lone surrogate
      'return\udc00policy',
      '\u200b\u200d',
      'e\u0301\u0301\u0301',
      'مرحبا بكم',
      '退货政策',
      '',
      '   ',
      "l'article d'un cliente",
      'C++ && || !=',
      'x'.repeat(5000),
      Array.from({ length: 300 }, (_, i) => `word${i}`).join(' '),
      '\\" OR 1=1',
    ];
    for (const text of hostile) {
      for (const mode of ['hybrid', 'bm25', 'vector'] as const) {
        const hits = await kb.search(text, { k: 3, mode, language: 'fr' });
        expect(Array.isArray(hits), text).toBe(true);
      }
      const match = ftsQuery(text);
      if (match) expect(() => db.prepare('SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? LIMIT 1').all(match), text).not.toThrow();
    }
    // Random printable and unprintable code points.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 200; i++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 20) }, () => String.fromCodePoint(Math.floor(rand() * 0x2ffff) % 0xd800)).join('');
      await expect(kb.search(text, { k: 2 })).resolves.toBeInstanceOf(Array);
    }
    expect(ftsQuery('how do I, the, a')).toBeUndefined(); // only stop words: nothing to match, vector only
    expect(ftsQuery('"Retour" NEAR(colis*')).toBe('"retour" OR "retou"* OR "near" OR "colis"');
  });
});
