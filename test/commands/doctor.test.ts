import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { RunResult, Runner } from '../../src/exec.js';
import { runCli, tempDir } from '../helpers/cli.js';

/** A fake at the process boundary: answers like the real binaries would, or "not installed". */
function fakeBinaries(answers: Record<string, Partial<RunResult>>): Runner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async run(file, args) {
      calls.push([file, ...args]);
      const a = answers[file];
      if (!a) return { exitCode: undefined, stdout: '', stderr: '', notFound: true, timedOut: false };
      return { exitCode: 0, stdout: '', stderr: '', notFound: false, timedOut: false, ...a };
    },
  };
}

const terraform = (v: string) => ({ stdout: JSON.stringify({ terraform_version: v, platform: 'linux_amd64' }) });
const allTools = {
  terraform: terraform('1.9.8'),
  az: { stdout: JSON.stringify({ 'azure-cli': '2.67.0', 'azure-cli-core': '2.67.0' }) },
  gh: { stdout: 'gh version 2.63.2 (2024-12-05)\nhttps://github.com/cli/cli/releases/tag/v2.63.2' },
  kubectl: { stdout: JSON.stringify({ clientVersion: { gitVersion: 'v1.31.2' } }) },
};

describe('mac doctor', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('reports every tool with its version as JSON', async () => {
    const runner = fakeBinaries(allTools);
    const run = await runCli(['doctor', '--json'], { cwd: dir, runner });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.environment).toBe('local');
    expect(doc.checks.map((c: { name: string; status: string; detail: string }) => [c.name, c.status, c.detail])).toEqual([
      ['node', 'ok', `v${process.versions.node}`],
      ['terraform', 'ok', '1.9.8'],
      ['az', 'ok', '2.67.0'],
      ['gh', 'ok', '2.63.2'],
      ['kubectl', 'ok', '1.31.2'],
    ]);
    expect(runner.calls).toContainEqual(['terraform', 'version', '-json']);
  });

  it('on a local environment, missing optional tools are warnings with a fix (exit 0)', async () => {
    const run = await runCli(['doctor'], { cwd: dir, runner: fakeBinaries({}) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/terraform\s+warn\s+not found on PATH\s+install Terraform/);
    expect(run.stdout).toMatch(/az\s+warn\s+not found on PATH\s+install the Azure CLI/);
  });

  it('on an azure environment, an old terraform and a missing credential fail the required checks (exit 4)', async () => {
    // Restrict the credential chain to environment variables, which are absent: no network probe is made.
    const saved = { ...process.env };
    process.env.AZURE_TOKEN_CREDENTIALS = 'EnvironmentCredential';
    for (const k of ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH']) delete process.env[k];
    onTestFinished(() => {
      process.env = saved;
    });
    await writeFile(
      path.join(dir, 'mac.yaml'),
      'environments:\n  prod:\n    target: azure\n    subscription: 00000000-0000-0000-0000-000000000000\n',
    );
    const run = await runCli(['-e', 'prod', 'doctor', '--timeout', '1'], {
      cwd: dir,
      runner: fakeBinaries({ ...allTools, terraform: terraform('1.5.7') }),
    });
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/terraform\s+fail\s+1\.5\.7 \(< 1\.6\.0\)/);
    expect(run.stdout).toMatch(/azure credential\s+fail\s+.*run `az login`/);
    expect(run.stderr).toMatch(/Required check\(s\) failed: terraform, azure credential/);
  });
});
