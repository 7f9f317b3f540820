// Starts the platform in this process for `mac dev` and `mac eval`: the environment's shop data (or the demo
// shop), mock integrations, state under .mac/<env>/dev.
import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { demoShopDir } from '../paths.js';
import type { WebhookSecrets } from '../agents/gateway/webhook-auth.js';
import type { RunningPlatform } from '../agents/runtime/platform.js';
import type { ResolvedEnvironment } from '../config/load.js';


/** webhooks: check webhook signatures with the local environment's secrets (mac dev); otherwise webhooks are refused. */
export async function startDevPlatform(o: {
  deps: Deps;
  data?: string;
  kb?: string;
  port: number;
  webhooks?: boolean;
  quiet?: boolean;
  now?: () => Date;
}): Promise<RunningPlatform> {
  const env = await o.deps.environment();
  const shop = env.config.shop;
  const dataDir = path.resolve(o.deps.cwd, o.data ?? shop.data ?? demoShopDir);
  const kbDir = o.kb ? path.resolve(o.deps.cwd, o.kb) : shop.kb ? path.resolve(env.projectDir, shop.kb) : undefined;
  await mustBeDir(dataDir, '--data');
  if (kbDir) await mustBeDir(kbDir, '--kb');
  const [{ startPlatform }, { masterKey, deriveKey }] = await Promise.all([import('../agents/runtime/platform.js'), import('../secrets/key.js')]);
  return startPlatform({
    webhookSecrets: o.webhooks ? await webhookSecrets(env, o.deps) : {},
    vaultKey: deriveKey(await masterKey(env.projectDir, o.deps.env), 'pii-vault'),
    dataDir,
    kbDir,
    stateDir: path.join(env.stateDir, 'dev'),
    port: o.port,
    policy: shop.policy,
    integrations: { mode: 'mock' },
    now: o.now,
    log: o.quiet ? undefined : (line) => o.deps.io.info(line),
  });
}

/** A local environment's webhook signing secrets, from its vault (the ones `mac deploy` gives the platform). */
async function webhookSecrets(env: ResolvedEnvironment, deps: Deps): Promise<WebhookSecrets> {
  if (env.config.target !== 'local') return {};
  const [{ openSecretStore }, { webhookSecretsFrom }] = await Promise.all([import('../secrets/open.js'), import('../agents/gateway/webhook-auth.js')]);
  const store = await openSecretStore(env, { processEnv: deps.env });
  return webhookSecretsFrom((name) => store.get(name));
}

async function mustBeDir(dir: string, flag: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (!s?.isDirectory()) throw new UsageError(`${flag}: ${dir} is not a directory.`, 'Point it at a shop data folder (see "Shop data folder" in the README).');
}
