// Which store holds an environment's secrets. The local target: the file vault under .mac/<env>/. The azure target
// will answer with its Key Vault store (the same SecretStore interface) once it exists.
import type { ResolvedEnvironment } from '../config/load.js';
import { PreconditionError } from '../errors.js';
import type { SecretStore } from './store.js';

export async function openSecretStore(
  env: ResolvedEnvironment,
  o: { processEnv: NodeJS.ProcessEnv; now?: () => Date },
): Promise<SecretStore> {
  if (env.config.target === 'local') {
    const { openLocalVault } = await import('./local-vault.js');
    return openLocalVault(env, o.processEnv, o.now);
  }
  throw new PreconditionError(
    `Environment ${env.name} (azure) keeps its secrets in Azure Key Vault, which mac does not manage yet.`,
    'Meanwhile use: az keyvault secret set --vault-name <vault> --name <name> --file <file>',
  );
}
