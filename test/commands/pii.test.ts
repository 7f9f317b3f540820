import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maskedPreview, piiCommand, type InputStream } from '../../src/commands/pii.js';
import { Deps } from '../../src/deps.js';
import { memoryIo } from '../../src/io.js';
import { runCommand, tempDir } from '../helpers/cli.js';

const SAMPLE =
  'Hi, I am jane.doe@example.com, call me at (514) 555-0123.\n' +
  'Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, DNI 12345678Z.\n' +
  'Order #10234 for $79.00, ship to 12 rue de la Paix. From 192.168.1.20.\n';

function stdin(text: string, isTTY = false): InputStream {
  return Object.assign(Readable.from([Buffer.from(text, 'utf8')]), { isTTY });
}

/** The command under a root that has the global flags, as program.ts registers it. */
async function mac(args: string[], options: { cwd: string; input?: InputStream }) {
  const io = memoryIo();
  const deps = new Deps({ io, cwd: options.cwd, env: {} });
  return runCommand(deps, piiCommand(deps, undefined, options.input ?? stdin('')), args);
}

describe('mac pii scan', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('lists each entity of a FILE with offsets and a masked preview, then a count per kind', async () => {
    const file = path.join(dir, 'ticket.txt');
    await writeFile(file, SAMPLE);
    const run = await mac(['pii', 'scan', file], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^kind\s+offsets\s+preview$/);
    const start = SAMPLE.indexOf('jane.doe');
    expect(lines[1]).toMatch(new RegExp(`^email\\s+${start}-${start + 'jane.doe@example.com'.length}\\s+j\\*\\*\\*@example\\.com$`));
    expect(run.stdout).toMatch(/card\s+\d+-\d+\s+\*\*\*\*1111/);
    expect(run.stdout).toMatch(/iban\s+\d+-\d+\s+\*\*\*\*5432/);
    expect(run.stdout).toMatch(/national_id\s+\d+-\d+\s+\*\*\*\*678Z/);
    expect(run.stdout).toMatch(/street_address\s+\d+-\d+\s+\*\* rue de la Paix/);
    expect(run.stdout).toMatch(/ip\s+\d+-\d+\s+192\.\*\.\*\.\*/);
    expect(lines.at(-1)).toBe('7 entities: email 1, phone 1, card 1, iban 1, national_id 1, street_address 1, ip 1');
    // Never the full value of a card or an ID.
    for (const secret of ['4111 1111 1111 1111', '12345678Z', 'GB82 WEST', '555-0123', 'jane.doe']) expect(run.stdout).not.toContain(secret);
  });

  it('--json reads stdin and prints one document {entities, counts}', async () => {
    const run = await mac(['pii', 'scan', '--json'], { cwd: dir, input: stdin(SAMPLE) });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(Object.keys(doc)).toEqual(['entities', 'counts']);
    expect(doc.counts).toEqual({ email: 1, phone: 1, card: 1, iban: 1, national_id: 1, street_address: 1, ip: 1 });
    expect(doc.entities[1]).toEqual({ kind: 'phone', start: SAMPLE.indexOf('(514)'), end: SAMPLE.indexOf('(514)') + 14, preview: '****0123' });
    for (const e of doc.entities) expect(Object.keys(e)).toEqual(['kind', 'start', 'end', 'preview']);
    expect(run.stdout).not.toContain('4111 1111');
  });

  it('"-" reads stdin too; offsets count UTF-16 code units', async () => {
    const text = '😀 écrire à a@b.co';
    const run = await mac(['pii', 'scan', '-', '--json'], { cwd: dir, input: stdin(text) });
    expect(JSON.parse(run.stdout).entities).toEqual([{ kind: 'email', start: text.indexOf('a@'), end: text.length, preview: 'a***@b.co' }]);
  });

  it('says so when there is nothing to report', async () => {
    const run = await mac(['pii', 'scan'], { cwd: dir, input: stdin('Order #10234 shipped on 2024-05-02, tracking 1Z999AA10123456784.') });
    expect(run.stdout).toBe('No PII found.\n');
    const json = await mac(['pii', 'scan', '--json'], { cwd: dir, input: stdin('nothing here') });
    expect(JSON.parse(json.stdout)).toEqual({
      entities: [],
      counts: { email: 0, phone: 0, card: 0, iban: 0, national_id: 0, street_address: 0, ip: 0 },
    });
  });

  it('a missing file is a usage error (exit 2) with a hint', async () => {
    const run = await mac(['pii', 'scan', path.join(dir, 'nope.txt')], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Cannot read .*nope\.txt: no such file/);
    expect(run.stderr).toMatch(/hint: .*mac pii scan/);
  });

  it('does not wait on a terminal: no FILE and stdin is a TTY is a usage error', async () => {
    const run = await mac(['pii', 'scan'], { cwd: dir, input: stdin('', true) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No input: give a FILE or pipe text on stdin/);
  });

  it('has help with examples', () => {
    const scan = piiCommand(new Deps({ io: memoryIo(), cwd: dir, env: {} })).commands.find((c) => c.name() === 'scan')!;
    let help = '';
    scan.configureOutput({ writeOut: (s) => (help += s) });
    scan.outputHelp();
    expect(help).toMatch(/Usage: pii scan \[options\] \[file\]/);
    expect(help).toMatch(/Examples:\n {2}\$ mac pii scan transcript\.txt/);
  });
});

describe('maskedPreview', () => {
  it.each([
    ['email', 'jane.doe@example.com', 'j***@example.com'],
    ['phone', '+33 6 12 34 56 78', '****5678'],
    ['card', '4111-1111-1111-1111', '****1111'],
    ['iban', 'FR14 2004 1010 0505 0001 3M02 606', '****2606'],
    ['national_id', '1 84 12 76 451 089 46', '****8946'],
    ['street_address', 'Calle Mayor 14, 3ºB', 'Calle Mayor **, *ºB'],
    ['ip', '2001:db8::1', '2001:****'],
  ] as const)('%s', (kind, value, preview) => {
    expect(maskedPreview({ kind, value })).toBe(preview);
  });
});
