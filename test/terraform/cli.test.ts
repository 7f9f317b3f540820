// The Terraform runner against the real binary, on a stack of built-in `terraform_data` resources (no provider
// download, so it runs offline): init, plan, show, apply, output, destroy, a lock held by another process, and
// credentials that travel only in the environment.
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FailedError, PreconditionError, UsageError } from '../../src/errors.js';
import { execaRunner, type RunOptions, type RunResult, type Runner } from '../../src/exec.js';
import {
  StateLockedError,
  TerraformCli,
  readTerraformOutputs,
  summarizePlan,
  terraformEnv,
  terraformOutputsPath,
  writeTerraformOutputs,
} from '../../src/terraform/cli.js';
import { tempDir } from '../helpers/cli.js';
import { hasTerraform } from '../helpers/terraform.js';

if (!hasTerraform) console.warn('SKIPPING the Terraform runner tests: no `terraform` binary on PATH (install Terraform ≥ 1.6 to run them).');

/** No ~/.terraformrc, no checkpoint calls: the same run on every machine, offline. */
const TF_TEST_ENV = { TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' };
const SECRET = 'sp-secret-Zq81-never-in-argv';
const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';

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

output "b_id" {
  value = terraform_data.b.id
}

output "admin_password" {
  value     = "hunter2-\${var.gen}"
  sensitive = true
}
`;

/** A stack whose one resource holds the state lock for `seconds` while its provisioner runs. */
const SLOW_STACK = (seconds: number) => `
resource "terraform_data" "fast" {
  input = "fast"
}

resource "terraform_data" "slow" {
  input = "slow"
  provisioner "local-exec" {
    command = "sleep ${seconds}"
  }
}
`;

interface Call {
  file: string;
  args: string[];
  env: Record<string, string | undefined>;
}

/** The real runner, recording what each call was given. */
function recording(inner: Runner = execaRunner): Runner & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    run(file, args, options: RunOptions = {}) {
      calls.push({ file, args: [...args], env: { ...(options.env ?? {}) } });
      return inner.run(file, args, options);
    },
  };
}

function fakeRunner(answer: Partial<RunResult>): Runner {
  return { run: async () => ({ exitCode: 0, stdout: '', stderr: '', notFound: false, timedOut: false, ...answer }) };
}

describe('TerraformCli', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-tf-'));
    await writeFile(path.join(dir, 'main.tf'), STACK);
  });
  afterEach(() => cleanup());

  const cli = (runner: Runner = execaRunner, lockTimeoutSeconds = 30) =>
    new TerraformCli({
      dir,
      runner,
      lockTimeoutSeconds,
      env: terraformEnv(
        { ...TF_TEST_ENV, AZURE_CLIENT_ID: 'client-id', AZURE_CLIENT_SECRET: SECRET, AZURE_TENANT_ID: 'tenant-id' },
        { subscription: SUBSCRIPTION, cloud: { armEndpoint: 'https://management.azure.com' } },
      ),
    });

  /** init + plan + apply of the stack, returning the progress lines of the apply. */
  async function applyStack(tf: TerraformCli, varFile?: string): Promise<string[]> {
    const lines: string[] = [];
    const plan = path.join(dir, 'tfplan');
    await tf.init();
    await tf.plan({ out: plan, varFile });
    await tf.apply(plan, { onProgress: (m) => lines.push(m) });
    return lines;
  }

  it('reads the version and refuses a missing or old terraform with the install hint (exit 4)', async () => {
    if (hasTerraform) expect(await cli().version()).toMatch(/^1\.(\d+)\.\d+/);
    const old = new TerraformCli({ dir, runner: fakeRunner({ stdout: JSON.stringify({ terraform_version: '1.5.7' }) }) });
    const err = await old.version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreconditionError);
    expect((err as PreconditionError).exitCode).toBe(4);
    expect((err as PreconditionError).message).toMatch(/1\.5\.7 is too old/);
    expect((err as PreconditionError).suggestion).toMatch(/developer\.hashicorp\.com\/terraform\/install/);
    const missing = new TerraformCli({ dir, runner: fakeRunner({ exitCode: undefined, notFound: true }) });
    await expect(missing.init()).rejects.toThrow(/terraform was not found on PATH/);
  });

  it.skipIf(!hasTerraform)('plans the changes with exact counts, applies them with a progress line per resource, and reads the outputs', async () => {
    const tf = cli();
    await tf.init();
    const planFile = path.join(dir, 'tfplan');
    const events: string[] = [];
    const plan = await tf.plan({ out: planFile, onEvent: (e) => events.push(e.type) });
    expect(plan).toEqual({ changes: true, counts: { add: 3, change: 0, destroy: 0 } });
    expect(events).toContain('planned_change');

    const summary = await tf.show(planFile);
    expect(summary).toMatchObject({ add: 3, change: 0, destroy: 0 });
    expect(summary.resources).toEqual([
      { address: 'terraform_data.a', action: 'create' },
      { address: 'terraform_data.b', action: 'create' },
      { address: 'terraform_data.c', action: 'create' },
    ]);
    expect(summary.outputs.map((o) => o.name)).toEqual(['admin_password', 'b_id', 'container_group_names', 'key_vault_uri']);

    const lines: string[] = [];
    const applied = await tf.apply(planFile, { onProgress: (m) => lines.push(m) });
    expect(applied).toMatchObject({ add: 3, change: 0, destroy: 0 });
    for (const r of ['a', 'b', 'c']) {
      expect(lines).toContain(`terraform_data.${r}: creating…`);
      expect(lines.filter((l) => l.startsWith(`terraform_data.${r}: created`))).toEqual([expect.stringMatching(/^terraform_data\.\w: created \(\d+\.\ds\)$/)]);
    }
    expect(applied.resources.map((r) => r.address).sort()).toEqual(['terraform_data.a', 'terraform_data.b', 'terraform_data.c']);

    const outputs = await tf.output();
    expect(outputs.values).toEqual({
      key_vault_uri: 'https://multiagent-kv.vault.azure.net/',
      container_group_names: { 'intent-classifier': 'multiagent-intent-classifier' },
      b_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(outputs.sensitive).toEqual(['admin_password']);
    expect(JSON.stringify(outputs)).not.toContain('hunter2');

    const stateDir = path.join(dir, '.mac', 'prod');
    const file = await writeTerraformOutputs(stateDir, outputs.values);
    expect(file).toBe(terraformOutputsPath(stateDir));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readTerraformOutputs(stateDir)).toEqual(outputs.values);
    expect(await readFile(file, 'utf8')).not.toContain('hunter2');
    expect(await readTerraformOutputs(path.join(dir, 'nowhere'))).toBeUndefined();
  });

  it.skipIf(!hasTerraform)('plans no changes once applied, and a replace when a trigger variable changes', async () => {
    const tf = cli();
    await applyStack(tf);
    const planFile = path.join(dir, 'tfplan');
    expect(await tf.plan({ out: planFile })).toEqual({ changes: false, counts: { add: 0, change: 0, destroy: 0 } });
    const same = await tf.show(planFile);
    expect(same).toMatchObject({ add: 0, change: 0, destroy: 0, outputs: [] });
    expect(same.resources.every((r) => r.action === 'no-op')).toBe(true);

    const varFile = path.join(dir, 'gen2.tfvars.json');
    await writeFile(varFile, JSON.stringify({ gen: '2' }));
    expect(await tf.plan({ out: planFile, varFile })).toEqual({ changes: true, counts: { add: 1, change: 0, destroy: 1 } });
    const replace = await tf.show(planFile);
    expect(replace).toMatchObject({ add: 1, change: 0, destroy: 1 });
    expect(replace.resources.filter((r) => r.action !== 'no-op')).toEqual([{ address: 'terraform_data.b', action: 'replace' }]);

    const lines: string[] = [];
    await tf.apply(planFile, { onProgress: (m) => lines.push(m) });
    expect(lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^terraform_data\.b: destroyed \(\d+\.\ds\)$/), expect.stringMatching(/^terraform_data\.b: created \(\d+\.\ds\)$/)]),
    );
    expect(lines.some((l) => l.startsWith('terraform_data.a'))).toBe(false);
  });

  it.skipIf(!hasTerraform)('destroys everything with progress, after which there are no outputs', async () => {
    const tf = cli();
    await applyStack(tf);
    const lines: string[] = [];
    const result = await tf.destroy({ onProgress: (m) => lines.push(m) });
    expect(result).toMatchObject({ add: 0, change: 0, destroy: 3 });
    for (const r of ['a', 'b', 'c']) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^terraform_data\\.${r}: destroyed \\(\\d+\\.\\ds\\)$`)));
    expect(await tf.output()).toEqual({ values: {}, sensitive: [] });
    expect(await tf.plan({ out: path.join(dir, 'tfplan') })).toMatchObject({ changes: true, counts: { add: 3 } });
  });

  it.skipIf(!hasTerraform)('a state lock held by another terraform process is StateLockedError (exit 4) naming force-unlock and the lock ID', async () => {
    await writeFile(path.join(dir, 'main.tf'), SLOW_STACK(5));
    const tf = cli(execaRunner, 1);
    await tf.init();
    const { execa } = await import('execa');
    const holder = execa('terraform', [`-chdir=${dir}`, 'apply', '-auto-approve', '-input=false', '-no-color'], {
      env: { ...TF_TEST_ENV, TF_IN_AUTOMATION: '1' },
      reject: false,
    });
    try {
      const lockInfo = path.join(dir, '.terraform.tfstate.lock.info');
      const deadline = Date.now() + 10_000;
      while (!existsSync(lockInfo) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const { ID: lockId } = JSON.parse(await readFile(lockInfo, 'utf8')) as { ID: string };

      const started = Date.now();
      const err = await tf.plan({ out: path.join(dir, 'tfplan') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateLockedError);
      expect(err).toBeInstanceOf(PreconditionError);
      const locked = err as StateLockedError;
      expect(locked.exitCode).toBe(4);
      expect(locked.lockId).toBe(lockId);
      expect(locked.message).toContain(lockId);
      expect(locked.message).toMatch(/locked by another run .*apply/);
      expect(locked.suggestion).toContain(`terraform -chdir=${dir} force-unlock ${lockId}`);
      // -lock-timeout=1s: it waited about a second for the lock, not the whole apply.
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      const done = await holder;
      expect(done.exitCode, done.stderr).toBe(0);
    }
    // Once the other run is done, the lock is free again.
    expect(await tf.plan({ out: path.join(dir, 'tfplan') })).toMatchObject({ changes: false });
  });

  it.skipIf(!hasTerraform)('passes credentials only as ARM_* environment variables, never as arguments', async () => {
    const runner = recording();
    const tf = cli(runner);
    await applyStack(tf);
    await tf.show(path.join(dir, 'tfplan'));
    await tf.output();
    await tf.destroy();
    const commands = runner.calls.map((c) => c.args.find((a) => !a.startsWith('-')));
    expect(commands).toEqual(['version', 'init', 'plan', 'apply', 'show', 'output', 'destroy']);
    for (const call of runner.calls) {
      expect(call.file).toBe('terraform');
      expect(call.args[0]).toBe(`-chdir=${dir}`);
      expect(call.args.join(' ')).not.toContain(SECRET);
      expect(call.args.join(' ')).not.toContain('client-id');
      expect(call.env).toMatchObject({
        ARM_CLIENT_SECRET: SECRET,
        ARM_CLIENT_ID: 'client-id',
        ARM_TENANT_ID: 'tenant-id',
        ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
        TF_IN_AUTOMATION: '1',
      });
      if (call.args[1] !== 'version') expect(call.args).toContain('-no-color');
    }
    for (const call of runner.calls.filter((c) => ['init', 'plan', 'apply', 'destroy'].includes(c.args[1] ?? ''))) {
      expect(call.args).toContain('-input=false');
      expect(call.args).toContain('-lock-timeout=30s');
      expect(call.args).toContain('-json');
    }
    expect(runner.calls.find((c) => c.args[1] === 'plan')?.args).toContain('-detailed-exitcode');
    expect(runner.calls.find((c) => c.args[1] === 'destroy')?.args).toContain('-auto-approve');
  });

  it.skipIf(!hasTerraform)('a broken configuration is a FailedError quoting Terraform’s diagnostic, not the environment', async () => {
    await writeFile(path.join(dir, 'broken.tf'), 'output "x" {\n  value = terraform_data.nope.id\n}\n');
    const tf = cli();
    await tf.init();
    const err = await tf.plan({ out: path.join(dir, 'tfplan') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FailedError);
    expect((err as FailedError).exitCode).toBe(1);
    expect((err as FailedError).message).toMatch(
      /^terraform plan failed in .*: Reference to undeclared resource \(broken\.tf:2\)\n {2}Error: Reference to undeclared resource \(broken\.tf:2\): A managed resource "terraform_data" "nope" has not been declared/,
    );
    expect((err as FailedError).message).not.toContain(SECRET);
  });

  it('refuses a secret backend setting as an argument', async () => {
    const tf = new TerraformCli({ dir, runner: fakeRunner({ stdout: JSON.stringify({ terraform_version: '1.11.4' }) }) });
    await expect(tf.init({ backendConfig: { access_key: 'abc' } })).rejects.toBeInstanceOf(UsageError);
  });

  it.skipIf(!hasTerraform)('reports each resource live, while the apply is still running, when the runner streams', async () => {
    await writeFile(path.join(dir, 'main.tf'), SLOW_STACK(2));
    const tf = cli(execaRunner);
    await tf.init();
    const planFile = path.join(dir, 'tfplan');
    await tf.plan({ out: planFile });
    const seen: { line: string; at: number }[] = [];
    await tf.apply(planFile, { onProgress: (line) => seen.push({ line, at: Date.now() }) });
    const finished = Date.now();
    const fast = seen.find((s) => s.line.startsWith('terraform_data.fast: created'));
    const slow = seen.find((s) => s.line.startsWith('terraform_data.slow: created'));
    expect(fast && finished - fast.at).toBeGreaterThan(1_000);
    // Elapsed time comes from Terraform's own timestamps, to a tenth of a second.
    expect(Number(/\((\d+\.\d)s\)/.exec(slow?.line ?? '')?.[1])).toBeGreaterThanOrEqual(1.9);
    // Streamed lines are not replayed once the process ends.
    expect(seen.filter((s) => s.line.startsWith('terraform_data.fast: created'))).toHaveLength(1);
  });
});

describe('terraformEnv', () => {
  it('maps AZURE_* to ARM_*, takes the subscription from the environment, and names the cloud', () => {
    const env = terraformEnv(
      { AZURE_CLIENT_ID: 'id', AZURE_CLIENT_SECRET: 's', AZURE_TENANT_ID: 't', ARM_USE_OIDC: 'true', TF_LOG: 'WARN', PATH: '/bin', HOME: '/root' },
      { subscription: SUBSCRIPTION, cloud: { armEndpoint: 'https://management.usgovcloudapi.net' } },
    );
    expect(env).toEqual({
      ARM_CLIENT_ID: 'id',
      ARM_CLIENT_SECRET: 's',
      ARM_TENANT_ID: 't',
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
      ARM_USE_OIDC: 'true',
      ARM_ENVIRONMENT: 'usgovernment',
      TF_LOG: 'WARN',
      TF_IN_AUTOMATION: '1',
    });
    expect(terraformEnv({ ARM_CLIENT_SECRET: 'arm', AZURE_CLIENT_SECRET: 'azure' }).ARM_CLIENT_SECRET).toBe('arm');
    expect(terraformEnv({}, { subscription: SUBSCRIPTION, cloud: { armEndpoint: 'https://arm.contoso.local:8443/' } })).toMatchObject({
      ARM_METADATA_HOSTNAME: 'arm.contoso.local:8443',
    });
    expect(terraformEnv({}, { subscription: SUBSCRIPTION, cloud: { armEndpoint: 'https://management.azure.com' } })).not.toHaveProperty('ARM_ENVIRONMENT');
  });
});

describe('summarizePlan', () => {
  it('counts a replace as one add and one destroy, like Terraform, and leaves data sources out', () => {
    const summary = summarizePlan({
      resource_changes: [
        { address: 'x.u', mode: 'managed', change: { actions: ['update'] } },
        { address: 'x.r', mode: 'managed', change: { actions: ['create', 'delete'] } },
        { address: 'x.d', mode: 'managed', change: { actions: ['delete'] } },
        { address: 'data.x.y', mode: 'data', change: { actions: ['read'] } },
      ],
      output_changes: { o: { actions: ['update'] }, same: { actions: ['no-op'] } },
    });
    expect(summary).toEqual({
      add: 1,
      change: 1,
      destroy: 2,
      resources: [
        { address: 'x.d', action: 'delete' },
        { address: 'x.r', action: 'replace' },
        { address: 'x.u', action: 'update' },
      ],
      outputs: [{ name: 'o', action: 'update' }],
    });
  });
});
