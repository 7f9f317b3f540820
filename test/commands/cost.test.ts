import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { turnSpans, writeTraces } from '../cost/helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const now = new Date('2026-11-16T00:00:00Z'); // half of November

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('mac-cost-'));
  await writeTraces(path.join(dir, '.mac', 'local', 'dev', 'traces'), [
    ...turnSpans('s1', '2026-11-02T10:00:00Z'),
    ...turnSpans('s1', '2026-11-02T10:01:00Z'),
    ...turnSpans('s2', '2026-11-10T10:00:00Z'),
  ]);
});
afterEach(() => cleanup());

describe('mac cost report', () => {
  it('prints the projection as one JSON document, extrapolated with the injected clock', async () => {
    const run = await runCli(['cost', 'report', '--json'], { cwd: dir, now });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { environment: string; month: string; actualSpendUsd: number; usage: { conversationsPerMonth: number; turnsPerMonth: number }; budget: { amountUsd: number } };
    expect(doc).toMatchObject({ environment: 'local', month: '2026-11', actualSpendUsd: 0, budget: { amountUsd: 360 } });
    expect(doc.usage.conversationsPerMonth).toBeCloseTo(4, 9);
    expect(doc.usage.turnsPerMonth).toBeCloseTo(6, 9);
  });

  it('table output shows the services, thresholds and price sources', async () => {
    const run = await runCli(['cost', 'report'], { cwd: dir, now });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Container Instances/);
    expect(run.stdout).toMatch(/83% \(\$298\.80\)/);
    expect(run.stdout).toMatch(/93% \(\$334\.80\)/);
    expect(run.stdout).toContain('https://azure.microsoft.com/en-us/pricing/details/');
  });

  it('--fail-on exits 5 after printing the report', async () => {
    const run = await runCli(['cost', 'report', '--fail-on', '93'], { cwd: dir, now });
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/TOTAL/);
    expect(run.stderr).toMatch(/fail-on 93%/);
    const high = await runCli(['cost', 'report', '--fail-on', '200'], { cwd: dir, now });
    expect(high.code, high.stderr).toBe(0);
    const bad = await runCli(['cost', 'report', '--fail-on', '0'], { cwd: dir, now });
    expect(bad.code).toBe(2);
  });

  it('csv: a header row and one quoted row per line', async () => {
    const run = await runCli(['cost', 'report', '--format', 'csv'], { cwd: dir, now });
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('service,line,monthly_usd,basis');
    expect(rows).toContainEqual(expect.stringMatching(/^Networking,Application Gateway WAF_v2 fixed,\d+\.\d\d,/));
    expect(rows.length).toBeGreaterThan(10);
  });

  it('markdown: a table and the notes', async () => {
    const run = await runCli(['cost', 'report', '--format', 'markdown', '--month', '2026-11'], { cwd: dir, now });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('| Service | Line | Monthly (USD) | Basis |');
    expect(run.stdout).toMatch(/\| \*\*Total\*\* \|/);
    expect(run.stdout).toMatch(/### Notes/);
  });

  it('a month without traces: usage lines are zero, with a note', async () => {
    const run = await runCli(['cost', 'report', '--month', '2026-10', '--json'], { cwd: dir, now });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { lines: { kind: string; monthlyUsd: number }[]; notes: string[] };
    expect(doc.lines.filter((l) => l.kind === 'usage').every((l) => l.monthlyUsd === 0)).toBe(true);
    expect(doc.notes.join('\n')).toMatch(/No traces for 2026-10/);
  });

  it('rejects a bad month, and --conversations-per-month on an azure environment', async () => {
    expect((await runCli(['cost', 'report', '--month', '2026-13'], { cwd: dir, now })).code).toBe(2);
    await writeFile(
      path.join(dir, 'mac.yaml'),
      'version: 1\nenvironments:\n  prod:\n    target: azure\n    subscription: 00000000-0000-0000-0000-000000000000\n',
    );
    // An azure report reads actual spend (test/commands/cost-azure.test.ts); a local projection flag is a usage error.
    const run = await runCli(['cost', 'report', '-e', 'prod', '--conversations-per-month', '3000'], { cwd: dir, now });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/an azure report reads actual spend/);
  });
});
