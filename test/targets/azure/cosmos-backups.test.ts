// The azure target's backups (src/targets/azure/cosmos-backups.ts) against the Cosmos DB part of the HTTPS Azure fake,
// through the real @azure/arm-cosmosdb client and the target as openAzureTarget builds it: snapshot records the
// fake's latest restorable timestamp, list returns the points, restore arms the next rebuild by writing the template
// variables, and the target's terraform plan passes that file with -var-file (the real terraform binary on a
// terraform_data stack, through a recording Runner).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, resolveEnvironment } from '../../../src/config/load.js';
import { AGENT_NAMES } from '../../../src/config/schema.js';
import { ExitCode } from '../../../src/errors.js';
import { execaRunner, type Runner } from '../../../src/exec.js';
import { readTerraformOutputs, writeTerraformOutputs } from '../../../src/terraform/cli.js';
import { COSMOS_RESTORE_VAR_FILE } from '../../../src/terraform/stack.js';
import { COSMOS_RESTORE_POINTS_FILE } from '../../../src/targets/azure/cosmos-backups.js';
import { openAzureTarget, type AzureTarget } from '../../../src/targets/azure/target.js';
import { writeAzureProject } from '../../helpers/azure-project.js';
import { tempDir } from '../../helpers/cli.js';
import { cosmos } from '../../fakes/azure/cosmos.js';
import { startAzureFake, type AzureFake } from '../../fakes/azure/server.js';
import { blockNonLoopback, type NetworkGuard } from '../../setup/no-network.js';
import { isolateAzureEnv } from '../../fakes/azure/process-env.js';
import { fakeCredentialEnv } from '../../fakes/azure/sign-in.js';
import { COSMOS_RESTORE_VARIABLES_HCL } from '../../helpers/cosmos-restore-hcl.js';
import { hasTerraform } from '../../helpers/terraform.js';

let fake: AzureFake;
let guard: NetworkGuard;
let restoreEnv: (() => void) | undefined;
let dir: string;
let cleanup: () => Promise<void>;
let n = 0;
let rg: string;
let account: string;
let calls: { file: string; args: string[] }[];

const recording: Runner = {
  run(file, args, options) {
    calls.push({ file, args });
    return execaRunner.run(file, args, options);
  },
};

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
  restoreEnv = isolateAzureEnv();
  Object.assign(process.env, fakeCredentialEnv(fake));
});
afterAll(async () => {
  await fake?.close();
  restoreEnv?.();
  guard?.restore();
});

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('mac-cosmos-backups-'));
  calls = [];
  n += 1;
  rg = `rg-mac-backups-${n}`;
  account = `cosmos-mac-prod-b${n}`;
  await writeAzureProject(dir, fake, { resourceGroup: rg, stack: stack(), yaml: [`gatewayUrl: ${fake.url}`] });
});
afterEach(async () => {
  const db = cosmos(fake);
  db.latestRestorable.clear();
  fake.reset();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
  await cleanup();
});

async function target(): Promise<AzureTarget> {
  const env = resolveEnvironment(await loadConfig(dir), 'prod');
  return openAzureTarget(env, process.env, { runner: recording, now: () => new Date('2026-11-27T02:10:00Z'), azure: { pollIntervalMs: 10 } });
}

const stateDir = () => path.join(dir, '.mac', 'prod');

/** The outputs a mac infra apply of phase4_prod saves: the account's name and resource group. */
async function savedOutputs(): Promise<void> {
  await writeTerraformOutputs(stateDir(), { resource_group_name: rg, cosmos_account_name: account, location: 'eastus' });
}

describe('the azure target backups: Cosmos DB restore points', () => {
  it('snapshot records a point with the fake\'s latest restorable timestamp; list returns the points oldest first', async () => {
    const db = cosmos(fake);
    const a = db.seedAccount({ resourceGroup: rg, name: account, location: 'eastus' });
    db.latestRestorable.set(`${account}/customer-service/orders`, '2026-11-27T01:59:58Z');
    db.latestRestorable.set(`${account}/customer-service/tickets`, '2026-11-27T01:59:41Z');
    db.latestRestorable.set(`${account}/customer-service/knowledge-base`, '2026-11-27T02:00:03Z');
    db.latestRestorable.set(`${account}/customer-service/analytics`, '2026-11-27T01:59:59Z');
    await savedOutputs();
    const t = await target();

    expect(await t.backups.list()).toEqual([]);
    const point = await t.backups.snapshot();
    const sourceId = `/subscriptions/${fake.subscriptionId}/providers/Microsoft.DocumentDB/locations/eastus/restorableDatabaseAccounts/${a.instanceId}`;
    expect(point).toEqual({
      id: `20261127T015941Z-${a.instanceId.slice(0, 8)}`,
      createdAt: '2026-11-27T01:59:41Z',
      capturedAt: '2026-11-27T02:10:00.000Z',
      restorableSourceId: sourceId,
      latestRestorableTimestamp: '2026-11-27T01:59:41Z',
      location: 'East US',
      accountName: account,
      resourceGroup: rg,
      instanceId: a.instanceId,
    });

    // A later capture: the newest is last, as the drill reads it.
    for (const c of ['orders', 'tickets', 'knowledge-base', 'analytics']) db.latestRestorable.set(`${account}/customer-service/${c}`, '2026-11-27T02:05:00Z');
    const later = await t.backups.snapshot();
    expect(later.createdAt).toBe('2026-11-27T02:05:00Z');
    expect((await t.backups.list()).map((p) => p.createdAt)).toEqual(['2026-11-27T01:59:41Z', '2026-11-27T02:05:00Z']);

    // Recorded owner-only, and a new target (another command) reads them back.
    const file = path.join(stateDir(), COSMOS_RESTORE_POINTS_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await (await target()).backups.list()).map((p) => p.id)).toEqual([point.id, later.id]);
  });

  it('restore arms the next rebuild: the var file holds exactly the point\'s source id and timestamp (latest by default)', async () => {
    const db = cosmos(fake);
    const a = db.seedAccount({ resourceGroup: rg, name: account, location: 'eastus' });
    for (const c of ['orders', 'tickets', 'knowledge-base', 'analytics']) db.latestRestorable.set(`${account}/customer-service/${c}`, '2026-11-27T01:50:00Z');
    await savedOutputs();
    const t = await target();
    const first = await t.backups.snapshot();
    for (const c of ['orders', 'tickets', 'knowledge-base', 'analytics']) db.latestRestorable.set(`${account}/customer-service/${c}`, '2026-11-27T02:00:00Z');
    await t.backups.snapshot();
    const sourceId = `/subscriptions/${fake.subscriptionId}/providers/Microsoft.DocumentDB/locations/eastus/restorableDatabaseAccounts/${a.instanceId}`;
    const varFile = path.join(stateDir(), COSMOS_RESTORE_VAR_FILE);

    const latest = await t.backups.restore();
    expect(latest.createdAt).toBe('2026-11-27T02:00:00Z');
    expect(JSON.parse(await readFile(varFile, 'utf8'))).toEqual({ cosmos_restore_source_id: sourceId, cosmos_restore_timestamp: '2026-11-27T02:00:00Z' });
    expect((await stat(varFile)).mode & 0o777).toBe(0o600);

    await t.backups.restore(first.id);
    expect(JSON.parse(await readFile(varFile, 'utf8'))).toEqual({ cosmos_restore_source_id: sourceId, cosmos_restore_timestamp: '2026-11-27T01:50:00Z' });
    expect(await t.backups.armed()).toEqual({ cosmos_restore_source_id: sourceId, cosmos_restore_timestamp: '2026-11-27T01:50:00Z' });

    await t.backups.disarm();
    expect(await t.backups.armed()).toBeUndefined();
    const unknown = await t.backups.restore('nope').catch((e: unknown) => e);
    expect(unknown).toMatchObject({ exitCode: ExitCode.usage });
  });

  it('created() says how the account Terraform manages was created, and nothing once it is gone', async () => {
    const db = cosmos(fake);
    db.seedAccount({ resourceGroup: rg, name: account, location: 'eastus' });
    await savedOutputs();
    const t = await target();
    expect(await t.backups.created()).toEqual({ accountName: account, createMode: 'Default' });
    db.deleteAccount(account, rg);
    expect(await t.backups.created()).toBeUndefined();
  });

  it('refuses clearly without outputs naming the account, or with nothing recorded (exit 4)', async () => {
    const t = await target();
    const noOutputs = await t.backups.snapshot().catch((e: unknown) => e);
    expect(noOutputs).toMatchObject({ exitCode: ExitCode.precondition, message: expect.stringContaining('no Terraform outputs') });
    await writeTerraformOutputs(stateDir(), { resource_group_name: rg });
    const noName = await t.backups.snapshot().catch((e: unknown) => e);
    expect(noName).toMatchObject({ exitCode: ExitCode.precondition, message: expect.stringContaining('cosmos_account_name') });
    const nothing = await t.backups.restore().catch((e: unknown) => e);
    expect(nothing).toMatchObject({ exitCode: ExitCode.precondition, message: expect.stringContaining('No Cosmos DB restore point') });
    expect(fake.requests.filter((r) => r.path.includes('Microsoft.DocumentDB'))).toEqual([]);
  });

  it.skipIf(!hasTerraform)('the target\'s terraform plan passes the armed restore with -var-file, and Terraform reads the values', async () => {
    const db = cosmos(fake);
    const a = db.seedAccount({ resourceGroup: rg, name: account, location: 'eastus' });
    for (const c of ['orders', 'tickets', 'knowledge-base', 'analytics']) db.latestRestorable.set(`${account}/customer-service/${c}`, '2026-11-27T01:55:00Z');
    await savedOutputs();
    const t = await target();
    await t.backups.snapshot();

    // Not armed: no -var-file.
    await t.provision(() => {}, { overBudgetOk: true });
    const plans = () => calls.filter((c) => c.args.includes('plan'));
    expect(plans()).toHaveLength(1);
    expect(plans()[0]!.args.some((x) => x.startsWith('-var-file'))).toBe(false);
    expect((await readTerraformOutputs(stateDir()))?.restore_source).toBeUndefined();

    await t.backups.restore();
    await t.provision(() => {}, { overBudgetOk: true });
    expect(plans()).toHaveLength(2);
    expect(plans()[1]!.args).toContain(`-var-file=${path.join(stateDir(), COSMOS_RESTORE_VAR_FILE)}`);
    const outputs = await readTerraformOutputs(stateDir());
    expect(outputs?.restore_source).toBe(`/subscriptions/${fake.subscriptionId}/providers/Microsoft.DocumentDB/locations/eastus/restorableDatabaseAccounts/${a.instanceId}`);
    expect(outputs?.restore_timestamp).toBe('2026-11-27T01:55:00Z');
  });
});

/** A terraform_data stand-in for phase4_prod: its two restore variables, echoed as outputs, and what provision reads. */
function stack(): string {
  const names = AGENT_NAMES.map((agent) => `    "${agent}" = "ci-${agent}"`).join('\n');
  return `${COSMOS_RESTORE_VARIABLES_HCL}
resource "terraform_data" "cosmos" {
  input = coalesce(var.cosmos_restore_source_id, "empty")
}

output "restore_source" {
  value = var.cosmos_restore_source_id
}

output "restore_timestamp" {
  value = var.cosmos_restore_timestamp
}

output "container_group_names" {
  value = {
${names}
  }
}

output "agents_identity_id" {
  value = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-agents"
}
`;
}
