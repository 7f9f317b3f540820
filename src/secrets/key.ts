// The project's master key: MAC_VAULT_KEY (base64 or hex, 32 bytes) or a key file created 0600 outside the
// project directory (~/.config/mac/keys/), so a copied or committed project never carries its own key.
// Purpose-specific keys (PII token vault, secrets vault) are derived from it with HKDF.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';

export function keyFilePath(projectDir: string, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  const id = createHash('sha256').update(path.resolve(projectDir)).digest('hex').slice(0, 16);
  return path.join(base, 'mac', 'keys', `${id}.key`);
}

export async function masterKey(projectDir: string, env: NodeJS.ProcessEnv): Promise<Buffer> {
  if (env.MAC_VAULT_KEY) return parseKey(env.MAC_VAULT_KEY);
  const file = keyFilePath(projectDir, env);
  try {
    return parseKey((await readFile(file, 'utf8')).trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err; // another process created it first: use theirs
  });
  await chmod(file, 0o600);
  return parseKey((await readFile(file, 'utf8')).trim());
}

/**
 * The master key if one exists (MAC_VAULT_KEY, or the key file), without creating one: for reading a vault that
 * already exists, where a freshly made key could only fail to decrypt it.
 */
export async function findMasterKey(projectDir: string, env: NodeJS.ProcessEnv): Promise<Buffer | undefined> {
  if (env.MAC_VAULT_KEY) return parseKey(env.MAC_VAULT_KEY);
  try {
    return parseKey((await readFile(keyFilePath(projectDir, env), 'utf8')).trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function deriveKey(master: Buffer, purpose: 'pii-vault' | 'secrets-vault'): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `mac/${purpose}`, 32));
}

function parseKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new UsageError('MAC_VAULT_KEY (or the key file) must hold 32 bytes, base64 or hex.', 'Generate one with: openssl rand -base64 32');
  return key;
}
