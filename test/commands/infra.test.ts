// mac infra plan|apply|destroy|output as an operator runs them: the real program (runCli) and the real terraform
// binary, on a `terraform_data` stack standing in for the environment's terraformDir.
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { infraCommand } from '../../src/commands/infra.js';
import { Deps } from '../../src/deps.js';
import { execaRunner, type RunOptions, type Runner } from '../../src/exec.js';
import { memoryIo } from '../../src/io.js';
import type { Prompter } from '../../src/prompter.js';
import { runCli, runCommand, tempDir } from '../helpers/cli.js';
import { hasTerraform } from '../helpers/terraform.js';

if (!hasTerraform) console.warn('SKIPPING the mac infra tests that run Terraform: no `terraform` binary on PATH (install Terraform ≥ 1.6).');

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const SECRET = 'sp-secret-Zq81-never-in-argv';
/** Deps env of every run: offline Terraform, and a service principal the way CI provides it. */
const ENV = {
  TF_CLI_CONFIG_FILE: '/dev/null',
  CHECKPOINT_DISABLE: '1',
  AZURE_CLIENT_ID: 'client-id',
  AZURE_CLIENT_SECRET: SECRET,
  AZURE_TENANT_ID: 'tenant-id',
};

const STACK = `
variable "gen" {
  type    = string
  default = "1"
}

resource "terraform_data" "a" {
  input = "alpha"
}

resource "terraform_data" "b" {
  input            = "beta"
  triggers_replace = [var.gen]
}

resource "terraform_data" "c" {
  input = "gamma"
}

output "key_vault_uri" {
  value = "https://multiagent-kv.vault.azure.net/"
}

output "container_group_names" {
  value = { "intent-classifier" = "multiagent-intent-classifier" }
}

output "admin_password" {
  value     = "hunter2-\${var.gen}"
  sensitive = true
}
`;

const MAC_YAML = `version: 1
environments:
  prod:
    target: azure
    subscription: ${SUBSCRIPTION}
    terraformDir: infra/stack
  dev:
    target: local
`;

describe('mac infra', () => {
  let dir: string;
  let stack: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-infra-'));
    stack = path.join(dir, 'infra', 'stack');
    await mkdir(stack, { recursive: true });
    await writeFile(path.join(stack, 'main.tf'), STACK);
    await writeFile(path.join(dir, 'mac.yaml'), MAC_YAML);
  });
  afterEach(() => cleanup());

  const mac = (args: string[], runner?: Runner) => runCli(args, { cwd: dir, env: ENV, runner });
  const outputsFile = () => path.join(dir, '.mac', 'prod', 'terraform-outputs.json');
  const stateResources = async () => {
    const file = path.join(stack, 'terraform.tfstate');
    if (!existsSync(file)) return [];
    return (JSON.parse(await readFile(file, 'utf8')) as { resources: { name: string }[] }).resources.map((r) => r.name).sort();
  };

  it.skipIf(!hasTerraform)('plan -e prod prints each change and the add/change/destroy totals; --fail-on-changes exits 3', async () => {
    const run = await mac(['infra', 'plan', '-e', 'prod']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^action\s+resource$/m);
    for (const r of ['a', 'b', 'c']) expect(run.stdout).toMatch(new RegExp(`^create\\s+terraform_data\\.${r}$`, 'm'));
    expect(run.stdout).toMatch(/^Outputs changing: admin_password, container_group_names, key_vault_uri$/m);
    expect(run.stdout).toMatch(/^Plan for prod: 3 to add, 0 to change, 0 to destroy\.$/m);
    expect(run.stderr).toMatch(/✓ terraform init/);
    expect(run.stderr).toMatch(/✓ terraform plan/);
    expect(await stateResources()).toEqual([]);
    expect((await stat(path.join(dir, '.mac', 'prod', 'tfplan'))).mode & 0o777).toBe(0o600);

    const strict = await mac(['infra', 'plan', '-e', 'prod', '--fail-on-changes', '--json']);
    expect(strict.code).toBe(3);
    const doc = JSON.parse(strict.stdout);
    expect(doc).toMatchObject({ environment: 'prod', terraformDir: stack, changes: true, add: 3, change: 0, destroy: 0 });
    expect(doc.resources).toHaveLength(3);
    expect(strict.stderr).toMatch(/error: Changes are pending for prod\.\nhint: Apply them with: mac infra apply -e prod/);
  });

  it.skipIf(!hasTerraform)('apply without --yes and without a TTY shows the plan and refuses (exit 2), changing nothing', async () => {
    const run = await mac(['infra', 'apply', '-e', 'prod']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/create\s+terraform_data\.a/);
    expect(run.stderr).toMatch(/error: mac infra apply would change prod: 3 to add, 0 to change, 0 to destroy\.\nhint: .*--yes/);
    expect(run.stdout).toBe('');
    expect(await stateResources()).toEqual([]);
    expect(existsSync(outputsFile())).toBe(false);
  });

  it.skipIf(!hasTerraform)('apply --yes shows live progress per resource and saves the non-sensitive outputs (0600); plan then finds nothing to do', async () => {
    const run = await mac(['infra', 'apply', '-e', 'prod', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    for (const r of ['a', 'b', 'c']) expect(run.stderr).toMatch(new RegExp(`^ {2}terraform_data\\.${r}: created \\(\\d+\\.\\ds\\)$`, 'm'));
    expect(run.stderr).toMatch(/✓ terraform apply/);
    expect(run.stdout).toMatch(/^Applied prod: 3 added, 0 changed, 0 destroyed\.$/m);
    expect(run.stdout).toMatch(/sensitive left out: admin_password/);
    expect(await stateResources()).toEqual(['a', 'b', 'c']);
    expect(existsSync(path.join(dir, '.mac', 'prod', 'tfplan'))).toBe(false);

    expect((await stat(outputsFile())).mode & 0o777).toBe(0o600);
    const saved = await readFile(outputsFile(), 'utf8');
    expect(JSON.parse(saved)).toEqual({
      key_vault_uri: 'https://multiagent-kv.vault.azure.net/',
      container_group_names: { 'intent-classifier': 'multiagent-intent-classifier' },
    });
    expect(saved).not.toContain('hunter2');
    expect(run.stdout + run.stderr).not.toContain('hunter2');

    const again = await mac(['infra', 'plan', '-e', 'prod', '--fail-on-changes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^No changes: prod matches its configuration/m);
  });

  it.skipIf(!hasTerraform)('apply --yes --json streams NDJSON events only, the result last', async () => {
    const run = await mac(['infra', 'apply', '-e', 'prod', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; ts: string; data: Record<string, unknown> });
    for (const e of events) expect(Object.keys(e).sort()).toEqual(['data', 'ts', 'type']);
    expect(events.find((e) => e.type === 'plan')?.data).toMatchObject({ add: 3, change: 0, destroy: 0 });
    const progress = events.filter((e) => e.type === 'step.progress' && e.data.step === 'terraform apply').map((e) => e.data.message);
    expect(progress).toEqual(expect.arrayContaining([expect.stringMatching(/^terraform_data\.a: created \(\d+\.\ds\)$/)]));
    const last = events.at(-1);
    expect(last?.type).toBe('result');
    expect(last?.data).toMatchObject({ environment: 'prod', applied: true, add: 3, sensitive: ['admin_password'], outputsFile: outputsFile() });
    expect((last?.data.values as Record<string, unknown>).key_vault_uri).toBe('https://multiagent-kv.vault.azure.net/');
    expect(run.stdout).not.toContain('hunter2');
  });

  it.skipIf(!hasTerraform)('a changed variable shows as a replace, then output and destroy', async () => {
    expect((await mac(['infra', 'apply', '-e', 'prod', '--yes'])).code).toBe(0);
    await writeFile(path.join(stack, 'terraform.tfvars.json'), JSON.stringify({ gen: '2' }));

    const plan = await mac(['infra', 'plan', '-e', 'prod']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^replace\s+terraform_data\.b$/m);
    expect(plan.stdout).not.toMatch(/terraform_data\.a/);
    expect(plan.stdout).toMatch(/^Plan for prod: 1 to add, 0 to change, 1 to destroy\.$/m);

    const output = await mac(['infra', 'output', '-e', 'prod']);
    expect(output.code, output.stderr).toBe(0);
    expect(output.stdout).toMatch(/^admin_password\s+\(sensitive\)$/m);
    expect(output.stdout).toMatch(/^key_vault_uri\s+https:\/\/multiagent-kv\.vault\.azure\.net\/$/m);
    const json = JSON.parse((await mac(['infra', 'output', '-e', 'prod', '--json'])).stdout);
    expect(json).toMatchObject({ environment: 'prod', sensitive: ['admin_password'], outputsFile: outputsFile() });
    expect(json.values).not.toHaveProperty('admin_password');

    const refused = await mac(['infra', 'destroy', '-e', 'prod']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/delete\s+terraform_data\.a/);
    expect(refused.stderr).toMatch(/error: mac infra destroy would DESTROY 3 resource\(s\) of prod/);
    expect(await stateResources()).toEqual(['a', 'b', 'c']);

    const destroy = await mac(['infra', 'destroy', '-e', 'prod', '--yes']);
    expect(destroy.code, destroy.stderr).toBe(0);
    for (const r of ['a', 'b', 'c']) expect(destroy.stderr).toMatch(new RegExp(`^ {2}terraform_data\\.${r}: destroyed \\(\\d+\\.\\ds\\)$`, 'm'));
    expect(destroy.stdout).toMatch(/^Destroyed 3 resource\(s\) of prod\.$/m);
    expect(await stateResources()).toEqual([]);
    expect(existsSync(outputsFile())).toBe(false);

    const nothing = await mac(['infra', 'destroy', '-e', 'prod']);
    expect(nothing.code, nothing.stderr).toBe(0);
    expect(nothing.stdout).toMatch(/Nothing to destroy in prod/);
  });

  it.skipIf(!hasTerraform)('asks before applying on a TTY; declining changes nothing, accepting applies', async () => {
    await writeFile(path.join(dir, 'mac.yaml'), MAC_YAML.replace('environments:', 'defaultEnvironment: prod\nenvironments:'));
    const answers: boolean[] = [false, true];
    const questions: string[] = [];
    const prompter: Prompter = {
      input: async () => '',
      select: async () => {
        throw new Error('unexpected');
      },
      confirm: async (q) => {
        questions.push(q.message);
        return answers.shift() ?? false;
      },
    };
    const deps = () => new Deps({ io: memoryIo({ stdinIsTTY: true }), cwd: dir, env: ENV, prompter });
    const d1 = deps();
    const declined = await runCommand(d1, infraCommand(d1), ['infra', 'apply']);
    expect(declined.code, declined.stderr).toBe(0);
    expect(declined.stderr).toMatch(/Nothing changed\./);
    expect(await stateResources()).toEqual([]);
    const d2 = deps();
    const accepted = await runCommand(d2, infraCommand(d2), ['infra', 'apply']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(questions).toEqual(['This will change prod: 3 to add, 0 to change, 0 to destroy. Apply?', 'This will change prod: 3 to add, 0 to change, 0 to destroy. Apply?']);
    expect(await stateResources()).toEqual(['a', 'b', 'c']);
  });

  it.skipIf(!hasTerraform)('a state lock held by another process: exit 4 with the force-unlock command and the lock ID', async () => {
    await writeFile(
      path.join(stack, 'main.tf'),
      'resource "terraform_data" "slow" {\n  input = "slow"\n  provisioner "local-exec" {\n    command = "sleep 5"\n  }\n}\n',
    );
    const { execa } = await import('execa');
    const holder = execa('terraform', [`-chdir=${stack}`, 'apply', '-auto-approve', '-input=false', '-no-color'], { env: { ...ENV, TF_IN_AUTOMATION: '1' }, reject: false });
    try {
      const lockInfo = path.join(stack, '.terraform.tfstate.lock.info');
      const deadline = Date.now() + 10_000;
      while (!existsSync(lockInfo) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const { ID: lockId } = JSON.parse(await readFile(lockInfo, 'utf8')) as { ID: string };
      const run = await mac(['infra', 'plan', '-e', 'prod', '--lock-timeout', '1']);
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(`lock ${lockId}`);
      expect(run.stderr).toMatch(new RegExp(`hint: .*terraform -chdir=${stack} force-unlock ${lockId}`));
    } finally {
      await holder;
    }
  });

  it.skipIf(!hasTerraform)('credentials reach terraform only through the environment, with the environment’s subscription', async () => {
    const calls: { args: string[]; env: Record<string, string | undefined> }[] = [];
    const runner: Runner = {
      run(file, args, options: RunOptions = {}) {
        calls.push({ args: [...args], env: { ...(options.env ?? {}) } });
        return execaRunner.run(file, args, options);
      },
    };
    expect((await mac(['infra', 'apply', '-e', 'prod', '--yes'], runner)).code).toBe(0);
    expect((await mac(['infra', 'destroy', '-e', 'prod', '--yes'], runner)).code).toBe(0);
    expect(calls.map((c) => c.args[1])).toEqual(expect.arrayContaining(['version', 'init', 'plan', 'show', 'apply', 'output']));
    for (const call of calls) {
      expect(call.args[0]).toBe(`-chdir=${stack}`);
      expect(call.args.join('\u0000')).not.toContain(SECRET);
      expect(call.env).toMatchObject({ ARM_CLIENT_SECRET: SECRET, ARM_CLIENT_ID: 'client-id', ARM_TENANT_ID: 'tenant-id', ARM_SUBSCRIPTION_ID: SUBSCRIPTION, TF_IN_AUTOMATION: '1' });
    }
  });

  it('is for azure environments only (exit 2), and says when terraformDir is missing (exit 4)', async () => {
    const local = await mac(['infra', 'plan', '-e', 'dev']);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/mac infra is for azure environments; dev is a local environment/);
    await writeFile(path.join(dir, 'mac.yaml'), MAC_YAML.replace('infra/stack', 'terraform/missing'));
    const missing = await mac(['infra', 'plan', '-e', 'prod']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/No Terraform configuration at .*terraform\/missing \(terraformDir of prod\)/);
    expect(missing.stderr).toMatch(/hint: .*mac init/);
  });

  it('every subcommand has examples in its help', async () => {
    for (const sub of ['plan', 'apply', 'destroy', 'output']) {
      const io = memoryIo();
      const d = new Deps({ io, cwd: dir, env: {} });
      const command = infraCommand(d).commands.find((c) => c.name() === sub);
      expect(command?.helpInformation() ?? '', sub).toBeTruthy();
      let help = '';
      command?.configureOutput({ writeOut: (s) => (help += s) });
      command?.outputHelp();
      expect(help, sub).toMatch(/Examples:\n\s+\$ mac infra /);
    }
  });
});
