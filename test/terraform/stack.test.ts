// TerraformStack with the real binary: two environments sharing one terraformDir (the default terraform/phase4_prod is
// every environment's) each keep their own state — their own backend key, their own Terraform data directory — on a
// `terraform_data` stack with a local backend standing in for azurerm (offline, no provider download).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, resolveEnvironment } from '../../src/config/load.js';
import { execaRunner } from '../../src/exec.js';
import { azureEnvironment, TerraformStack } from '../../src/terraform/stack.js';
import { tempDir } from '../helpers/cli.js';
import { hasTerraform } from '../helpers/terraform.js';

if (!hasTerraform) console.warn('SKIPPING the TerraformStack tests: no `terraform` binary on PATH (install Terraform ≥ 1.6 to run them).');

const TF_TEST_ENV = { TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' };
const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';

// The azurerm backend's partial block, as a local one: the path (the key) comes from each environment's settings.
const STACK = `
terraform {
  backend "local" {}
}

variable "gen" {
  type    = string
  default = "1"
}

resource "terraform_data" "a" {
  input = var.gen
}
`;

const MAC_YAML = `version: 1
environments:
  prod:
    target: azure
    subscription: ${SUBSCRIPTION}
  staging:
    target: azure
    subscription: ${SUBSCRIPTION}
`;

describe('TerraformStack', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-stack-'));
    await mkdir(path.join(dir, 'terraform', 'phase4_prod'), { recursive: true });
    await writeFile(path.join(dir, 'terraform', 'phase4_prod', 'main.tf'), STACK);
    await writeFile(path.join(dir, 'mac.yaml'), MAC_YAML);
    for (const env of ['prod', 'staging']) {
      // What mac infra bootstrap writes, the key being the environment's own.
      await mkdir(path.join(dir, '.mac', env), { recursive: true });
      await writeFile(path.join(dir, '.mac', env, 'terraform-backend.json'), `${JSON.stringify({ path: path.join(dir, 'state', `${env}.tfstate`) })}\n`);
    }
    await mkdir(path.join(dir, 'state'));
  });
  afterEach(() => cleanup());

  const open = async (name: string) =>
    TerraformStack.open(azureEnvironment(resolveEnvironment(await loadConfig(dir), name), 'test'), {
      runner: execaRunner,
      processEnv: { ...TF_TEST_ENV },
    });
  const stateOf = async (name: string) => JSON.parse(await readFile(path.join(dir, 'state', `${name}.tfstate`), 'utf8')) as { resources: unknown[] };

  it.skipIf(!hasTerraform)('two environments sharing a terraformDir each init, plan and apply against their own state', async () => {
    const prod = await open('prod');
    expect(prod.dir).toBe(path.join(dir, 'terraform', 'phase4_prod'));
    await prod.init();
    expect((await prod.plan()).add).toBe(1);
    await prod.apply();
    expect((await stateOf('prod')).resources).toHaveLength(1);

    // staging's init is not refused as a backend change, and its plan does not see prod's resources.
    const staging = await open('staging');
    expect(await staging.initialised()).toBe(false);
    await staging.init();
    expect(await staging.initialised()).toBe(true);
    expect((await staging.plan()).add).toBe(1);
    await staging.apply();
    expect((await stateOf('staging')).resources).toHaveLength(1);

    // prod, opened again after staging, still plans against its own state: nothing to do.
    const again = await open('prod');
    expect(await again.initialised()).toBe(true);
    await again.init();
    expect((await again.plan()).changes).toBe(false);
    // Terraform's per-environment memory of its backend is under .mac/<env>/, not in the shared directory.
    expect(existsSync(path.join(dir, '.mac', 'prod', '.terraform'))).toBe(true);
    expect(existsSync(path.join(dir, 'terraform', 'phase4_prod', '.terraform'))).toBe(false);
  });
});
