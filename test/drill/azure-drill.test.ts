// mac dr-drill on an azure environment, end to end: the real program (runCli), the real terraform binary on a
// terraform_data stand-in of templates/terraform/phase4_prod, and the real @azure/* clients against the HTTPS Azure
// fake (Container Instances, Key Vault, Cosmos DB, the registry).
//
// The stand-in stack does to Azure what the azurerm provider would: its resources run azurerm-stand-in.mjs (local-exec)
// when Terraform creates or destroys them, so the fake sees the provider's requests in Terraform's order — the Cosmos
// DB account deleted by terraform destroy and created again by terraform apply (in restore mode from the armed
// variables), the agents' container groups gone with the resource group, and the telemetry secret left in soft delete
// (a secret no apply brings back: the drill's recovery step must).
//
// The containers cannot run here, so the gateway (gatewayUrl in mac.yaml) is a stand-in: the real platform, in this
// process, answering only while every agent group of the environment exists and runs — no groups, no gateway.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/agents/runtime/platform.js';
import { AGENT_NAMES } from '../../src/config/schema.js';
import type { DepsInit } from '../../src/deps.js';
import type { DrillReport } from '../../src/drill/report.js';
import { packageRoot } from '../../src/paths.js';
import { KNOWN_SECRETS } from '../../src/secrets/catalog.js';
import { TELEMETRY_SECRET } from '../../src/targets/azure/target.js';
import { writeAzureProject } from '../helpers/azure-project.js';
import { runCli, tempDir, type CliRun } from '../helpers/cli.js';
import { COSMOS_RESTORE_VARIABLES_HCL } from '../helpers/cosmos-restore-hcl.js';
import { startGatewayProxy } from '../helpers/gateway-proxy.js';
import { hasTerraform } from '../helpers/terraform.js';
import { registryHost, registryState } from '../fakes/azure/acr.js';
import { seedResourceGroup } from '../fakes/azure/arm-resources.js';
import { containerInstance, type ContainerInstanceFake } from '../fakes/azure/container-instance.js';
import { cosmos, type CosmosFake } from '../fakes/azure/cosmos.js';
import { keyVault, keyVaultUrl, seedSecret, type FakeVault } from '../fakes/azure/keyvault.js';
import { isolateAzureEnv } from '../fakes/azure/process-env.js';
import { fakeCredentialEnv } from '../fakes/azure/sign-in.js';
import { startAzureFake, type AzureFake } from '../fakes/azure/server.js';
import { blockNonLoopback, type NetworkGuard } from '../setup/no-network.js';

if (!hasTerraform) console.warn('SKIPPING the azure DR drill tests: they run the real terraform binary, and there is no `terraform` on PATH (install Terraform ≥ 1.6).');

const DEMO = path.join(packageRoot, 'data', 'demo-shop');
const TAG = '2.0.0-d1a2b3c';
const STAND_IN = fileURLToPath(new URL('./azurerm-stand-in.mjs', import.meta.url));
const TUNING: DepsInit['targetOptions'] = {
  azure: { pollIntervalMs: 20, groupReadyTimeoutMs: 5_000, retry: { maxRetries: 4, retryDelayInMs: 5, maxRetryDelayInMs: 40 } },
};
/** How far behind the present the fake's continuous backup is when the drill captures: the RPO it should measure. */
const BACKUP_LAG_S = 20 * 60;
const TIMEOUT = 120_000;

let fake: AzureFake;
let ci: ContainerInstanceFake;
let db: CosmosFake;
let vault: FakeVault;
let guard: NetworkGuard;
let gateway: Gateway;
let restoreEnv: () => void;
let credentials: Record<string, string>;
let n = 0;

interface World {
  dir: string;
  rg: string;
  account: string;
  groups: string[];
  cleanup: () => Promise<void>;
  runs: CliRun[];
}
let w: World;

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
  ci = containerInstance(fake);
  db = cosmos(fake);
  vault = keyVault(fake);
  restoreEnv = isolateAzureEnv();
  credentials = fakeCredentialEnv(fake);
  Object.assign(process.env, credentials);
  gateway = await startGateway();
}, TIMEOUT);

afterAll(async () => {
  await gateway?.close();
  await fake?.close();
  restoreEnv?.();
  guard?.restore();
});

beforeEach(async () => {
  n += 1;
  const { dir, cleanup } = await tempDir('mac-azure-drill-');
  const prefix = `ci-dr${n}-prod`;
  w = { dir, cleanup, rg: `rg-mac-drill-${n}`, account: `cosmos-mac-drill-${n}`, groups: AGENT_NAMES.map((a) => `${prefix}-${a}`), runs: [] };
  ci.reset();
  db.restoreFailures.length = 0;
  db.latestRestorable.clear();
  vault.secrets.clear();
  vault.deleted.clear();
  gateway.chatFails = false;
  gateway.world = w;

  seedResourceGroup(fake, w.rg, { location: 'eastus' });
  db.seedAccount({ resourceGroup: w.rg, name: w.account, location: 'eastus' });
  db.backupLagMs = BACKUP_LAG_S * 1000;
  for (const agent of AGENT_NAMES) registryState(fake).images.add(`mac/${agent}:${TAG}`);
  for (const s of KNOWN_SECRETS) seedSecret(vault, s.name, s.generate());
  seedSecret(vault, TELEMETRY_SECRET, 'InstrumentationKey=00000000-drill-0000-0000-000000000000');

  await writeAzureProject(dir, fake, {
    resourceGroup: w.rg,
    stack: stack(w),
    yaml: [`keyVaultUrl: ${keyVaultUrl(fake)}`, `gatewayUrl: ${gateway.url}`, 'images:', `  registry: ${registryHost(fake)}/mac`, `  tag: ${TAG}`, 'shop:', `  data: ${DEMO}`],
  });
  const deployed = await mac(['deploy', '-e', 'prod']);
  expect(deployed.code, deployed.stderr).toBe(0);
  fake.reset();
  ci.reset();
}, TIMEOUT);

afterEach(async () => {
  const unmatched = fake.unmatched();
  fake.reset();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
  expect(unmatched.map((r) => `${r.method} ${r.path}`), 'requests the fake has no route for').toEqual([]);
  // No value the vault holds is in any output or report.
  const values = [...vault.secrets.values(), ...[...vault.deleted.values()].map((d) => d.secret)].flatMap((s) => s.versions.map((v) => v.value));
  const reports = existsSync(path.join(w.dir, '.mac', 'prod', 'drills')) ? await readReports(path.join(w.dir, '.mac', 'prod', 'drills')) : '';
  for (const value of values) {
    for (const run of w.runs) expect(run.stdout + run.stderr).not.toContain(value);
    expect(reports).not.toContain(value);
  }
  await w.cleanup();
});

const mac = async (args: string[]): Promise<CliRun> => {
  const run = await runCli(args, {
    cwd: w.dir,
    env: { NO_COLOR: '1', CI: '1', TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', ...credentials },
    targetOptions: TUNING,
  });
  w.runs.push(run);
  return run;
};
const drill = (...extra: string[]) => mac(['dr-drill', '-e', 'prod', '--confirm', 'prod', '--yes', '--wait', '0', '--ready-timeout', '5', ...extra]);

/** The result document of a --json run (the last NDJSON line). */
function result(run: CliRun): DrillReport & { files: { json: string; markdown: string; html: string } } {
  const doc = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { type: string; data: DrillReport & { files: { json: string; markdown: string; html: string } } };
  expect(doc.type).toBe('result');
  return doc.data;
}

const varFile = () => path.join(w.dir, '.mac', 'prod', 'cosmos-restore.tfvars.json');
const isAccount = (p: string) => p.toLowerCase().endsWith(`/databaseaccounts/${w.account}`);

describe.skipIf(!hasTerraform)('mac dr-drill on an azure environment', () => {
  it('captures the Cosmos DB restore point before terraform destroy, rebuilds with the account restored from it, recovers the soft-deleted secret, redeploys and smoke-tests: PASS', async () => {
    const run = await drill('--json');
    expect(run.code, run.stderr).toBe(0);
    const report = result(run);
    expect(report.verdict, report.reasons.join('\n')).toBe('PASS');
    expect(report.target).toBe('azure');
    expect(report.steps.map((s) => [s.name, s.status])).toEqual(
      ['preflight', 'record-state', 'capture', 'destroy', 'wait', 'arm-restore', 'rebuild', 'recover-secrets', 'redeploy', 'smoke', 'disarm', 'verify'].map((s) => [s, 'ok']),
    );
    for (const s of report.steps) expect(Date.parse(s.endedAt)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
    expect(report.steps.map((s) => s.startedAt)).toEqual([...report.steps.map((s) => s.startedAt)].sort());

    // The order on the wire: the capture (backup information of the live account) before the account's DELETE, and the
    // restore-mode PUT — carrying exactly the captured source and timestamp — after it.
    const seqOf = (pred: (r: AzureFake['requests'][number]) => boolean) => fake.requests.filter(pred).map((r) => r.seq);
    const captured = seqOf((r) => r.method === 'POST' && r.path.includes(`/databaseAccounts/${w.account}/`) && r.path.endsWith('/retrieveContinuousBackupInformation'));
    const deleted = seqOf((r) => r.method === 'DELETE' && isAccount(r.path));
    const put = db.puts.filter((p) => p.account === w.account);
    expect(captured.length).toBeGreaterThan(0);
    expect(deleted).toHaveLength(1);
    expect(put).toHaveLength(1);
    expect(Math.max(...captured)).toBeLessThan(deleted[0]!);
    expect(deleted[0]!).toBeLessThan(put[0]!.seq);
    const point = report.restorePoint!;
    expect(put[0]!.body.properties).toMatchObject({
      createMode: 'Restore',
      restoreParameters: { restoreMode: 'PointInTime', restoreSource: point.restorableSourceId, restoreTimestampInUtc: point.timestamp },
    });
    expect(point.restorableSourceId).toMatch(new RegExp(`^/subscriptions/${fake.subscriptionId}/providers/Microsoft\\.DocumentDB/locations/eastus/restorableDatabaseAccounts/[0-9a-f-]{36}$`));
    expect(point.restoredFrom).toEqual({ createMode: 'Restore', source: point.restorableSourceId, timestamp: point.timestamp });
    // The data came back: the fake copied the source's documents into the account Terraform created.
    expect(db.account(w.account, w.rg)?.restoredFrom).toMatchObject({ source: point.restorableSourceId, timestamp: point.timestamp });
    expect(db.account(w.account, w.rg)?.data['customer-service']?.orders).toBe(1284);

    // RPO = destroy − restore timestamp (the fake's backup trails by 20 minutes); RTO = destroy → smoke green.
    const rpo = report.policies.find((p) => p.policy === 'RPO')!;
    const rto = report.policies.find((p) => p.policy === 'RTO')!;
    expect(rpo).toMatchObject({ targetSeconds: 3600, verdict: 'PolicyMet' });
    expect(rpo.measuredSeconds).toBe((Date.parse(report.destroyedAt!) - Date.parse(point.timestamp)) / 1000);
    expect(rpo.measuredSeconds).toBeGreaterThanOrEqual(BACKUP_LAG_S);
    expect(rpo.measuredSeconds).toBeLessThan(BACKUP_LAG_S + 60);
    expect(rto).toMatchObject({ targetSeconds: 4 * 3600, verdict: 'PolicyMet' });
    expect(rto.measuredSeconds).toBe((Date.parse(report.recoveredAt!) - Date.parse(report.destroyedAt!)) / 1000);
    expect(report.destroyedAt! < report.recoveredAt!).toBe(true);

    // Terraform's resources came back, every one; the groups run the same release again.
    expect(report.infrastructure).toEqual({
      before: ['terraform_data.agents', 'terraform_data.cosmos', 'terraform_data.network', 'terraform_data.telemetry_secret'],
      after: ['terraform_data.agents', 'terraform_data.cosmos', 'terraform_data.network', 'terraform_data.telemetry_secret'],
      missing: [],
      added: [],
    });
    const diff = Object.fromEntries(report.stateDiff.map((d) => [d.key, d]));
    expect(diff.resources!.same).toBe(true);
    expect(diff.release!.same).toBe(true);
    expect(diff.plan).toMatchObject({ before: 'in sync', after: 'in sync' });
    for (const g of w.groups) expect(diff[`group.${g}`], g).toMatchObject({ before: 'running', after: 'running' });
    expect(ci.puts.filter((p) => p.resourceGroup === w.rg).map((p) => p.group).sort()).toEqual([...w.groups].sort());

    // The secret the destroy left in soft delete was recovered (its versions kept), and the agents got it.
    expect(report.steps.find((s) => s.name === 'recover-secrets')?.detail).toBe(`recovered from soft delete: ${TELEMETRY_SECRET}`);
    expect(vault.deleted.has(TELEMETRY_SECRET)).toBe(false);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/deletedsecrets/${TELEMETRY_SECRET}/recover`)).toBe(true);
    expect(diff[`secret.${TELEMETRY_SECRET}`]!.same).toBe(true);

    // Disarmed once the rebuild succeeded; the restore point stays recorded.
    expect(existsSync(varFile())).toBe(false);
    expect(existsSync(path.join(w.dir, '.mac', 'prod', 'cosmos-restore-points.json'))).toBe(true);

    // The report, in the three formats, where the local drill puts its own.
    const dir = path.join(w.dir, '.mac', 'prod', 'drills', report.runId);
    expect(report.files).toEqual({ json: path.join(dir, 'report.json'), markdown: path.join(dir, 'report.md'), html: path.join(dir, 'report.html') });
    expect(JSON.parse(await readFile(report.files.json, 'utf8'))).toMatchObject({ verdict: 'PASS', restorePoint: { id: point.id } });
    const md = await readFile(report.files.markdown, 'utf8');
    expect(md).toContain('**Verdict: PASS**');
    expect(md).toContain('## Cosmos DB restore point');
    expect(md).toContain(`restored from ${point.restorableSourceId} at ${point.timestamp}`);
    expect(md).toMatch(/\| capture \| \+[\d.]+s \| [\d.]+s \| ok \|/);
    expect(await readFile(report.files.html, 'utf8')).toContain('<h2>Terraform resources</h2>');

    // The platform serves again, and a second drill finds the environment as the first left it.
    expect((await mac(['smoke', '-e', 'prod'])).code).toBe(0);
    const status = await mac(['status', '-e', 'prod', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ healthy: true });
  }, TIMEOUT);

  it('a smoke test failing after the rebuild is a FAIL verdict (exit 6): the data was restored, the restore disarmed, the report says what to run next', async () => {
    gateway.chatFails = true;
    const run = await drill();
    expect(run.code, run.stderr).toBe(6);
    expect(run.stdout).toMatch(/^FAIL — DR drill \S+ of prod \(azure\)$/m);
    expect(run.stdout).toMatch(/^ {2}- Step smoke failed: smoke check greeting failed after the rebuild: POST \/v1\/chat answered HTTP 500$/m);
    expect(run.stdout).toMatch(/RTO {2}not measured/);
    expect(run.stdout).toMatch(/^ {2}Next:\n {4}1\. mac status -e prod\n {4}2\. mac logs -e prod --since 15m\n/m);
    expect(run.stderr).toMatch(/verdict FAIL/);
    expect(run.stderr).toMatch(/✗ smoke — greeting:/);
    expect(run.stderr).toMatch(/✓ disarm/);

    const report = JSON.parse(await readFile(path.join(w.dir, '.mac', 'prod', 'drills', (await latestRun()), 'report.json'), 'utf8')) as DrillReport;
    expect(report.verdict).toBe('FAIL');
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['preflight', 'ok'],
      ['record-state', 'ok'],
      ['capture', 'ok'],
      ['destroy', 'ok'],
      ['wait', 'ok'],
      ['arm-restore', 'ok'],
      ['rebuild', 'ok'],
      ['recover-secrets', 'ok'],
      ['redeploy', 'ok'],
      ['smoke', 'failed'],
      ['disarm', 'ok'],
      ['verify', 'skipped'],
    ]);
    expect(report.policies.find((p) => p.policy === 'RTO')).toMatchObject({ measuredSeconds: null, verdict: 'PolicyBreached' });
    expect(report.policies.find((p) => p.policy === 'RPO')?.verdict).toBe('PolicyMet');
    expect(report.halt).toMatchObject({ step: 'smoke', destroyed: [], summary: expect.stringContaining('were redeployed but failed the smoke test') });
    expect(report.halt!.rebuilt).toHaveLength(4);
    expect(existsSync(varFile())).toBe(false);
    expect(db.account(w.account, w.rg)?.restoredFrom?.timestamp).toBe(report.restorePoint!.timestamp);
  }, TIMEOUT);

  it('a failure mid-drill halts it with a state report: destroyed, rebuilt, the restore kept armed; the mac deploy it names finishes the recovery', async () => {
    db.restoreFailures.push({ code: 'RestoreFailed', message: 'The restore could not be completed (injected)' });
    const run = await drill('--json');
    expect(run.code).toBe(6);
    const report = result(run);
    expect(report.verdict).toBe('FAIL');
    const status = Object.fromEntries(report.steps.map((s) => [s.name, s.status]));
    expect(status).toMatchObject({ capture: 'ok', destroy: 'ok', 'arm-restore': 'ok', rebuild: 'failed', 'recover-secrets': 'skipped', redeploy: 'skipped', smoke: 'skipped', disarm: 'skipped', verify: 'skipped' });
    expect(report.steps.find((s) => s.name === 'rebuild')?.detail).toMatch(/terraform apply failed/);
    expect(report.steps.find((s) => s.name === 'disarm')?.detail).toMatch(/the restore stays armed/);

    const halt = report.halt!;
    expect(halt.step).toBe('rebuild');
    expect(halt.summary).toMatch(/^The environment is partly destroyed: the drill stopped at rebuild; \d resource\(s\) destroyed and not back, \d rebuilt\. The restore of \S+ \(cosmos-mac-drill-\d+ at \S+\) is armed in .*cosmos-restore\.tfvars\.json: the next terraform apply creates the account from it\.$/);
    expect(halt.destroyed).toContain('terraform_data.cosmos');
    expect(halt.rebuilt).not.toContain('terraform_data.cosmos');
    expect([...halt.destroyed, ...halt.rebuilt].sort()).toEqual(report.infrastructure!.before);
    expect(halt.next[0]).toMatch(/^mac infra apply -e prod {3}\(shows the plan, asks, applies it with the armed restore/);
    expect(halt.next[1]).toMatch(/^mac deploy -e prod {3}\(rolls out release \S+ again/);
    expect(report.reasons).toEqual([expect.stringMatching(/^Step rebuild failed: /), 'RTO not measured: the drill stopped at rebuild.', 'RPO not measured: the drill stopped at rebuild.', halt.summary]);
    const point = report.restorePoint!;
    expect(JSON.parse(await readFile(varFile(), 'utf8'))).toEqual({ cosmos_restore_source_id: point.restorableSourceId, cosmos_restore_timestamp: point.timestamp });
    expect(await readFile(report.files.markdown, 'utf8')).toContain('## Halted at rebuild');

    // What the report says to run next brings the environment back, with the data of the captured point.
    const applied = await mac(['infra', 'apply', '-e', 'prod', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const deployed = await mac(['deploy', '-e', 'prod']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(db.account(w.account, w.rg)?.restoredFrom).toMatchObject({ source: point.restorableSourceId, timestamp: point.timestamp });
    expect((await mac(['smoke', '-e', 'prod'])).code).toBe(0);
  }, TIMEOUT);

  it('on an unhealthy platform stops before destroying anything', async () => {
    for (const g of w.groups.slice(0, 1)) ci.group(g, w.rg)!.stopped = true;
    const run = await drill();
    expect(run.code).toBe(6);
    expect(run.stdout).toMatch(/Step preflight failed: the platform is not healthy/);
    expect(run.stdout).toMatch(/Nothing was destroyed: the drill stopped at preflight, before terraform destroy\./);
    expect(fake.requests.filter((r) => r.method === 'DELETE' || r.path.includes('retrieveContinuousBackupInformation'))).toEqual([]);
    expect(db.account(w.account, w.rg)?.createMode).toBe('Default');
  }, TIMEOUT);
});

async function latestRun(): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(path.join(w.dir, '.mac', 'prod', 'drills'))).sort().at(-1)!;
}

async function readReports(dir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(path.join(e.parentPath, e.name), 'utf8')));
  return texts.join('\n');
}

/**
 * The stand-in for phase4_prod: the outputs the target reads, and four resources whose creation and destruction do
 * to the fake what the real ones would (azurerm-stand-in.mjs). The Cosmos DB account takes the template's restore
 * variables and, like the template's ignore_changes, only reads them when it is created.
 */
function stack(world: World): string {
  const run = (op: string, env: Record<string, string>, when = '') => `
  provisioner "local-exec" {${when ? `\n    when        = ${when}` : ''}
    interpreter = [${JSON.stringify(process.execPath)}, ${JSON.stringify(STAND_IN)}]
    command     = "${op}"
    environment = {
${Object.entries(env).map(([k, v]) => `      ${k} = ${v}`).join('\n')}
    }
  }`;
  const names = AGENT_NAMES.map((a, i) => `    "${a}" = "${world.groups[i]}"`).join('\n');
  return `${COSMOS_RESTORE_VARIABLES_HCL}
resource "terraform_data" "network" {
  input = "vnet-multiagent-prod"
}

resource "terraform_data" "cosmos" {
  input = {
    rg                = "${world.rg}"
    account           = "${world.account}"
    restore_source    = var.cosmos_restore_source_id == null ? "" : var.cosmos_restore_source_id
    restore_timestamp = var.cosmos_restore_timestamp == null ? "" : var.cosmos_restore_timestamp
  }
  lifecycle {
    ignore_changes = [input]
  }
${run('cosmos-create', { FAKE_URL: `"${fake.url}"`, RG: 'self.input.rg', ACCOUNT: 'self.input.account', LOCATION: '"eastus"', RESTORE_SOURCE: 'self.input.restore_source', RESTORE_TIMESTAMP: 'self.input.restore_timestamp' })}
${run('cosmos-delete', { FAKE_URL: `"${fake.url}"`, RG: 'self.input.rg', ACCOUNT: 'self.input.account' }, 'destroy')}
}

resource "terraform_data" "agents" {
  input = { rg = "${world.rg}", groups = "${world.groups.join(',')}" }
${run('groups-delete', { FAKE_URL: `"${fake.url}"`, RG: 'self.input.rg', GROUPS: 'self.input.groups' }, 'destroy')}
}

resource "terraform_data" "telemetry_secret" {
  input = { vault = "${keyVaultUrl(fake)}", name = "${TELEMETRY_SECRET}" }
${run('secret-delete', { FAKE_URL: `"${fake.url}"`, VAULT_URL: 'self.input.vault', SECRET: 'self.input.name' }, 'destroy')}
}

output "resource_group_name" {
  value = "${world.rg}"
}

output "location" {
  value = "eastus"
}

output "cosmos_account_name" {
  value = terraform_data.cosmos.output.account
}

output "container_group_names" {
  value = {
${names}
  }
}

output "agents_identity_id" {
  value = "/subscriptions/${fake.subscriptionId}/resourceGroups/${world.rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-multiagent-prod-agents"
}

output "key_vault_uri" {
  value = "${keyVaultUrl(fake)}"
}
`;
}

// ---- the gateway stand-in ------------------------------------------------------------------------------------------

interface Gateway {
  url: string;
  world?: World;
  /** The rebuilt platform answers /ready, but its chat fails (a smoke failure after the rebuild). */
  chatFails: boolean;
  close(): Promise<void>;
}

/** The real platform behind a proxy that answers only while every agent group of the world exists and runs. */
async function startGateway(): Promise<Gateway> {
  const { dir: stateDir, cleanup } = await tempDir('mac-azure-drill-gateway-');
  const platform: RunningPlatform = await startPlatform({ dataDir: DEMO, stateDir, port: 0, integrations: { mode: 'mock' }, vaultKey: Buffer.alloc(32, 9) });
  const down = (): string | undefined => {
    const world = self.world;
    if (!world) return 'no environment';
    const missing = world.groups.filter((g) => {
      const group = ci.group(g, world.rg);
      return !group || group.provisioningState !== 'Succeeded' || group.stopped;
    });
    return missing.length ? `${missing.length} agent container groups are not running` : undefined;
  };
  const proxy = await startGatewayProxy((req) => {
    const reason = down();
    if (reason) return { status: 503, body: { status: 'unavailable', reason } };
    if (self.chatFails && req.url?.startsWith('/v1/chat')) return { status: 500, body: { error: 'the pipeline failed' } };
    return { forward: platform.url };
  });
  const self: Gateway = {
    url: proxy.url,
    chatFails: false,
    async close() {
      await proxy.close();
      await platform.close();
      await cleanup();
    },
  };
  return self;
}
