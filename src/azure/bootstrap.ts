// `mac infra bootstrap`: the Terraform state storage (the seed's deployment step 2), made idempotent.
//
//   resource group tfstate-rg → storage account (Standard_LRS, StorageV2, HTTPS only, TLS 1.2, no public blob access)
//   → blob service: versioning, 30-day blob and container soft delete → container tfstate → <terraformDir>/backend.hcl
//
// Each step reads first and writes only what differs, so a re-run sends no write at all and reports every step as
// already there. The account name is derived from the subscription id (stable across runs and machines), checked
// with the name-availability API before creating, and can be overridden; a name recorded in backend.hcl for the same
// subscription wins over the derived one, so an override sticks without repeating the flag. The account holds every
// environment's state, each in its own blob: `<env>.tfstate` (see stateKey).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResourceManagementClient } from '@azure/arm-resources';
import type { BlobServiceProperties, DeleteRetentionPolicy, StorageAccount, StorageManagementClient } from '@azure/arm-storage';
import type { TokenCredential } from '@azure/identity';
import type { AzureEnvironmentConfig } from '../config/schema.js';
import { PreconditionError, UsageError, UserError } from '../errors.js';

export const STATE_RESOURCE_GROUP = 'tfstate-rg';
export const STATE_CONTAINER = 'tfstate';
export const BACKEND_FILE = 'backend.hcl';
export const RETENTION_DAYS = 30;

const PUBLIC_ARM_HOST = 'management.azure.com';
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const TAGS = { purpose: 'terraform-state', 'managed-by': 'mac' };

export type StepName = 'resource group' | 'storage account' | 'blob service' | 'container' | 'backend config';
/** created: did not exist · exists: already as wanted, nothing sent · updated: existed and was brought in line. */
export type StepStatus = 'created' | 'exists' | 'updated';

export interface BootstrapStep {
  step: StepName;
  name: string;
  status: StepStatus;
  detail: string;
}

export interface StateBackend {
  subscriptionId: string;
  resourceGroup: string;
  storageAccount: string;
  container: string;
  key: string;
  /** Set for clouds other than Azure public: the ARM host Terraform reads the cloud's endpoints from. */
  metadataHost?: string;
}

export interface BootstrapOptions {
  environment: string;
  subscriptionId: string;
  location: string;
  armEndpoint: string;
  /** Absolute path of the environment's Terraform stack. */
  terraformDir: string;
  /** Overrides the derived account name. */
  storageAccount?: string;
  /** Also write the settings as a JSON object here (what `mac infra plan|apply` passes to `terraform init`). */
  backendSettingsFile?: string;
  /** Called as each step finishes (progress). */
  onStep?: (step: BootstrapStep) => void;
  /** Called before each step starts (progress). */
  onStart?: (step: StepName, name: string) => void;
}

export interface BootstrapClients {
  resources: ResourceManagementClient;
  storage: StorageManagementClient;
}

export interface BootstrapResult {
  backend: StateBackend;
  /** Absolute path of the backend config written (or found unchanged). */
  backendFile: string;
  /** Absolute path of the JSON settings, when asked for. */
  backendSettingsFile?: string;
  steps: BootstrapStep[];
  /** Whether anything was created or updated. */
  changed: boolean;
}

/** `tfstate` + 10 hex of the subscription id's SHA-256: 17 lowercase alphanumerics, the same on every run. */
export function stateAccountName(subscriptionId: string): string {
  return `tfstate${createHash('sha256').update(subscriptionId.trim().toLowerCase()).digest('hex').slice(0, 10)}`;
}

export function isValidAccountName(name: string): boolean {
  return ACCOUNT_NAME.test(name);
}

/** ARM clients for the environment's cloud: its endpoint, and a token for that endpoint (not the public cloud's). */
export async function openBootstrapClients(
  azure: AzureEnvironmentConfig,
  env: NodeJS.ProcessEnv,
  credential?: TokenCredential,
): Promise<BootstrapClients> {
  const [{ createCredential, armScope }, { ResourceManagementClient }, { StorageManagementClient }] = await Promise.all([
    import('./credential.js'),
    import('@azure/arm-resources'),
    import('@azure/arm-storage'),
  ]);
  const cred = credential ?? createCredential(azure.cloud, env);
  const options = { endpoint: azure.cloud.armEndpoint, credentialScopes: [armScope(azure.cloud.armEndpoint)] };
  return {
    resources: new ResourceManagementClient(cred, azure.subscription, options),
    storage: new StorageManagementClient(cred, azure.subscription, options),
  };
}

export async function bootstrapState(clients: BootstrapClients, opts: BootstrapOptions): Promise<BootstrapResult> {
  const backendFile = path.join(opts.terraformDir, BACKEND_FILE);
  const existingText = await readText(backendFile);
  const recorded = existingText === undefined ? {} : parseBackendConfig(existingText);
  const key = stateKey(opts.environment, recorded, await readSettings(opts.backendSettingsFile));
  let accountName = opts.storageAccount;
  if (accountName !== undefined && !isValidAccountName(accountName)) {
    throw new UsageError(
      `"${accountName}" is not a valid storage account name.`,
      'A storage account name is 3-24 characters of lowercase letters and digits only.',
    );
  }
  if (accountName === undefined) {
    const sameSubscription = recorded.subscription_id?.toLowerCase() === opts.subscriptionId.toLowerCase();
    const previous = recorded.storage_account_name;
    accountName = sameSubscription && previous && isValidAccountName(previous) ? previous : stateAccountName(opts.subscriptionId);
  }

  const steps: BootstrapStep[] = [];
  const run = async (step: StepName, name: string, fn: () => Promise<Omit<BootstrapStep, 'step' | 'name'>>): Promise<void> => {
    opts.onStart?.(step, name);
    let outcome: Omit<BootstrapStep, 'step' | 'name'>;
    try {
      outcome = await fn();
    } catch (err) {
      throw explain(err, step, name);
    }
    const done = { step, name, ...outcome };
    steps.push(done);
    opts.onStep?.(done);
  };

  const group = STATE_RESOURCE_GROUP;
  await run('resource group', group, () => ensureResourceGroup(clients.resources, group, opts.location));
  let accountCreated = false;
  await run('storage account', accountName, async () => {
    const outcome = await ensureStorageAccount(clients, group, accountName, opts);
    accountCreated = outcome.status === 'created';
    return outcome;
  });
  await run('blob service', accountName, () => ensureBlobService(clients.storage, group, accountName, accountCreated));
  await run('container', STATE_CONTAINER, () => ensureContainer(clients.storage, group, accountName, STATE_CONTAINER));

  const backend: StateBackend = {
    subscriptionId: opts.subscriptionId,
    resourceGroup: group,
    storageAccount: accountName,
    container: STATE_CONTAINER,
    key,
    ...metadataHost(opts.armEndpoint),
  };
  await run('backend config', backendFile, () => writeIfChanged(backendFile, existingText, renderBackendConfig(backend, opts.environment)));
  const settingsFile = opts.backendSettingsFile;
  if (settingsFile) {
    const text = `${JSON.stringify(backendSettings(backend), null, 2)}\n`;
    await run('backend config', settingsFile, async () => writeIfChanged(settingsFile, await readText(settingsFile), text, 0o700));
  }

  return { backend, backendFile, backendSettingsFile: settingsFile, steps, changed: steps.some((s) => s.status !== 'exists') };
}

async function ensureResourceGroup(
  resources: ResourceManagementClient,
  name: string,
  location: string,
): Promise<Omit<BootstrapStep, 'step' | 'name'>> {
  const existing = await orNotFound(resources.resourceGroups.get(name));
  if (existing) return { status: 'exists', detail: `in ${existing.location}` };
  await resources.resourceGroups.createOrUpdate(name, { location, tags: TAGS });
  return { status: 'created', detail: `in ${location}` };
}

async function ensureStorageAccount(
  { storage }: BootstrapClients,
  group: string,
  name: string,
  opts: BootstrapOptions,
): Promise<Omit<BootstrapStep, 'step' | 'name'>> {
  const existing = await orNotFound(storage.storageAccounts.getProperties(group, name));
  if (existing) {
    const drift = accountDrift(existing);
    if (drift.length === 0) return { status: 'exists', detail: describeAccount(existing) };
    await storage.storageAccounts.update(group, name, {
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
    });
    return { status: 'updated', detail: `set ${drift.join(', ')}` };
  }

  const availability = await storage.storageAccounts.checkNameAvailability({ name, type: 'Microsoft.Storage/storageAccounts' });
  if (!availability.nameAvailable) {
    const override = `mac infra bootstrap -e ${opts.environment} --storage-account <name>`;
    if (availability.reason === 'AccountNameInvalid') {
      throw new UsageError(`Azure rejects "${name}" as a storage account name: ${availability.message ?? 'invalid name'}`, `Choose another: ${override}`);
    }
    const ours = await findInSubscription(storage, name);
    if (ours) {
      throw new UserError(
        `The storage account "${name}" already exists in resource group "${ours}" of subscription ${opts.subscriptionId}, not in ${group}.`,
        `Move it into ${group}, or use another account for the state: ${override}`,
      );
    }
    throw new UserError(
      `The storage account name "${name}" is already taken outside subscription ${opts.subscriptionId} (storage account names are global across Azure).`,
      `Choose another name (3-24 lowercase letters and digits): ${override}`,
    );
  }
  await storage.storageAccounts.beginCreateAndWait(group, name, {
    location: opts.location,
    sku: { name: 'Standard_LRS' },
    kind: 'StorageV2',
    tags: TAGS,
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_2',
    allowBlobPublicAccess: false,
  });
  return { status: 'created', detail: `Standard_LRS StorageV2 in ${opts.location}, HTTPS only, TLS1_2, no public blob access` };
}

/** What differs from the account settings the state needs (only the security settings are enforced). */
function accountDrift(account: StorageAccount): string[] {
  const drift: string[] = [];
  if (account.enableHttpsTrafficOnly !== true) drift.push('HTTPS only');
  if (account.minimumTlsVersion !== 'TLS1_2' && account.minimumTlsVersion !== 'TLS1_3') drift.push('minimum TLS 1.2');
  if (account.allowBlobPublicAccess !== false) drift.push('no public blob access');
  return drift;
}

function describeAccount(account: StorageAccount): string {
  return [account.sku?.name, account.kind, account.location ? `in ${account.location}` : undefined].filter(Boolean).join(' ');
}

async function findInSubscription(storage: StorageManagementClient, name: string): Promise<string | undefined> {
  for await (const account of storage.storageAccounts.list()) {
    if (account.name?.toLowerCase() === name.toLowerCase()) return /\/resourceGroups\/([^/]+)/i.exec(account.id ?? '')?.[1] ?? '?';
  }
  return undefined;
}

async function ensureBlobService(
  storage: StorageManagementClient,
  group: string,
  account: string,
  accountCreated: boolean,
): Promise<Omit<BootstrapStep, 'step' | 'name'>> {
  const current = await storage.blobServices.getServiceProperties(group, account);
  const retained = (policy: DeleteRetentionPolicy | undefined) => Boolean(policy?.enabled) && (policy?.days ?? 0) >= RETENTION_DAYS;
  const keep = (policy: DeleteRetentionPolicy | undefined): DeleteRetentionPolicy =>
    retained(policy) ? { ...policy, enabled: true } : { ...policy, enabled: true, days: RETENTION_DAYS };
  const ok = current.isVersioningEnabled === true && retained(current.deleteRetentionPolicy) && retained(current.containerDeleteRetentionPolicy);
  const describe = (p: BlobServiceProperties) =>
    `versioning on, blob soft delete ${p.deleteRetentionPolicy?.days ?? '?'} days, container soft delete ${p.containerDeleteRetentionPolicy?.days ?? '?'} days`;
  if (ok) return { status: 'exists', detail: describe(current) };
  // PUT replaces what it names (an absent CORS list would delete the rules): send back what is there, changed.
  const wanted: BlobServiceProperties = {
    cors: current.cors,
    defaultServiceVersion: current.defaultServiceVersion,
    changeFeed: current.changeFeed,
    restorePolicy: current.restorePolicy,
    lastAccessTimeTrackingPolicy: current.lastAccessTimeTrackingPolicy,
    isVersioningEnabled: true,
    deleteRetentionPolicy: keep(current.deleteRetentionPolicy),
    containerDeleteRetentionPolicy: keep(current.containerDeleteRetentionPolicy),
  };
  for (const key of Object.keys(wanted) as (keyof BlobServiceProperties)[]) if (wanted[key] === undefined) delete wanted[key];
  const updated = await storage.blobServices.setServiceProperties(group, account, wanted);
  return { status: accountCreated ? 'created' : 'updated', detail: describe({ ...wanted, ...updated }) };
}

async function ensureContainer(
  storage: StorageManagementClient,
  group: string,
  account: string,
  name: string,
): Promise<Omit<BootstrapStep, 'step' | 'name'>> {
  const existing = await orNotFound(storage.blobContainers.get(group, account, name));
  if (existing) return { status: 'exists', detail: `in ${account}, public access ${existing.publicAccess ?? 'None'}` };
  await storage.blobContainers.create(group, account, name, { publicAccess: 'None' });
  return { status: 'created', detail: `in ${account}, no public access` };
}

/**
 * The state blob of an environment: `<environment>.tfstate`, so that environments sharing the state account (all of
 * a subscription's do) never share a state. An environment bootstrapped before keeps the key its backend files
 * record — .mac/<env>/terraform-backend.json, else a backend.hcl written for this same environment (one written for
 * another environment sharing the terraformDir is not this one's) — so no existing state is left behind.
 */
function stateKey(environment: string, backendHcl: Record<string, string> & { environment?: string }, settings: Record<string, string>): string {
  if (settings.key) return settings.key;
  if (backendHcl.key && backendHcl.environment === environment) return backendHcl.key;
  return `${environment}.tfstate`;
}

/** The partial backend configuration for `terraform init -backend-config=backend.hcl`. Holds no secret. */
export function renderBackendConfig(backend: StateBackend, environment: string): string {
  const attrs = Object.entries(backendSettings(backend)).map(([k, v]): [string, string] => [k, k === 'use_azuread_auth' ? v : quote(v)]);
  const width = Math.max(...attrs.map(([k]) => k.length));
  return [
    `# Terraform state backend of environment "${environment}", written by \`mac infra bootstrap\`.`,
    '# Used as: terraform init -backend-config=backend.hcl',
    '# No secrets here: Terraform signs in to Azure AD from ARM_* environment variables (or az login / managed identity);',
    '# that identity needs the "Storage Blob Data Contributor" role on the storage account.',
    ...attrs.map(([k, v]) => `${k.padEnd(width)} = ${v}`),
    '',
  ].join('\n');
}

/** The same settings as `-backend-config` name → value pairs. */
export function backendSettings(backend: StateBackend): Record<string, string> {
  return {
    subscription_id: backend.subscriptionId,
    resource_group_name: backend.resourceGroup,
    storage_account_name: backend.storageAccount,
    container_name: backend.container,
    key: backend.key,
    ...(backend.metadataHost ? { metadata_host: backend.metadataHost } : {}),
    use_azuread_auth: 'true',
  };
}

async function writeIfChanged(
  file: string,
  existing: string | undefined,
  text: string,
  dirMode?: number,
): Promise<Omit<BootstrapStep, 'step' | 'name'>> {
  if (existing === text) return { status: 'exists', detail: 'unchanged' };
  await mkdir(path.dirname(file), { recursive: true, ...(dirMode ? { mode: dirMode } : {}) });
  await writeFile(file, text);
  return existing === undefined ? { status: 'created', detail: 'written' } : { status: 'updated', detail: 'rewritten' };
}

/**
 * The `name = "value"` attributes of a backend.hcl (enough to read back what renderBackendConfig wrote), and the
 * environment its header names.
 */
export function parseBackendConfig(text: string): Record<string, string> & { environment?: string } {
  const out: Record<string, string> & { environment?: string } = {};
  for (const m of text.matchAll(/^\s*([a-z_]+)\s*=\s*"([^"]*)"\s*$/gm)) out[m[1]!] = m[2]!;
  const header = /^# Terraform state backend of environment "([^"]+)"/m.exec(text)?.[1];
  if (header) out.environment = header;
  return out;
}

/** The settings of an earlier bootstrap (.mac/<env>/terraform-backend.json); empty when there are none. */
async function readSettings(file: string | undefined): Promise<Record<string, string>> {
  const text = file === undefined ? undefined : await readText(file);
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
  } catch {
    throw new UserError(`${file} is not JSON.`, 'It is written by mac infra bootstrap: fix it, or delete it and run mac infra bootstrap again.');
  }
}

function metadataHost(armEndpoint: string): { metadataHost?: string } {
  const host = new URL(armEndpoint).host;
  return host === PUBLIC_ARM_HOST ? {} : { metadataHost: host };
}

function quote(value: string): string {
  return JSON.stringify(value);
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

interface RestErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
}

function isRestError(err: unknown): err is RestErrorLike {
  return err instanceof Error && err.name === 'RestError';
}

/** The resource, or undefined when ARM answers 404. */
async function orNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (isRestError(err) && err.statusCode === 404) return undefined;
    throw err;
  }
}

const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

/** An Azure or credential failure as an error the operator can act on, naming the step. */
function explain(err: unknown, step: StepName, name: string): unknown {
  if (err instanceof UserError || !(err instanceof Error)) return err;
  const what = `${step} ${name}`;
  const firstLine = (err.message.split('\n')[0] ?? err.message).slice(0, 300);
  if (CREDENTIAL_ERRORS.has(err.name)) {
    return new PreconditionError(
      `Could not sign in to Azure (${what}): ${firstLine}`,
      'Run `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or ARM_*) for a service principal; `mac doctor` checks access.',
    );
  }
  if (isRestError(err)) {
    const { statusCode, code: errorCode } = err as RestErrorLike;
    const code = errorCode ? `${errorCode}: ` : '';
    if (statusCode === 401 || statusCode === 403) {
      return new PreconditionError(
        `Azure refused the ${what} step: ${code}${firstLine}`,
        'The identity needs Contributor (or Owner) on the subscription to create the state storage.',
      );
    }
    return new UserError(`Azure failed the ${what} step (HTTP ${statusCode ?? '?'}): ${code}${firstLine}`, 'Run again: each step resumes where it stopped.');
  }
  return err;
}
