// Starts the platform in this process for `mac dev` and `mac eval`: the environment's shop data (or the demo
// shop), mock integrations, state under .mac/<env>/dev.
import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { demoShopDir } from '../paths.js';
import type { RunningPlatform } from '../agents/runtime/platform.js';


export async function startDevPlatform(o: { deps: Deps; data?: string; kb?: string; port: number; quiet?: boolean; now?: () => Date }): Promise<RunningPlatform> {
  const env = await o.deps.environment();
  const shop = env.config.shop;
  const dataDir = path.resolve(o.deps.cwd, o.data ?? shop.data ?? demoShopDir);
  const kbDir = o.kb ? path.resolve(o.deps.cwd, o.kb) : shop.kb ? path.resolve(env.projectDir, shop.kb) : undefined;
  await mustBeDir(dataDir, '--data');
  if (kbDir) await mustBeDir(kbDir, '--kb');
  const [{ startPlatform }, { masterKey, deriveKey }] = await Promise.all([import('../agents/runtime/platform.js'), import('../secrets/key.js')]);
  return startPlatform({
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

async function mustBeDir(dir: string, flag: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (!s?.isDirectory()) throw new UsageError(`${flag}: ${dir} is not a directory.`, 'Point it at a shop data folder (see "Shop data folder" in the README).');
}
