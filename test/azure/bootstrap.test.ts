// `mac infra bootstrap` end to end: the real program (runCli) → DefaultAzureCredential (EnvironmentCredential from
// AZURE_* env) + the real @azure/arm-resources and @azure/arm-storage clients → the HTTPS Azure fake. Assertions are on
// what the SDK put on the wire (the fake's request log), what the fake now holds, and the files written.
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stateAccountName } from '../../src/azure/bootstrap.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { blockNonLoopback, type NetworkGuard } from '../setup/no-network.js';
import { seedResourceGroup } from '../fakes/azure/arm-resources.js';
import { on, startAzureFake, type AzureFake, type LoggedRequest } from '../fakes/azure/server.js';
import { putStorageAccount, storageState } from '../fakes/azure/storage.js';
import { isolateAzureEnv } from '../fakes/azure/process-env.js';

const TEMPLATES = fileURLToPath(new URL('../../templates/terraform/phase4_prod/', import.meta.url));

let guard: NetworkGuard;
let fake: AzureFake;
let dir: string;
let cleanup: () => Promise<void>;
let restoreEnv: (() => void) | undefined;

beforeAll(() => {
  guard = blockNonLoopback();
});
afterAll(() => guard?.restore());

beforeEach(async () => {
  fake = await startAzureFake();
  ({ dir, cleanup } = await tempDir('mac-bootstrap-'));
  restoreEnv = isolateAzureEnv();
  Object.assign(process.env, credentialEnv());
  await writeFile(path.join(dir, 'mac.yaml'), macYaml());
  // The stack as `mac init` scaffolds it: the partial backend block that backend.hcl completes.
  await mkdir(path.join(dir, 'terraform/phase4_prod'), { recursive: true });
  await copyFile(path.join(TEMPLATES, 'providers.tf'), path.join(dir, 'terraform/phase4_prod/providers.tf'));
});
afterEach(async () => {
  restoreEnv?.();
  await fake.close();
  await cleanup();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
});

function credentialEnv(): Record<string, string> {
  return {
    AZURE_TENANT_ID: fake.tenantId,
    AZURE_CLIENT_ID: fake.clientId,
    AZURE_CLIENT_SECRET: fake.clientSecret,
    AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
  };
}

function macYaml(): string {
  // Two azure environments in the same subscription (so the same state account), and a local one.
  const azure = (name: string) => [
    `  ${name}:`,
    '    target: azure',
    `    subscription: ${fake.subscriptionId}`,
    '    region: westeurope',
    '    cloud:',
    `      armEndpoint: ${fake.url}`,
    `      authorityHost: ${fake.url}`,
    '      keyVaultDnsSuffix: vault.localhost',
  ];
  return ['version: 1', 'environments:', ...azure('prod'), ...azure('staging'), '  dev:', '    target: local', ''].join('\n');
}

function bootstrapIn(env: string, ...args: string[]) {
  return runCli(['-e', env, 'infra', 'bootstrap', ...args], { cwd: dir, env: credentialEnv() });
}

const bootstrap = (...args: string[]) => bootstrapIn('prod', ...args);

const settingsOf = async (env: string) => JSON.parse(await readFile(path.join(dir, '.mac', env, 'terraform-backend.json'), 'utf8')) as Record<string, string>;

interface Doc {
  environment: string;
  subscription: string;
  resourceGroup: string;
  storageAccount: string;
  container: string;
  key: string;
  backendConfig: string;
  backendSettings: string;
  changed: boolean;
  steps: { step: string; name: string; status: string; detail: string }[];
}

async function bootstrapJsonIn(env: string, ...args: string[]): Promise<Doc> {
  const run = await bootstrapIn(env, '--json', ...args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Doc;
}

const bootstrapJson = (...args: string[]) => bootstrapJsonIn('prod', ...args);

const statuses = (doc: Doc) => doc.steps.map((s) => [s.step, s.name, s.status]);
const writes = () => fake.requests.filter((r) => !['GET', 'HEAD'].includes(r.method) && r.route !== 'entra token');
const body = (r: LoggedRequest | undefined): unknown => JSON.parse(r?.body ?? 'null');
const accountPath = (name: string) => `/subscriptions/${fake.subscriptionId}/resourceGroups/tfstate-rg/providers/Microsoft.Storage/storageAccounts/${name}`;

function expectedBackendHcl(account: string, env = 'prod', key = `${env}.tfstate`): string {
  return [
    `# Terraform state backend of environment "${env}", written by \`mac infra bootstrap\`.`,
    '# Used as: terraform init -backend-config=backend.hcl',
    '# No secrets here: Terraform signs in to Azure AD from ARM_* environment variables (or az login / managed identity);',
    '# that identity needs the "Storage Blob Data Contributor" role on the storage account.',
    `subscription_id      = "${fake.subscriptionId}"`,
    'resource_group_name  = "tfstate-rg"',
    `storage_account_name = "${account}"`,
    'container_name       = "tfstate"',
    `key                  = "${key}"`,
    `metadata_host        = "127.0.0.1:${fake.port}"`,
    'use_azuread_auth     = true',
    '',
  ].join('\n');
}

describe('mac infra bootstrap', () => {
  it('creates the resource group, a locked-down account, versioning + 30-day soft delete, the container and backend.hcl', async () => {
    const account = stateAccountName(fake.subscriptionId);
    expect(account).toMatch(/^tfstate[0-9a-f]{10}$/);

    const doc = await bootstrapJson();

    expect(doc).toMatchObject({
      environment: 'prod',
      subscription: fake.subscriptionId,
      resourceGroup: 'tfstate-rg',
      storageAccount: account,
      container: 'tfstate',
      key: 'prod.tfstate',
      backendConfig: 'terraform/phase4_prod/backend.hcl',
      backendSettings: '.mac/prod/terraform-backend.json',
      changed: true,
    });
    expect(statuses(doc)).toEqual([
      ['resource group', 'tfstate-rg', 'created'],
      ['storage account', account, 'created'],
      ['blob service', account, 'created'],
      ['container', 'tfstate', 'created'],
      ['backend config', 'terraform/phase4_prod/backend.hcl', 'created'],
      ['backend config', '.mac/prod/terraform-backend.json', 'created'],
    ]);

    // What the SDK sent, in order: no write but these.
    expect(writes().map((r) => `${r.method} ${r.route}`)).toEqual([
      'PUT arm resourcegroups put',
      'POST storage checkNameAvailability',
      'PUT storage account put',
      'PUT storage blobServices put',
      'PUT storage container put',
    ]);
    const [group, check, put, blob, container] = writes();
    expect(body(group)).toMatchObject({ location: 'westeurope' });
    expect(body(check)).toEqual({ name: account, type: 'Microsoft.Storage/storageAccounts' });
    expect(put?.path).toBe(accountPath(account));
    expect(body(put)).toEqual({
      location: 'westeurope',
      sku: { name: 'Standard_LRS' },
      kind: 'StorageV2',
      tags: { purpose: 'terraform-state', 'managed-by': 'mac' },
      properties: { supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false },
    });
    expect(put?.status).toBe(202);
    // The create is a long-running operation: polled until done, then the account read back.
    expect(fake.requests.filter((r) => r.route === 'storage asyncoperation get').map((r) => r.status)).toEqual([202, 200]);
    expect(body(blob)).toMatchObject({
      properties: {
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: 30 },
        containerDeleteRetentionPolicy: { enabled: true, days: 30 },
      },
    });
    expect(container?.path).toBe(`${accountPath(account)}/blobServices/default/containers/tfstate`);
    expect(body(container)).toEqual({ properties: { publicAccess: 'None' } });

    // The world the fake now holds.
    const held = storageState(fake).accounts.get(account);
    expect(held).toMatchObject({ resourceGroup: 'tfstate-rg', location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } });
    expect(held?.properties).toMatchObject({ provisioningState: 'Succeeded', supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false });
    expect(held?.blobService).toMatchObject({ isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 30 } });
    expect([...(held?.containers.keys() ?? [])]).toEqual(['tfstate']);
    expect(fake.unmatched()).toEqual([]);

    // Every ARM call asked for a token for the environment's ARM endpoint, and got one.
    const arm = fake.requests.filter((r) => r.route?.startsWith('arm ') || r.route?.startsWith('storage '));
    expect(arm.every((r) => r.token?.status === 'valid')).toBe(true);

    const hcl = await readFile(path.join(dir, 'terraform/phase4_prod/backend.hcl'), 'utf8');
    expect(hcl).toBe(expectedBackendHcl(account));
    expect(hcl).not.toContain(fake.clientSecret);
    const settings = JSON.parse(await readFile(path.join(dir, '.mac/prod/terraform-backend.json'), 'utf8')) as Record<string, string>;
    expect(settings).toEqual({
      subscription_id: fake.subscriptionId,
      resource_group_name: 'tfstate-rg',
      storage_account_name: account,
      container_name: 'tfstate',
      key: 'prod.tfstate',
      metadata_host: `127.0.0.1:${fake.port}`,
      use_azuread_auth: 'true',
    });
  });

  it('changes nothing on a re-run, and says so', async () => {
    const account = stateAccountName(fake.subscriptionId);
    await bootstrapJson();
    const hclFile = path.join(dir, 'terraform/phase4_prod/backend.hcl');
    const before = await stat(hclFile);
    const text = await readFile(hclFile, 'utf8');
    fake.reset();

    const second = await bootstrapJson();
    expect(second.changed).toBe(false);
    expect(second.steps.map((s) => s.status)).toEqual(['exists', 'exists', 'exists', 'exists', 'exists', 'exists']);
    expect(second.storageAccount).toBe(account);
    expect(writes()).toEqual([]); // no PUT of the account (nor anything else), no name check
    expect(await readFile(hclFile, 'utf8')).toBe(text);
    expect((await stat(hclFile)).mtimeMs).toBe(before.mtimeMs);

    // Without --json: a table on stdout, every step "already exists", and a line saying nothing changed.
    const human = await bootstrap();
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Nothing changed');
    const rows = human.stdout.split('\n').filter((l) => /^(resource group|storage account|blob service|container|backend config)\s/.test(l));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toContain('already exists');
    expect(human.stderr).toMatch(/✓ storage account tfstate[0-9a-f]{10} — already exists/);
  });

  it('retries the account PUT after a 429 with Retry-After', async () => {
    fake.faults.push({ match: on('PUT', /\/storageAccounts\/[^/]+$/i), status: 429, headers: { 'Retry-After': '1' } });
    const doc = await bootstrapJson();
    expect(statuses(doc)[1]).toEqual(['storage account', stateAccountName(fake.subscriptionId), 'created']);
    const puts = fake.requests.filter((r) => r.method === 'PUT' && /\/storageAccounts\/[^/]+$/i.test(r.path));
    expect(puts.map((r) => [r.status, r.fault ?? false])).toEqual([
      [429, true],
      [202, false],
    ]);
    expect(fake.faults).toEqual([]);
  });

  it('stops with a clear error when the derived name belongs to someone else, and takes --storage-account instead', async () => {
    const account = stateAccountName(fake.subscriptionId);
    putStorageAccount(fake, { subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'their-rg', name: account });

    const taken = await bootstrap();
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`"${account}" is already taken`);
    expect(taken.stderr).toContain('--storage-account <name>');
    expect(taken.stdout).toBe('');
    expect(fake.requests.some((r) => r.method === 'PUT' && r.path.includes('/storageAccounts/'))).toBe(false);
    expect(fake.requests.filter((r) => r.route === 'storage accounts list')).toHaveLength(1); // not one of ours elsewhere

    const own = await bootstrapJson('--storage-account', 'contosotfstate01');
    expect(own.storageAccount).toBe('contosotfstate01');
    expect(await readFile(path.join(dir, 'terraform/phase4_prod/backend.hcl'), 'utf8')).toBe(expectedBackendHcl('contosotfstate01'));

    // The name recorded in backend.hcl is kept on the next run without the flag.
    fake.reset();
    const again = await bootstrapJson();
    expect(again.storageAccount).toBe('contosotfstate01');
    expect(again.changed).toBe(false);
    expect(writes()).toEqual([]);
  });

  it('gives each environment its own state blob in the shared account, so two environments never share a state', async () => {
    const account = stateAccountName(fake.subscriptionId);
    const prod = await bootstrapJsonIn('prod');
    const staging = await bootstrapJsonIn('staging');
    expect([prod.storageAccount, prod.container, prod.key]).toEqual([account, 'tfstate', 'prod.tfstate']);
    expect([staging.storageAccount, staging.container, staging.key]).toEqual([account, 'tfstate', 'staging.tfstate']);
    expect((await settingsOf('prod')).key).toBe('prod.tfstate');
    expect((await settingsOf('staging')).key).toBe('staging.tfstate');
    // Both use the default terraformDir: its backend.hcl is the last bootstrapped environment's, and prod's key does
    // not come from it.
    expect(await readFile(path.join(dir, 'terraform/phase4_prod/backend.hcl'), 'utf8')).toBe(expectedBackendHcl(account, 'staging'));
    const again = await bootstrapJsonIn('prod');
    expect(again.key).toBe('prod.tfstate');
    expect(again.steps.find((s) => s.name === '.mac/prod/terraform-backend.json')?.status).toBe('exists');
  });

  it('keeps the key an environment was bootstrapped with (its state is there), from its settings or its own backend.hcl', async () => {
    const account = stateAccountName(fake.subscriptionId);
    // Bootstrapped when every environment got phase4-prod.tfstate: the settings file records it.
    await mkdir(path.join(dir, '.mac', 'prod'), { recursive: true });
    await writeFile(
      path.join(dir, '.mac', 'prod', 'terraform-backend.json'),
      `${JSON.stringify({ subscription_id: fake.subscriptionId, resource_group_name: 'tfstate-rg', storage_account_name: account, container_name: 'tfstate', key: 'phase4-prod.tfstate' })}\n`,
    );
    expect((await bootstrapJsonIn('prod')).key).toBe('phase4-prod.tfstate');
    expect((await settingsOf('prod')).key).toBe('phase4-prod.tfstate');
    const hcl = path.join(dir, 'terraform/phase4_prod/backend.hcl');
    expect(await readFile(hcl, 'utf8')).toBe(expectedBackendHcl(account, 'prod', 'phase4-prod.tfstate'));

    // No settings file (a fresh checkout of a repository that keeps backend.hcl): backend.hcl written for prod counts…
    await rm(path.join(dir, '.mac'), { recursive: true });
    expect((await bootstrapJsonIn('prod')).key).toBe('phase4-prod.tfstate');
    // … for prod only: staging starts its own state rather than take prod's.
    await rm(path.join(dir, '.mac'), { recursive: true });
    expect((await bootstrapJsonIn('staging')).key).toBe('staging.tfstate');
  });

  it('brings an existing account and blob service in line, keeping what it need not change', async () => {
    const account = stateAccountName(fake.subscriptionId);
    seedResourceGroup(fake, 'tfstate-rg', { location: 'northeurope' });
    const cors = { corsRules: [{ allowedOrigins: ['https://example.org'], allowedMethods: ['GET'], allowedHeaders: ['*'], exposedHeaders: ['*'], maxAgeInSeconds: 60 }] };
    putStorageAccount(fake, {
      subscriptionId: fake.subscriptionId,
      resourceGroup: 'tfstate-rg',
      name: account,
      location: 'northeurope',
      sku: 'Standard_GRS',
      properties: { minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true },
      blobService: { cors, deleteRetentionPolicy: { enabled: true, days: 90 } },
    });

    const doc = await bootstrapJson();
    expect(statuses(doc).slice(0, 4)).toEqual([
      ['resource group', 'tfstate-rg', 'exists'],
      ['storage account', account, 'updated'],
      ['blob service', account, 'updated'],
      ['container', 'tfstate', 'created'],
    ]);
    expect(doc.steps[1]?.detail).toBe('set minimum TLS 1.2, no public blob access');
    const patch = fake.requests.find((r) => r.method === 'PATCH');
    expect(body(patch)).toEqual({ properties: { supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false } });
    expect(fake.requests.some((r) => r.route === 'storage checkNameAvailability' || r.route === 'storage account put')).toBe(false);

    const held = storageState(fake).accounts.get(account);
    expect(held?.sku.name).toBe('Standard_GRS'); // the SKU is the owner's choice
    expect(held?.blobService).toMatchObject({
      cors, // CORS rules survive the PUT
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 90 }, // longer retention is kept
      containerDeleteRetentionPolicy: { enabled: true, days: 30 },
    });
  });

  it('refuses a local environment and an invalid --storage-account as usage errors, before calling Azure', async () => {
    const local = await runCli(['-e', 'dev', 'infra', 'bootstrap'], { cwd: dir, env: credentialEnv() });
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/environment "dev" has target local/);

    const invalid = await bootstrap('--storage-account', 'Not_Valid');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('"Not_Valid" is not a valid storage account name');
    expect(fake.requests).toEqual([]);
  });
});
