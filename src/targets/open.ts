// Which target runs an environment: the local target for `target: local`; the azure target once it exists.
import type { ResolvedEnvironment } from '../config/load.js';
import { PreconditionError } from '../errors.js';
import type { Target } from './target.js';

export async function openTarget(env: ResolvedEnvironment, processEnv: NodeJS.ProcessEnv, now?: () => Date): Promise<Target> {
  if (env.config.target === 'local') {
    const { openLocalTarget } = await import('./local/target.js');
    return openLocalTarget(env, processEnv, now);
  }
  throw new PreconditionError(
    `Environment ${env.name} runs on Azure, which this version of mac cannot deploy to yet.`,
    'Rehearse on the local target meanwhile: mac deploy -e local',
  );
}
