import { execFileSync } from 'node:child_process';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, tempDir } from '../helpers/cli.js';

const PHASE4_FILES = [
  'app_gateway.tf',
  'budget_alerts.tf',
  'container_instances.tf',
  'cosmos_db.tf',
  'key_vault.tf',
  'main.tf',
  'monitoring.tf',
  'networking.tf',
  'openai.tf',
  'outputs.tf',
  'providers.tf',
  'resource_groups.tf',
  'storage.tf',
  'variables.tf',
];
const SUB = '00000000-0000-0000-0000-000000000000';
const NOW = new Date('2026-11-26T12:00:00Z');

const hasTerraform = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
    return true;
  } catch {
    console.warn('SKIPPING terraform fmt checks: `terraform` is not on PATH');
    return false;
  }
})();

async function snapshot(dir: string, rel = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const child = path.join(rel, e.name);
    if (e.isDirectory()) Object.assign(out, await snapshot(dir, child));
    else out[child] = await readFile(path.join(dir, child), 'utf8');
  }
  return out;
}

describe('mac init', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  const azureInit = (...extra: string[]) =>
    runCli(
      [
        'init', '--no-prompt', '--env', 'prod', '--target', 'azure', '--subscription', SUB, '--region', 'eastus',
        '--budget', '360', '--alert-emails', 'ops@example.com', '--dir', dir, ...extra,
      ],
      { cwd: process.cwd(), now: NOW },
    );

  it('scaffolds the Phase 4 stack, modules, 0600 tfvars, mac.yaml and .gitignore; a second run changes nothing', async () => {
    const first = await azureInit();
    expect(first.code, first.stderr).toBe(0);
    expect((await readdir(path.join(dir, 'terraform/phase4_prod'))).filter((f) => f.endsWith('.tf')).sort()).toEqual(PHASE4_FILES);
    for (const mod of ['agent', 'cosmos', 'monitoring']) {
      expect(await readdir(path.join(dir, 'terraform/modules', mod))).toContain('main.tf');
    }

    const tfvarsPath = path.join(dir, 'terraform/phase4_prod/terraform.tfvars.json');
    expect((await stat(tfvarsPath)).mode & 0o777).toBe(0o600);
    const tfvars = JSON.parse(await readFile(tfvarsPath, 'utf8'));
    expect(tfvars).toMatchObject({
      subscription_id: SUB,
      environment: 'prod',
      location: 'eastus',
      budget_amount: 360,
      alert_thresholds: [0.83, 0.93],
      alert_emails: ['ops@example.com'],
      budget_start_date: '2026-11-01T00:00:00Z',
    });
    expect(Object.keys(tfvars.agents)).toHaveLength(8);
    expect(JSON.stringify(tfvars)).not.toMatch(/secret|password|client_id|tenant/i);

    const config = parseYaml(await readFile(path.join(dir, 'mac.yaml'), 'utf8'));
    expect(config.environments.prod).toEqual({
      target: 'azure',
      subscription: SUB,
      region: 'eastus',
      budget: { amount: 360, contactEmails: ['ops@example.com'] },
    });

    const before = await snapshot(dir);
    const second = await azureInit();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Up to date/);
    expect(await snapshot(dir)).toEqual(before);

    const gitignore = await readFile(path.join(dir, '.gitignore'), 'utf8');
    for (const line of ['*.tfvars', '*.tfvars.json', '.terraform/', '*.tfstate', '*.tfstate.backup', '.terraform.lock.hcl', '.mac/']) {
      expect(gitignore.split('\n').filter((l) => l === line), line).toHaveLength(1);
    }
  });

  it.skipIf(!hasTerraform)('writes files that terraform fmt accepts', async () => {
    expect((await azureInit()).code).toBe(0);
    execFileSync('terraform', ['fmt', '-check', '-recursive', path.join(dir, 'terraform')], {
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
    });
  });

  it('keeps a file the operator changed unless --force, and says which', async () => {
    expect((await azureInit()).code).toBe(0);
    const main = path.join(dir, 'terraform/phase4_prod/main.tf');
    await writeFile(main, '# my own changes\n');
    const kept = await azureInit();
    expect(kept.code).toBe(0);
    expect(kept.stderr).toMatch(/kept: terraform\/phase4_prod\/main\.tf/);
    expect(await readFile(main, 'utf8')).toBe('# my own changes\n');
    const forced = await azureInit('--force');
    expect(forced.code).toBe(0);
    expect(await readFile(main, 'utf8')).not.toBe('# my own changes\n');
  });

  it('appends only the missing ignore lines to an existing .gitignore', async () => {
    await writeFile(path.join(dir, '.gitignore'), 'node_modules/\n.mac/');
    expect((await azureInit()).code).toBe(0);
    const lines = (await readFile(path.join(dir, '.gitignore'), 'utf8')).split('\n');
    expect(lines.slice(0, 2)).toEqual(['node_modules/', '.mac/']);
    expect(lines.filter((l) => l === '.mac/')).toHaveLength(1);
    expect(lines).toContain('*.tfstate');
  });

  it('refuses flags that contradict mac.yaml, naming the key (exit 2)', async () => {
    expect((await azureInit()).code).toBe(0);
    const run = await azureInit('--region', 'westeurope');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/region: mac\.yaml has "eastus", the flags say "westeurope"/);
  });

  it('writes the chosen CI pipeline', async () => {
    expect((await azureInit('--ci', 'github')).code).toBe(0);
    expect(await readFile(path.join(dir, '.github/workflows/deploy.yml'), 'utf8')).toMatch(/npm test/);
    expect((await azureInit('--ci', 'azure-devops')).code).toBe(0);
    expect(await readFile(path.join(dir, 'azure-pipelines.yml'), 'utf8')).toMatch(/stages:/);
  });

  it('a local environment needs no Terraform', async () => {
    const run = await runCli(['init', '--no-prompt', '--env', 'dev', '--target', 'local', '--dir', dir], { cwd: process.cwd() });
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(await snapshot(dir)).sort()).toEqual(['.gitignore', '.mac/scaffold.json', 'mac.yaml']);
  });

  it('without prompts, a missing answer names the flag to pass (exit 2)', async () => {
    const run = await runCli(['init', '--no-prompt', '--dir', dir], { cwd: process.cwd() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Pass --target local\|azure/);
    const bad = await runCli(['init', '--no-prompt', '--target', 'azure', '--budget', 'lots', '--dir', dir], { cwd: process.cwd() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--budget: expected a positive number/);
  });
});
