// mac kb: the knowledge-retrieval agent's knowledge base, in the environment's SQLite file.
//   mac kb ingest DIR      read Markdown/JSON documents, chunk, embed (offline), index: FTS5 + sqlite-vec
//   mac kb search QUERY    hybrid search, as the knowledge agent runs it
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { KbSearchHit, QueryPlan, SearchMode } from '../agents/knowledge/search.js';
import type { IngestResult, KnowledgeBase } from '../agents/knowledge/store.js';
import { LANGUAGES, type Language } from '../agents/runtime/contracts.js';
import type { Deps } from '../deps.js';
import { demoShopDir } from '../paths.js';
import { PreconditionError, UsageError, UserError } from '../errors.js';
import type { Step } from '../io.js';

const QUIET_STEP: Step = { done: () => {}, fail: () => {}, skip: () => {} };

export interface KbIngestOptions {
  dir: string;
  force?: boolean;
}

export interface KbIngestReport extends IngestResult {
  dir: string;
  database: string;
  /** The folder the environment's local platform indexes when it starts, when that is not `dir`: it will replace
   *  these documents there. */
  platformKbDir?: string;
  /** With platformKbDir: the shop.kb value (relative to mac.yaml's folder) that makes the platform index `dir`. */
  shopKb?: string;
}

export interface KbSearchOptions {
  query: string;
  lang?: Language;
  hits?: number;
  mode?: SearchMode;
}

export interface KbSearchReport {
  query: string;
  language: Language | null;
  mode: SearchMode;
  database: string;
  /** How the query was read: spelling corrections and thesaurus expansions. */
  corrections: string[];
  expansions: string[];
  hits: KbSearchHit[];
}

export interface KbRuns {
  ingest: (opts: KbIngestOptions, deps: Deps) => Promise<KbIngestReport>;
  search: (opts: KbSearchOptions, deps: Deps) => Promise<KbSearchReport>;
}

export function kbCommand(deps: Deps, runs: KbRuns = { ingest: kbIngestRun, search: kbSearchRun }): Command {
  const kb = new Command('kb')
    .description("Build and query the knowledge agent's knowledge base (SQLite FTS5 + sqlite-vec)")
    .addHelpText(
      'after',
      '\nExamples:\n  $ mac kb ingest data/demo-shop/kb\n  $ mac kb search "return policy"\n  $ mac kb search puis-je retourner un article --lang fr --json',
    );
  kb.command('ingest')
    .description('Read a folder of Markdown and JSON documents and (re)index what changed')
    .argument('<dir>', 'knowledge-base folder (Markdown by heading; JSON {title, sections:[{heading, body}]}; fr/ and es/ subfolders)')
    .option('--force', 're-embed and rewrite every document, changed or not', false)
    .addHelpText(
      'after',
      '\nExamples:\n  $ mac kb ingest data/demo-shop/kb\n  $ mac kb ingest data/demo-shop/kb --json\n  $ mac -e staging kb ingest ./kb --force',
    )
    .action(async (dir: string, flags: { force?: boolean }) => {
      printIngest(await runs.ingest({ dir, force: flags.force }, deps), deps);
    });
  kb.command('search')
    .description('Hybrid search (BM25 + vectors, fused with reciprocal rank fusion), preferring one language')
    .argument('<query...>', 'the question, as a customer would ask it')
    .addOption(new Option('--lang <language>', 'prefer documents in this language (English is the fallback)').choices([...LANGUAGES]))
    .option('-k, --hits <n>', 'number of hits', positiveInteger, 5)
    .addOption(new Option('--mode <mode>', 'retrieval lists to use').choices(['hybrid', 'bm25', 'vector']).default('hybrid'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ mac kb search "return policy"\n  $ mac kb search "points de fidélité" --lang fr -k 3\n  $ mac kb search grinder makes clicking noise --json',
    )
    .action(async (words: string[], flags: { lang?: Language; hits: number; mode: SearchMode }) => {
      const report = await runs.search({ query: words.join(' '), lang: flags.lang, hits: flags.hits, mode: flags.mode }, deps);
      printSearch(report, deps);
    });
  return kb;
}

/** The environment's platform database: <stateDir>/data/platform.db. */
export function platformDatabasePath(stateDir: string): string {
  return path.join(stateDir, 'data', 'platform.db');
}

export async function kbIngestRun(opts: KbIngestOptions, deps: Deps): Promise<KbIngestReport> {
  const dir = path.resolve(deps.cwd, opts.dir);
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new UsageError(`Knowledge-base folder not found: ${dir}`, 'Pass a folder of Markdown/JSON documents, e.g. mac kb ingest data/demo-shop/kb');
  if (!info.isDirectory()) throw new UsageError(`Not a folder: ${dir}`, 'mac kb ingest takes the folder that holds the documents, not a file.');

  const { io } = deps;
  const platform = await localPlatformKb(deps);
  return withKnowledgeBase(deps, true, async (kb, database) => {
    const { HashedNgramEmbedder } = await import('../agents/knowledge/embed.js');
    const { KbSourceError } = await import('../agents/knowledge/chunk.js');
    const embedder = new HashedNgramEmbedder();
    // Under --json stdout carries the one result document, so progress steps (NDJSON there) are left out.
    const startStep = (label: string): Step => (io.json ? QUIET_STEP : io.step(label));
    let step = startStep(`Read ${display(deps.cwd, dir)}`);
    try {
      const result = await kb.ingest(dir, embedder, {
        force: opts.force,
        onProgress: (e) => {
          if (e.phase === 'read') {
            step.done(`${e.documents} document${e.documents === 1 ? '' : 's'}${e.skipped ? `, ${e.skipped} skipped (unknown extension)` : ''}`);
            step = startStep(`Embed and index (${embedder.id}, ${embedder.dims} dims)`);
          }
        },
      });
      step.done(
        `${result.added} added, ${result.updated} updated, ${result.removed} removed, ${result.unchanged} unchanged` +
          (result.rebuilt && result.documents > 0 && result.added !== result.documents ? ' (full rebuild)' : ''),
      );
      const elsewhere = platform && platform.dir !== dir ? { platformKbDir: platform.dir, shopKb: path.relative(platform.projectDir, dir) || '.' } : {};
      return { dir, database, ...result, ...elsewhere };
    } catch (err) {
      step.fail(err instanceof Error ? err.message : String(err));
      if (err instanceof KbSourceError) {
        throw new UsageError(`Cannot ingest ${path.join(dir, err.file)}: ${err.problem}; expected ${err.expected}.`, 'Fix the file (or move it out of the folder) and run mac kb ingest again; nothing was written.');
      }
      throw err;
    }
  });
}

export async function kbSearchRun(opts: KbSearchOptions, deps: Deps): Promise<KbSearchReport> {
  const query = opts.query.trim();
  if (!query) throw new UsageError('The search query is empty.', 'mac kb search "return policy"');
  return withKnowledgeBase(deps, false, async (kb, database) => {
    const { EmbedderMismatchError } = await import('../agents/knowledge/store.js');
    if (!kb.info().documents) {
      throw new PreconditionError(`The knowledge base in ${database} is empty.`, 'Ingest documents first: mac kb ingest data/demo-shop/kb');
    }
    const mode = opts.mode ?? 'hybrid';
    const options = { k: opts.hits ?? 5, language: opts.lang, mode };
    try {
      const plan: QueryPlan = kb.explain(query, options);
      const hits = await kb.search(query, options);
      return { query, language: opts.lang ?? null, mode, database, corrections: plan.corrections, expansions: plan.expansions, hits };
    } catch (err) {
      if (err instanceof EmbedderMismatchError) {
        throw new UserError(`Cannot search ${database}: ${err.message}.`, 'Re-ingest the knowledge base: mac kb ingest <dir> --force');
      }
      throw err;
    }
  });
}

/** The knowledge folder a local environment's platform ingests when it starts (shop.kb, else <shop.data>/kb), and
 *  the folder shop.kb is relative to. */
async function localPlatformKb(deps: Deps): Promise<{ dir: string; projectDir: string } | undefined> {
  const { config, projectDir } = await deps.environment();
  if (config.target !== 'local') return undefined;
  const { shop } = config;
  const dir = shop.kb ? path.resolve(projectDir, shop.kb) : path.join(shop.data ? path.resolve(projectDir, shop.data) : demoShopDir, 'kb');
  return { dir, projectDir };
}

async function withKnowledgeBase<T>(deps: Deps, create: boolean, fn: (kb: KnowledgeBase, database: string) => Promise<T>): Promise<T> {
  const env = await deps.environment();
  const database = platformDatabasePath(env.stateDir);
  if (create) await mkdir(path.dirname(database), { recursive: true });
  else if (!(await stat(database).catch(() => undefined))) {
    throw new PreconditionError(`No knowledge base yet for environment ${env.name} (${database} does not exist).`, 'Ingest documents first: mac kb ingest data/demo-shop/kb');
  }
  const [{ default: Database }, { openKnowledgeBase }] = await Promise.all([import('better-sqlite3'), import('../agents/knowledge/store.js')]);
  const db = new Database(database);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    return await fn(openKnowledgeBase(db), database);
  } finally {
    db.close();
  }
}

function printIngest(r: KbIngestReport, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result(r);
  const langs = LANGUAGES.map((l) => `${l} ${r.languages[l]}`).join(', ');
  io.out(`Knowledge base ${display(deps.cwd, r.database)}`);
  io.out(`  documents  ${r.documents} (${langs}), ${r.chunks} chunks`);
  io.out(`  this run   ${r.added} added, ${r.updated} updated, ${r.removed} removed, ${r.unchanged} unchanged, ${r.skipped} skipped`);
  io.out(`  embedder   ${r.embedder.id} (${r.embedder.dims} dims), ${r.embedded} chunk${r.embedded === 1 ? '' : 's'} embedded`);
  if (r.skippedFiles.length) io.out(`  skipped    ${r.skippedFiles.join(', ')}`);
  if (r.platformKbDir) {
    io.warn(
      `The platform re-indexes ${display(deps.cwd, r.platformKbDir)} each time it starts, replacing these documents. ` +
        `To keep them, set shop.kb: ${r.shopKb} in mac.yaml.`,
    );
  }
}

function printSearch(r: KbSearchReport, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result(r);
  if (r.corrections.length || r.expansions.length) {
    const parts = [r.corrections.length ? `spelling: ${r.corrections.join(', ')}` : '', r.expansions.length ? `also: ${r.expansions.join(', ')}` : ''];
    io.info(io.style('dim', `query read with ${parts.filter(Boolean).join('; ')}`));
  }
  if (!r.hits.length) return io.out('No matching passages.');
  r.hits.forEach((h, i) => {
    const where = h.heading && h.heading !== h.title ? `${h.source} § ${h.heading}` : h.source;
    io.out(`${String(i + 1).padStart(2)}. ${io.style('bold', where)}  ${io.style('dim', `${h.language} · score ${h.score.toFixed(3)}`)}`);
    io.out(`    ${snippet(h.text)}`);
  });
}

/** A path relative to the working directory when it is inside it, else absolute. */
function display(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return !rel ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

function snippet(text: string, max = 160): string {
  const flat = text.replace(/[*_`#|>]+/g, '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('expected a whole number from 1 to 100.');
  return n;
}
