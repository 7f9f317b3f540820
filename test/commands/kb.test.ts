// mac kb ingest / search, run through commander with real deps and in-memory output (program.ts registers the
// command; here a root with the same global flags and error handling stands in for it).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kbCommand, kbIngestRun, kbSearchRun } from '../../src/commands/kb.js';
import { Deps, type GlobalOptions } from '../../src/deps.js';
import { UsageError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import { reportError } from '../../src/main.js';
import { tempDir } from '../helpers/cli.js';

const DEMO_KB = fileURLToPath(new URL('../../data/demo-shop/kb', import.meta.url));

function withUsageErrors(command: Command): Command {
  command.exitOverride((err) => {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') throw err;
    throw new UsageError(err.message.replace(/^error: /, ''));
  });
  command.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  for (const sub of command.commands) withUsageErrors(sub);
  return command;
}

async function mac(args: string[], cwd: string) {
  const io = memoryIo();
  const deps = new Deps({ io, cwd, env: {} });
  const root = new Command('mac')
    .option('-e, --env <name>')
    .option('--json')
    .hook('preAction', (_root, action) => deps.configure(action.optsWithGlobals<GlobalOptions>()));
  root.addCommand(kbCommand(deps));
  withUsageErrors(root);
  let code = 0;
  try {
    await root.parseAsync(['node', 'mac', ...args]);
  } catch (err) {
    code = reportError(err, deps);
  }
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('mac kb', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-kb-cmd-')));
  afterEach(() => cleanup());

  it('ingest --json prints one document and creates .mac/local/data/platform.db', async () => {
    const run = await mac(['kb', 'ingest', DEMO_KB, '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    const database = path.join(dir, '.mac', 'local', 'data', 'platform.db');
    expect(doc).toMatchObject({ dir: DEMO_KB, database, documents: 27, added: 27, unchanged: 0, languages: { en: 21, fr: 3, es: 3 } });
    expect(doc.embedder).toEqual({ id: 'hashed-ngrams-v1', dims: 512 });
    expect(existsSync(database)).toBe(true);
    expect(run.stderr).toBe(''); // no progress lines: stdout holds exactly one JSON document
  });

  it('ingest prints progress steps on stderr and a summary; a second run reports everything unchanged', async () => {
    const first = await mac(['kb', 'ingest', DEMO_KB], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/✓ Read .*kb — 27 documents/);
    expect(first.stderr).toMatch(/✓ Embed and index \(hashed-ngrams-v1, 512 dims\) — 27 added, 0 updated, 0 removed, 0 unchanged/);
    expect(first.stdout).toMatch(/documents\s+27 \(en 21, fr 3, es 3\), \d+ chunks/);

    const second = await mac(['kb', 'ingest', path.relative(dir, DEMO_KB)], dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/this run\s+0 added, 0 updated, 0 removed, 27 unchanged, 0 skipped/);
  });

  it('ingest of a folder other than the platform’s warns that the platform re-indexes its own at start; shop.kb keeps it', async () => {
    const other = path.join(dir, 'my-kb');
    await mkdir(other);
    await writeFile(path.join(other, 'hours.md'), '# Opening hours\n\n## Weekdays\n\nWe answer from 9 to 17.\n');
    const warned = await mac(['kb', 'ingest', 'my-kb'], dir);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain(`The platform re-indexes ${DEMO_KB} each time it starts, replacing these documents. To keep them, set shop.kb: my-kb in mac.yaml.`);
    const json = JSON.parse((await mac(['kb', 'ingest', 'my-kb', '--json'], dir)).stdout);
    expect(json).toMatchObject({ dir: other, platformKbDir: DEMO_KB, shopKb: 'my-kb' });

    await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  local:\n    target: local\n    shop:\n      kb: ./my-kb\n');
    const kept = await mac(['kb', 'ingest', 'my-kb', '--json'], dir);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout).platformKbDir).toBeUndefined();
    expect(kept.stderr).toBe('');
  });

  it('search finds passages with citations, in the requested language', async () => {
    expect((await mac(['kb', 'ingest', DEMO_KB], dir)).code).toBe(0);

    const text = await mac(['kb', 'search', 'return', 'policy'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ 1\. returns-and-refunds\.md(?: § .+)? {2}en · score \d\.\d{3}$/m);
    expect(text.stdout.split('\n').filter((l) => /^ \d\. /.test(l))).toHaveLength(5);

    const paraphrase = await mac(['kb', 'search', 'how', 'long', 'do', 'i', 'have', 'to', 'send', 'something', 'back', '-k', '3'], dir);
    expect(paraphrase.stdout).toContain('returns-and-refunds.md');
    expect(paraphrase.stderr).toMatch(/query read with also: return/);

    const fr = await mac(['kb', 'search', 'puis-je retourner un article', '--lang', 'fr', '-k', '3', '--json'], dir);
    expect(fr.code, fr.stderr).toBe(0);
    const doc = JSON.parse(fr.stdout);
    expect(doc).toMatchObject({ query: 'puis-je retourner un article', language: 'fr', mode: 'hybrid' });
    expect(doc.hits).toHaveLength(3);
    expect(doc.hits[0]).toMatchObject({ source: 'fr/retours-et-remboursements.md', language: 'fr' });
    expect(Object.keys(doc.hits[0]).sort()).toEqual(expect.arrayContaining(['source', 'title', 'heading', 'text', 'language', 'score']));

    const typo = await mac(['kb', 'search', 'retrun polcy', '--mode', 'bm25', '--json'], dir);
    expect(JSON.parse(typo.stdout).corrections).toEqual(expect.arrayContaining(['return', 'policy']));
  });

  it('a missing folder is a usage error naming the path (exit 2)', async () => {
    const run = await mac(['kb', 'ingest', 'no/such/kb'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Knowledge-base folder not found: ${path.join(dir, 'no/such/kb')}`);
  });

  it('a bad document is a usage error naming the file, and nothing is ingested (exit 2)', async () => {
    const kb = path.join(dir, 'kb');
    await mkdir(kb);
    await writeFile(path.join(kb, 'ok.md'), '# Fine\n\nText.');
    await writeFile(path.join(kb, 'faq.json'), '{"title": "FAQ"}');
    const run = await mac(['kb', 'ingest', 'kb', '--json'], dir);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.message).toContain(`Cannot ingest ${path.join(kb, 'faq.json')}: "sections" is missing or not an array`);
    expect(run.stderr).toContain('faq.json');
  });

  it('search before any ingest is a precondition error (exit 4); bad flags are usage errors (exit 2)', async () => {
    const none = await mac(['kb', 'search', 'return policy'], dir);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/No knowledge base yet for environment local/);
    expect(none.stderr).toMatch(/mac kb ingest/);

    expect((await mac(['kb', 'search', 'x', '--lang', 'de'], dir)).code).toBe(2);
    expect((await mac(['kb', 'search', 'x', '-k', '0'], dir)).code).toBe(2);
  });

  it('the run functions work without commander', async () => {
    const deps = new Deps({ io: memoryIo(), cwd: dir, env: {} });
    const ingest = await kbIngestRun({ dir: DEMO_KB }, deps);
    expect(ingest.documents).toBe(27);
    const search = await kbSearchRun({ query: 'cuánto cuesta el envío a México', lang: 'es', hits: 3 }, deps);
    expect(search.hits.map((h) => h.source)).toContain('es/envios.md');
    await expect(kbSearchRun({ query: '   ' }, deps)).rejects.toThrow(/empty/);
  });

  it('help shows examples', () => {
    const deps = new Deps({ io: memoryIo(), cwd: dir, env: {} });
    const kb = kbCommand(deps);
    let help = '';
    kb.configureOutput({ writeOut: (s) => (help += s) });
    kb.outputHelp();
    expect(help).toContain('Examples:');
    expect(help).toContain('mac kb ingest data/demo-shop/kb');
  });
});
