import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkJson, chunkMarkdown, KbSourceError, readKnowledgeFolder, splitLong } from '../../../src/agents/knowledge/chunk.js';
import { tempDir } from '../../helpers/cli.js';

const DEMO_KB = fileURLToPath(new URL('../../../data/demo-shop/kb', import.meta.url));

describe('Markdown chunking', () => {
  const md = [
    '# Returns Policy',
    '',
    'Intro paragraph before any section.',
    '',
    '## Return window',
    '',
    'You have 30 days.',
    '',
    '### Gifts',
    '',
    'Gift recipients get store credit.',
    '',
    '#### Deeper heading stays in the text',
    '',
    'Still the Gifts section.',
    '',
    '```sh',
    '# not a heading, a shell comment',
    '```',
    '',
    '## Refunds',
    '',
    'Refunds take 5 days.',
  ].join('\n');

  it('cuts at # to ### headings, keeps the title and the heading path', () => {
    const doc = chunkMarkdown('returns.md', md);
    expect(doc.title).toBe('Returns Policy');
    expect(doc.chunks.map((c) => [c.heading, c.headingPath])).toEqual([
      ['Returns Policy', []],
      ['Return window', ['Return window']],
      ['Return window › Gifts', ['Return window', 'Gifts']],
      ['Refunds', ['Refunds']],
    ]);
    const gifts = doc.chunks[2];
    expect(gifts?.text).toContain('#### Deeper heading stays in the text');
    expect(gifts?.text).toContain('# not a heading, a shell comment');
    expect(doc.chunks.every((c) => c.source === 'returns.md' && c.title === 'Returns Policy' && c.language === 'en')).toBe(true);
    expect(doc.chunks.map((c) => c.ordinal)).toEqual([0, 1, 2, 3]);
  });

  it('takes the title from front matter, else the first # heading, else the file name', () => {
    expect(chunkMarkdown('a.md', '---\ntitle: From Front Matter\nlang: en\n---\n## Section\n\nBody text.').title).toBe('From Front Matter');
    expect(chunkMarkdown('faq/shipping-faq.md', 'Just text, no heading.').title).toBe('Shipping faq');
  });

  it('splits a very long section at paragraph boundaries (~1,200 characters)', () => {
    const paragraph = (n: number) => `Paragraph ${n}. ${'Lorem ipsum dolor sit amet. '.repeat(14).trim()}`;
    const body = Array.from({ length: 6 }, (_, i) => paragraph(i + 1)).join('\n\n');
    const doc = chunkMarkdown('long.md', `# Long\n\n## Big section\n\n${body}`);
    expect(doc.chunks.length).toBeGreaterThan(1);
    for (const c of doc.chunks) {
      expect(c.heading).toBe('Big section');
      expect(c.text.length).toBeLessThanOrEqual(1200);
      expect(c.text.startsWith('Paragraph ')).toBe(true); // cut between paragraphs, never inside one
    }
    expect(doc.chunks.map((c) => c.text).join('\n\n')).toBe(body);
  });

  it('splits a single huge paragraph at lines, then sentences, then words', () => {
    const sentence = 'This sentence is about forty characters. ';
    const parts = splitLong(sentence.repeat(100).trim(), 300);
    expect(parts.every((p) => p.length <= 300)).toBe(true);
    expect(parts.join(' ')).toBe(sentence.repeat(100).trim());
    expect(splitLong('x'.repeat(50), 300)).toEqual(['x'.repeat(50)]);
  });
});

describe('JSON documents', () => {
  it('chunks {title, sections:[{heading, body}]} and honours a lang field', () => {
    const doc = chunkJson(
      'faq.json',
      JSON.stringify({ title: 'Preguntas', lang: 'es', sections: [{ heading: 'Envíos', body: 'Enviamos a México.' }, { heading: 'Vacío', body: '' }] }),
    );
    expect(doc.title).toBe('Preguntas');
    expect(doc.language).toBe('es');
    expect(doc.languageFrom).toBe('field');
    expect(doc.chunks).toHaveLength(1); // empty bodies make no chunk
    expect(doc.chunks[0]).toMatchObject({ source: 'faq.json', heading: 'Envíos', headingPath: ['Envíos'], text: 'Enviamos a México.' });
  });

  it.each([
    ['{"title": "x", "sections": [', /bad\.json: malformed JSON .*; expected a JSON object \{"title": string, "sections"/],
    ['[1, 2]', /bad\.json: the document is an array; expected a JSON object/],
    ['{"sections": []}', /bad\.json: "title" is missing or not a non-empty string; expected/],
    ['{"title": "T"}', /bad\.json: "sections" is missing or not an array; expected/],
    ['{"title": "T", "sections": [{"heading": "a", "body": "b"}, {"heading": "c"}]}', /bad\.json: sections\[1\] has no string "heading" and "body"/],
    ['{"title": "T", "lang": "de", "sections": []}', /bad\.json: unsupported language "de"; expected one of en, fr, es/],
  ])('a bad JSON document is an error naming the file and what was expected: %s', (content, message) => {
    expect(() => chunkJson('bad.json', content)).toThrow(KbSourceError);
    expect(() => chunkJson('bad.json', content)).toThrow(message);
  });
});

describe('reading a KB folder', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-kb-chunk-')));
  afterEach(() => cleanup());

  async function put(rel: string, content: string) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }

  it('detects languages from folders, front matter and the text; skips and counts unknown extensions', async () => {
    await put('returns.md', '# Returns\n\n## Window\n\nYou have thirty days from delivery to send an item back to us for a refund.');
    await put('fr/retours.md', '# Retours\n\n## Délai\n\nVous avez 30 jours.');
    await put('es-MX/envios.json', JSON.stringify({ title: 'Envíos', sections: [{ heading: 'México', body: 'Llega en 5 días.' }] }));
    await put('misc/nota.md', '---\nlang: es\n---\n# Nota\n\nTexto.');
    await put(
      'detected.md',
      '# Garantie\n\nNos produits sont garantis deux ans contre les défauts de fabrication. Contactez le service client avec votre numéro de commande et une photo du produit.',
    );
    await put('short.md', '# Hi\n\nOk.');
    await put('image.png', 'not really a png');
    await put('notes.txt', 'plain text');
    await put('.hidden/secret.md', '# Hidden');
    await put('.DS_Store', '');

    const folder = await readKnowledgeFolder(dir);
    const langs = Object.fromEntries(folder.documents.map((d) => [d.source, `${d.language}/${d.languageFrom}`]));
    expect(langs).toEqual({
      'detected.md': 'fr/detected',
      'es-MX/envios.json': 'es/folder',
      'fr/retours.md': 'fr/folder',
      'misc/nota.md': 'es/front-matter',
      'returns.md': 'en/detected',
      'short.md': 'en/default',
    });
    expect(folder.skipped).toEqual(['image.png', 'notes.txt']);
    expect(folder.documents.flatMap((d) => d.chunks).every((c) => c.language === folder.documents.find((d) => d.source === c.source)?.language)).toBe(true);
  });

  it('stops at a bad file with an error naming it (relative to the KB folder)', async () => {
    await put('good.md', '# Good\n\nFine.');
    await put('faq/broken.json', '{ "title": "Broken", ');
    await expect(readKnowledgeFolder(dir)).rejects.toThrow(/^faq\/broken\.json: malformed JSON/);
  });

  it('reads the demo KB: 27 documents in en/fr/es, JSON and Markdown, nothing skipped', async () => {
    const folder = await readKnowledgeFolder(DEMO_KB);
    expect(folder.skipped).toEqual([]);
    expect(folder.documents).toHaveLength(27);
    const count = (l: string) => folder.documents.filter((d) => d.language === l).length;
    expect([count('en'), count('fr'), count('es')]).toEqual([21, 3, 3]);
    const espresso = folder.documents.find((d) => d.source === 'care-espresso.json');
    expect(espresso?.chunks.map((c) => c.heading)).toContain('Lumen Home Espresso Machine: descaling');
    const returns = folder.documents.find((d) => d.source === 'fr/retours-et-remboursements.md');
    expect(returns?.title).toBe('Politique de retours et de remboursements');
    expect(returns?.chunks.map((c) => c.heading)).toContain('Délai de retour');
    for (const d of folder.documents) for (const c of d.chunks) expect(c.text.length).toBeLessThanOrEqual(1200);
  });
});
