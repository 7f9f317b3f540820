// Which target runs an environment: the local target for `target: local`, the azure target for `target: azure`.
import type { ResolvedEnvironment } from '../config/load.js';
import type { Runner } from '../exec.js';
import type { AzureTuning } from './azure/target.js';
import type { Target } from './target.js';

export interface OpenTargetOptions {
  now?: () => Date;
  /** The process boundary: the azure target runs terraform and git through it (default: execa). */
  runner?: Runner;
  /** How the azure target talks to Azure (poll interval, retries); defaults suit Azure, tests make them fast. */
  azure?: AzureTuning;
}

export async function openTarget(env: ResolvedEnvironment, processEnv: NodeJS.ProcessEnv, o: OpenTargetOptions = {}): Promise<Target> {
  if (env.config.target === 'local') {
    const { openLocalTarget } = await import('./local/target.js');
    return openLocalTarget(env, processEnv, o.now);
  }
  const { openAzureTarget } = await import('./azure/target.js');
  return openAzureTarget(env, processEnv, o);
}
