// mac dr-drill for real, on the local target: the platform runs as detached processes, backs itself up every second,
// and the drill destroys its live data, restores it and measures RTO/RPO. Needs dist/ (npm run build).
import { randomBytes } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillReport } from '../../src/drill/report.js';
import { runCli, tempDir, type CliRun } from '../helpers/cli.js';

const TIMEOUT = 180_000;

/** The last NDJSON event of a streaming command: its result. */
function result(run: CliRun): { type: string; data: DrillReport & { files: { json: string; markdown: string; html: string } } } {
  const lines = run.stdout.trim().split('\n');
  for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  return JSON.parse(lines.at(-1)!);
}

const exists = (file: string) => stat(file).then(
  () => true,
  () => false,
);

describe('mac dr-drill (local target)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  const mac = (args: string[]) => runCli(args, { cwd: dir, env });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('mac-drill-'));
    env = { MAC_VAULT_KEY: randomBytes(32).toString('base64'), CI: '1' };
    await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  local:\n    target: local\n    port: 0\n    backups:\n      intervalSeconds: 1\n');
    const deployed = await mac(['deploy']);
    expect(deployed.code, deployed.stderr).toBe(0);
  }, TIMEOUT);

  afterAll(async () => {
    if (!dir) return;
    await mac(['destroy', '--yes']);
    await cleanup();
  }, TIMEOUT);

  it('refuses without --yes when there is no terminal to ask in, and destroys nothing', async () => {
    const run = await mac(['dr-drill']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/would destroy the live data of local/);
    expect(run.stderr).toMatch(/--yes/);
    expect(await exists(path.join(dir, '.mac/local/data/platform.db'))).toBe(true);
    expect(await exists(path.join(dir, '.mac/local/drills'))).toBe(false);
    expect((await mac(['smoke'])).code).toBe(0);
  });

  it('destroys, restores and redeploys the platform, measures RTO and RPO, and writes the report: PASS', async () => {
    const run = await mac(['dr-drill', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { type, data: report } = result(run);
    expect(type).toBe('result');
    expect(report.verdict, report.reasons.join('\n')).toBe('PASS');
    expect(report.reasons).toEqual([]);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual(
      ['preflight', 'record-state', 'canaries', 'destroy', 'rebuild', 'restore', 'redeploy', 'smoke', 'verify'].map((n) => [n, 'ok']),
    );
    // Progress streamed as NDJSON step events before the result.
    expect(run.stdout).toMatch(/"type":"step.start","ts":"[^"]+","data":\{"step":"destroy"\}/);

    const rto = report.policies.find((p) => p.policy === 'RTO')!;
    const rpo = report.policies.find((p) => p.policy === 'RPO')!;
    expect(rto).toMatchObject({ targetSeconds: 4 * 3600, verdict: 'PolicyMet' });
    expect(rpo).toMatchObject({ targetSeconds: 3600, verdict: 'PolicyMet' });
    expect(rto.measuredSeconds).toBeGreaterThan(0);
    expect(rto.measuredSeconds).toBeLessThan(120);
    // Backups every second: at most a few seconds of canaries are lost.
    expect(rpo.measuredSeconds).toBeGreaterThan(0);
    expect(rpo.measuredSeconds).toBeLessThanOrEqual(5);
    expect(Date.parse(report.recoveredAt!) - Date.parse(report.destroyedAt!)).toBeCloseTo(rto.measuredSeconds! * 1000, -1);

    const c = report.canaries!;
    expect(c.written).toBeGreaterThan(3);
    expect(c.survived).toBeGreaterThan(0);
    expect(c.survived + c.lost).toBe(c.written);
    expect(c.lostBeforeBackup).toBe(0);
    expect(c.restoredBackupAt).toBeDefined();
    expect(c.newestSurvivingAt! < report.destroyedAt!).toBe(true);
    if (c.lost > 0) expect(c.oldestLostAt! > c.restoredBackupAt!).toBe(true);

    // The release, its configuration and the data that existed before the drill came back.
    const diff = Object.fromEntries(report.stateDiff.map((d) => [d.key, d.same]));
    expect(diff).toMatchObject({ processes: true, release: true, configHash: true, 'data.conversation_turns': true });

    const drills = path.join(dir, '.mac/local/drills');
    expect(await readdir(drills)).toEqual([report.runId]);
    expect(report.runId).toMatch(/^\d{8}T\d{6}Z$/);
    for (const file of ['report.json', 'report.md', 'report.html']) expect(await exists(path.join(drills, report.runId, file)), file).toBe(true);
    expect(report.files.html).toBe(path.join(drills, report.runId, 'report.html'));

    const smoke = await mac(['smoke']);
    expect(smoke.code, smoke.stderr).toBe(0);
  }, TIMEOUT);

  it('an RPO target the drill cannot meet is a FAIL verdict: exit 6, PolicyBreached, the report still written', async () => {
    const run = await mac(['dr-drill', '--yes', '--json', '--rpo', '0.001s', '--report-dir', 'drill-out']);
    expect(run.code, run.stderr).toBe(6);
    const { type, data: report } = result(run);
    expect(type).toBe('result');
    expect(report.verdict).toBe('FAIL');
    expect(report.policies.find((p) => p.policy === 'RPO')).toMatchObject({ verdict: 'PolicyBreached', targetSeconds: 0.001 });
    expect(report.policies.find((p) => p.policy === 'RTO')?.verdict).toBe('PolicyMet');
    expect(report.reasons.join('\n')).toMatch(/RPO .* exceeds the target/);
    expect(run.stderr).toMatch(/verdict FAIL/);
    for (const file of ['report.json', 'report.md', 'report.html']) expect(await exists(path.join(dir, 'drill-out', file)), file).toBe(true);
    // Only the policy was breached: the platform was restored and is healthy.
    expect((await mac(['smoke'])).code).toBe(0);
  }, TIMEOUT);

  it('a malformed duration is a usage error before anything is touched', async () => {
    const run = await mac(['dr-drill', '--yes', '--rto', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--rto: expected a duration/);
  });
});
