// mac pii scan: find PII (emails, phones, cards, IBANs, national IDs, street addresses, IPs) in a file or stdin,
// and show where it is with a masked preview — never the full value of a card or an ID.
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { PiiEntity, PiiKind } from '../agents/pii/detect.js';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';

export interface PiiScanOptions {
  file?: string;
  json?: boolean;
}

export interface PiiScanEntity {
  kind: PiiKind;
  start: number;
  end: number;
  preview: string;
}

export interface PiiScanResult {
  entities: PiiScanEntity[];
  counts: Record<PiiKind, number>;
}

/** Where the text comes from when no FILE is given (process.stdin; a stream in tests). */
export type InputStream = AsyncIterable<string | Buffer> & { isTTY?: boolean };

export function piiCommand(deps: Deps, run = piiScanRun, input: InputStream = process.stdin): Command {
  const pii = new Command('pii').description('Find personal data (PII) in text, as the agents do before text leaves the platform');
  pii
    .command('scan')
    .description('List the PII in FILE (or stdin) with offsets and a masked preview, and a count per kind')
    .argument('[file]', 'text file to scan; stdin when omitted or "-"')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mac pii scan transcript.txt\n  $ cat ticket.txt | mac pii scan --json\n  $ echo "call me at 514-555-0123" | mac pii scan',
    )
    .action(async (file: string | undefined, _flags, cmd: Command) => {
      const result = await run({ ...cmd.optsWithGlobals<PiiScanOptions>(), file }, deps, input);
      printScan(result, deps);
    });
  return pii;
}

export async function piiScanRun(opts: PiiScanOptions, deps: Deps, input: InputStream = process.stdin): Promise<PiiScanResult> {
  const text = await readInput(opts.file, input);
  // Loaded here, not at start-up: phone metadata is large and only this command needs it.
  const { detectPii, PII_KINDS } = await import('../agents/pii/detect.js');
  const found = detectPii(text);
  const counts = Object.fromEntries(PII_KINDS.map((k) => [k, 0])) as Record<PiiKind, number>;
  for (const e of found) counts[e.kind]++;
  return { entities: found.map((e) => ({ kind: e.kind, start: e.start, end: e.end, preview: maskedPreview(e) })), counts };
}

async function readInput(file: string | undefined, input: InputStream): Promise<string> {
  if (file && file !== '-') {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
      throw new UsageError(`Cannot read ${file}: ${why}.`, 'Give a readable text file, or pipe the text: cat FILE | mac pii scan');
    }
  }
  if (input.isTTY) {
    throw new UsageError('No input: give a FILE or pipe text on stdin.', 'Example: cat transcript.txt | mac pii scan');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A preview that identifies the entity without disclosing it: last 4 characters of numbers and IDs. */
export function maskedPreview(e: Pick<PiiEntity, 'kind' | 'value'>): string {
  const v = e.value;
  switch (e.kind) {
    case 'email': {
      const at = v.lastIndexOf('@');
      return `${v[0] ?? ''}***${v.slice(at)}`;
    }
    case 'ip':
      return v.includes(':') ? `${v.split(':')[0]}:****` : `${v.split('.')[0]}.*.*.*`;
    case 'street_address':
      return v.replace(/\d/g, '*');
    default: {
      const chars = v.replace(/[^A-Za-z0-9]/g, '');
      return `****${chars.slice(-4)}`;
    }
  }
}

function printScan(result: PiiScanResult, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result(result);
  if (result.entities.length === 0) return io.out('No PII found.');
  io.out(
    io.table(result.entities, [
      { header: 'kind', value: (e) => e.kind },
      { header: 'offsets', value: (e) => `${e.start}-${e.end}` },
      { header: 'preview', value: (e) => e.preview },
    ]),
  );
  const n = result.entities.length;
  const parts = Object.entries(result.counts)
    .filter(([, c]) => c > 0)
    .map(([k, c]) => `${k} ${c}`);
  io.out(`\n${n} ${n === 1 ? 'entity' : 'entities'}: ${parts.join(', ')}`);
}
