// Which store holds an environment's secrets. The local target: the file vault under .mac/<env>/. The azure target:
// its Key Vault — mac.yaml's `keyVaultUrl` when set, else the `key_vault_uri` Terraform output that `mac infra
// apply|output` saves in .mac/<env>/terraform-outputs.json.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedEnvironment } from '../config/load.js';
import { PreconditionError, UserError } from '../errors.js';
import type { SecretStore } from './store.js';

/** Terraform's outputs for an environment, as `mac infra apply|output` saves them under .mac/<env>/. */
export const TERRAFORM_OUTPUTS_FILE = 'terraform-outputs.json';

export async function openSecretStore(
  env: ResolvedEnvironment,
  o: {
    processEnv: NodeJS.ProcessEnv;
    now?: () => Date;
    /** The Key Vault client's retries (the azure target's tuning); the SDK's defaults otherwise. */
    keyVault?: { retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number } };
  },
): Promise<SecretStore> {
  if (env.config.target === 'local') {
    const { openLocalVault } = await import('./local-vault.js');
    return openLocalVault(env, o.processEnv, o.now);
  }
  const vaultUrl = env.config.keyVaultUrl ?? (await terraformKeyVaultUri(env.stateDir));
  if (!vaultUrl) {
    throw new PreconditionError(
      `Environment ${env.name} (azure) keeps its secrets in Azure Key Vault, but mac does not know which vault: ` +
        `there is no keyVaultUrl in mac.yaml and no key_vault_uri in ${path.join(env.stateDir, TERRAFORM_OUTPUTS_FILE)}.`,
      `Run mac infra apply -e ${env.name} (it records the vault it creates), or set environments.${env.name}.keyVaultUrl in mac.yaml.`,
    );
  }
  const [{ createCredential }, { KeyVaultStore }] = await Promise.all([import('../azure/credential.js'), import('./key-vault.js')]);
  return new KeyVaultStore({
    vaultUrl,
    credential: createCredential(env.config.cloud, o.processEnv),
    keyVaultDnsSuffix: env.config.cloud.keyVaultDnsSuffix,
    ...(o.keyVault?.retryOptions ? { retryOptions: o.keyVault.retryOptions } : {}),
    // No injected clock: Key Vault stamps versions with its own, and the order tag must follow real write order.
  });
}

/**
 * `key_vault_uri` from .mac/<env>/terraform-outputs.json: `{ "key_vault_uri": "https://…/" }` (or Terraform's own
 * `output -json` shape, `{ "key_vault_uri": { "value": "https://…/" } }`); undefined when the file or output is absent.
 */
export async function terraformKeyVaultUri(stateDir: string): Promise<string | undefined> {
  const file = path.join(stateDir, TERRAFORM_OUTPUTS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const bad = (why: string) =>
    new UserError(`${file}: ${why}.`, 'Run mac infra output to write it again, or set keyVaultUrl for the environment in mac.yaml.');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('not valid JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad('expected a JSON object of Terraform outputs');
  const raw = (doc as Record<string, unknown>).key_vault_uri;
  const value = raw && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^https:\/\/[^/\s]+/.test(value)) throw bad('key_vault_uri is not an https:// URL');
  return value;
}
