// Reads a knowledge-base folder and cuts its documents into chunks: the unit that is indexed, retrieved and cited.
//
// - Markdown (.md, .markdown): one chunk per section, cut at headings `#`..`###` (deeper headings stay in the text);
//   the first `#` heading is the document title; each chunk keeps its heading path ("Tiers › Gold").
// - JSON (.json): `{ "title": string, "sections": [{ "heading": string, "body": string }], "lang"?: "en"|"fr"|"es" }`.
// - Sections longer than ~1,200 characters are split at paragraph boundaries (then sentences, then words).
// - Language: front matter `lang:` (or a JSON `lang`/`language` field), else a `fr/` or `es/` folder segment, else
//   franc-min detection restricted to en/fr/es, else en.
// - Other extensions are skipped and counted; dot-files and dot-folders are ignored.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { franc } from 'franc-min';
import { LANGUAGES, type Language } from '../runtime/contracts.js';

/** Bumped when the chunking changes, so that every document is re-ingested (it is part of the content hash). */
export const CHUNKER_VERSION = 'chunk-v1';
export const DEFAULT_MAX_CHUNK_CHARS = 1200;

export interface KbChunk {
  /** Path of the document relative to the KB folder, with `/` separators, e.g. "fr/livraison.md". */
  source: string;
  title: string;
  /** Heading path below the title joined with " › " (e.g. "Tiers › Gold"); the title itself for an introduction. */
  heading: string;
  headingPath: string[];
  text: string;
  language: Language;
  /** Position of the chunk in its document, from 0. */
  ordinal: number;
}

export type LanguageOrigin = 'front-matter' | 'field' | 'folder' | 'detected' | 'default';

export interface KbDocument {
  source: string;
  title: string;
  language: Language;
  languageFrom: LanguageOrigin;
  /** sha256 of the chunker version and the file's bytes: unchanged hash = nothing to re-ingest. */
  hash: string;
  chunks: KbChunk[];
}

export interface KbFolder {
  documents: KbDocument[];
  /** Files skipped because of their extension (relative paths). */
  skipped: string[];
}

export interface ChunkOptions {
  /** Sections longer than this are split at paragraph boundaries. Default 1,200 characters. */
  maxChunkChars?: number;
}

/** A knowledge-base file that cannot be read as what its extension promises. Names the file and what was expected. */
export class KbSourceError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly expected: string,
  ) {
    super(`${file}: ${problem}; expected ${expected}`);
    this.name = 'KbSourceError';
  }
}

const MARKDOWN = new Set(['.md', '.markdown']);
const JSON_EXT = '.json';
const JSON_SHAPE = 'a JSON object {"title": string, "sections": [{"heading": string, "body": string}]}';

export function isSupportedFile(file: string): boolean {
  const ext = path.extname(file).toLowerCase();
  return MARKDOWN.has(ext) || ext === JSON_EXT;
}

/** Reads every supported document under `dir` (recursively, in a stable order). Throws KbSourceError on a bad file. */
export async function readKnowledgeFolder(dir: string, options: ChunkOptions = {}): Promise<KbFolder> {
  const files: string[] = [];
  const skipped: string[] = [];
  await walk(dir, '', files, skipped);
  const documents: KbDocument[] = [];
  for (const rel of files) {
    const content = await readFile(path.join(dir, ...rel.split('/')), 'utf8');
    documents.push(parseDocument(rel, content, options));
  }
  return { documents, skipped };
}

async function walk(root: string, rel: string, files: string[], skipped: string[]): Promise<void> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(root, child, files, skipped);
    else if (entry.isFile()) (isSupportedFile(entry.name) ? files : skipped).push(child);
  }
}

/** Parses one document by its extension. `source` is its path relative to the KB folder. */
export function parseDocument(source: string, content: string, options: ChunkOptions = {}): KbDocument {
  const ext = path.extname(source).toLowerCase();
  if (ext === JSON_EXT) return chunkJson(source, content, options);
  if (MARKDOWN.has(ext)) return chunkMarkdown(source, content, options);
  throw new KbSourceError(source, `unsupported extension "${ext}"`, 'a .md, .markdown or .json document');
}

// ---- Markdown -------------------------------------------------------------------------------------------------

const HEADING = /^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^\s{0,3}(```|~~~)/;

export function chunkMarkdown(source: string, content: string, options: ChunkOptions = {}): KbDocument {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const { meta, body } = frontMatter(source, text);
  const lines = body.split('\n');

  let title = meta.title ?? '';
  const stack: string[] = []; // heading path by level (index 0 = level 1)
  const sections: { path: string[]; lines: string[] }[] = [{ path: [], lines: [] }];
  let fence: string | undefined;
  for (const line of lines) {
    const f = FENCE.exec(line);
    if (f) fence = fence === undefined ? f[1] : fence === f[1] ? undefined : fence;
    const h = fence === undefined && !f ? HEADING.exec(line) : null;
    const level = h?.[1]?.length ?? 0;
    if (h && level <= 3) {
      const heading = cleanHeading(h[2] ?? '');
      const current = sections[sections.length - 1];
      const nothingYet = sections.length === 1 && current !== undefined && current.lines.join('').trim() === '';
      if (level === 1 && !title && nothingYet) {
        title = heading; // the document title, not a section
        continue;
      }
      stack.length = level - 1;
      for (let i = 0; i < level - 1; i++) stack[i] ??= '';
      stack[level - 1] = heading;
      sections.push({ path: stack.filter((s) => s !== ''), lines: [] });
      continue;
    }
    sections[sections.length - 1]?.lines.push(line);
  }
  title ||= titleFromFile(source);

  const { language, languageFrom } = resolveLanguage(source, meta.lang, 'front-matter', body);
  const max = options.maxChunkChars ?? DEFAULT_MAX_CHUNK_CHARS;
  const chunks: KbChunk[] = [];
  for (const section of sections) {
    const sectionText = tidy(section.lines.join('\n'));
    if (!sectionText) continue;
    for (const part of splitLong(sectionText, max)) {
      chunks.push({
        source,
        title,
        heading: section.path.length ? section.path.join(' › ') : title,
        headingPath: section.path,
        text: part,
        language,
        ordinal: chunks.length,
      });
    }
  }
  return { source, title, language, languageFrom, hash: contentHash(content), chunks };
}

function frontMatter(source: string, text: string): { meta: { lang?: string; title?: string }; body: string } {
  if (!text.startsWith('---\n')) return { meta: {}, body: text };
  const end = text.indexOf('\n---', 4);
  if (end < 0) throw new KbSourceError(source, 'front matter opened with "---" is never closed', 'a closing "---" line');
  const meta: { lang?: string; title?: string } = {};
  for (const line of text.slice(4, end).split('\n')) {
    const m = /^([A-Za-z_]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const key = (m[1] ?? '').toLowerCase();
    const value = (m[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
    if (key === 'lang' || key === 'language') meta.lang = value;
    else if (key === 'title' && value) meta.title = value;
  }
  const after = text.indexOf('\n', end + 4);
  return { meta, body: after < 0 ? '' : text.slice(after + 1) };
}

function cleanHeading(heading: string): string {
  return heading.replace(/\*\*|__|`/g, '').trim();
}

function titleFromFile(source: string): string {
  const base = path.posix.basename(source).replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ').trim();
  return base ? base.charAt(0).toUpperCase() + base.slice(1) : source;
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---- JSON -----------------------------------------------------------------------------------------------------

export function chunkJson(source: string, content: string, options: ChunkOptions = {}): KbDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new KbSourceError(source, `malformed JSON (${(err as Error).message})`, JSON_SHAPE);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new KbSourceError(source, `the document is ${Array.isArray(doc) ? 'an array' : typeof doc}`, JSON_SHAPE);
  }
  const o = doc as Record<string, unknown>;
  if (typeof o.title !== 'string' || !o.title.trim()) {
    throw new KbSourceError(source, '"title" is missing or not a non-empty string', JSON_SHAPE);
  }
  if (!Array.isArray(o.sections)) throw new KbSourceError(source, '"sections" is missing or not an array', JSON_SHAPE);
  const title = o.title.trim();
  const sections = o.sections.map((s: unknown, i) => {
    const sec = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    if (typeof sec.heading !== 'string' || typeof sec.body !== 'string') {
      throw new KbSourceError(source, `sections[${i}] has no string "heading" and "body"`, JSON_SHAPE);
    }
    return { heading: cleanHeading(sec.heading), body: tidy(sec.body.replace(/\r\n?/g, '\n')) };
  });
  const declared = typeof o.lang === 'string' ? o.lang : typeof o.language === 'string' ? o.language : undefined;
  const { language, languageFrom } = resolveLanguage(
    source,
    declared,
    'field',
    sections.map((s) => `${s.heading}\n${s.body}`).join('\n'),
  );
  const max = options.maxChunkChars ?? DEFAULT_MAX_CHUNK_CHARS;
  const chunks: KbChunk[] = [];
  for (const s of sections) {
    if (!s.body) continue;
    for (const part of splitLong(s.body, max)) {
      chunks.push({
        source,
        title,
        heading: s.heading || title,
        headingPath: s.heading ? [s.heading] : [],
        text: part,
        language,
        ordinal: chunks.length,
      });
    }
  }
  return { source, title, language, languageFrom, hash: contentHash(content), chunks };
}

// ---- shared ---------------------------------------------------------------------------------------------------

export function contentHash(content: string): string {
  return createHash('sha256').update(CHUNKER_VERSION).update('\0').update(content).digest('hex');
}

const FRANC: Record<string, Language> = { eng: 'en', fra: 'fr', spa: 'es' };

/** Declared language (front matter or JSON field) > folder segment (fr/, es-MX/) > franc-min > en. */
export function resolveLanguage(
  source: string,
  declared: string | undefined,
  declaredFrom: 'front-matter' | 'field',
  text: string,
): { language: Language; languageFrom: LanguageOrigin } {
  if (declared !== undefined && declared.trim() !== '') {
    const lang = declared.trim().toLowerCase().slice(0, 2);
    if (!(LANGUAGES as readonly string[]).includes(lang)) {
      throw new KbSourceError(source, `unsupported language "${declared}"`, `one of ${LANGUAGES.join(', ')}`);
    }
    return { language: lang as Language, languageFrom: declaredFrom };
  }
  const folders = source.split('/').slice(0, -1).reverse();
  for (const segment of folders) {
    const m = /^(en|fr|es)(?:[-_][a-z]{2})?$/i.exec(segment);
    if (m?.[1]) return { language: m[1].toLowerCase() as Language, languageFrom: 'folder' };
  }
  const detected = FRANC[franc(text.slice(0, 4000), { only: Object.keys(FRANC), minLength: 20 })];
  return detected ? { language: detected, languageFrom: 'detected' } : { language: 'en', languageFrom: 'default' };
}

/** Splits text longer than `max` at paragraph boundaries; a paragraph still too long at sentences, then words. */
export function splitLong(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let current = '';
  const push = (piece: string, sep: string) => {
    if (current && current.length + sep.length + piece.length > max) {
      out.push(current);
      current = '';
    }
    current = current ? current + sep + piece : piece;
  };
  for (const paragraph of text.split(/\n{2,}/)) {
    if (paragraph.length <= max) {
      push(paragraph, '\n\n');
      continue;
    }
    // A long paragraph: its lines (list items, table rows), then sentences, then words.
    for (const line of paragraph.split('\n')) {
      if (line.length <= max) {
        push(line, '\n');
        continue;
      }
      for (const sentence of line.split(/(?<=[.!?])\s+/)) {
        if (sentence.length <= max) push(sentence, ' ');
        else for (const word of sentence.split(/\s+/)) push(word, ' ');
      }
    }
  }
  if (current) out.push(current);
  return out;
}
