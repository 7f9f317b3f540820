// A running platform and `mac kb ingest` share the environment's database: the platform answers from what the
// other process ingested at its next search, its cached answers included.
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashedNgramEmbedder } from '../../../src/agents/knowledge/embed.js';
import { openKnowledgeBase } from '../../../src/agents/knowledge/store.js';
import { searchableKnowledgeBase } from '../../../src/agents/runtime/parts.js';
import { tempDir } from '../../helpers/cli.js';

const DEMO_KB = fileURLToPath(new URL('../../../data/demo-shop/kb', import.meta.url));
const QUESTION = 'Do you sell the moonstone teapot?';
const MOONSTONE = '# Moonstone teapot\n\n## Availability\n\nThe moonstone teapot is sold only in our Lyon shop, never online.\n';

describe('a knowledge base changed by another process', () => {
  let dir: string;
  let kbDir: string;
  let cleanup: () => Promise<void>;
  const open: Database.Database[] = [];
  const connect = () => {
    const db = new Database(path.join(dir, 'platform.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    open.push(db);
    return db;
  };

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-kb-elsewhere-'));
    kbDir = path.join(dir, 'kb');
    await cp(DEMO_KB, kbDir, { recursive: true });
  });
  afterEach(async () => {
    for (const db of open.splice(0)) db.close();
    await cleanup();
  });

  it('is searched afresh by a store on another connection, once', async () => {
    const platform = openKnowledgeBase(connect());
    await platform.ingest(kbDir, new HashedNgramEmbedder());
    expect(platform.changedElsewhere()).toBe(false); // takes note
    expect(platform.searchSync(QUESTION, { k: 1 })[0]?.source).not.toBe('moonstone.md');
    expect(platform.changedElsewhere()).toBe(false);

    await writeFile(path.join(kbDir, 'moonstone.md'), MOONSTONE);
    await openKnowledgeBase(connect()).ingest(kbDir, new HashedNgramEmbedder());

    expect(platform.changedElsewhere()).toBe(true);
    expect(platform.searchSync(QUESTION, { k: 1 })[0]?.source).toBe('moonstone.md');
    expect(platform.changedElsewhere()).toBe(false);
  });

  it('is not reported for the store’s own ingest, nor for writes elsewhere that leave the knowledge base as it was', async () => {
    const platform = openKnowledgeBase(connect());
    await platform.ingest(kbDir, new HashedNgramEmbedder());
    platform.changedElsewhere();
    await writeFile(path.join(kbDir, 'moonstone.md'), MOONSTONE);
    await platform.ingest(kbDir, new HashedNgramEmbedder());
    const other = connect();
    other.exec('CREATE TABLE IF NOT EXISTS notes (text TEXT); INSERT INTO notes VALUES (1)');
    await openKnowledgeBase(other).ingest(kbDir, new HashedNgramEmbedder()); // nothing changed: unchanged 28
    expect(platform.changedElsewhere()).toBe(false);
    expect(platform.searchSync(QUESTION, { k: 1 })[0]?.source).toBe('moonstone.md');
  });

  it('reaches the platform’s cached answers', async () => {
    const lines: string[] = [];
    const kb = await searchableKnowledgeBase(connect(), kbDir, (l) => lines.push(l));
    expect(kb.search(QUESTION, { k: 1, language: 'en' })[0]?.source).not.toBe('moonstone.md');

    await writeFile(path.join(kbDir, 'moonstone.md'), MOONSTONE);
    await openKnowledgeBase(connect()).ingest(kbDir, new HashedNgramEmbedder());

    expect(kb.search(QUESTION, { k: 1, language: 'en' })[0]?.source).toBe('moonstone.md');
    expect(lines.at(-1)).toBe('knowledge base: changed by another process; searching the new index');
  });
});
