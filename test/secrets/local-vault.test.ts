import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { LocalVault, openLocalVault } from '../../src/secrets/local-vault.js';
import { LockHeldError } from '../../src/secrets/lock.js';
import { newVersionId } from '../../src/secrets/store.js';
import { tempDir } from '../helpers/cli.js';

const root = path.resolve(import.meta.dirname, '../..');

const SECRET = 'zd-Secret-Value-0123456789-abcdefghijklmnop';

function vaultAt(dir: string, key: Buffer, o: Partial<ConstructorParameters<typeof LocalVault>[0]> = {}) {
  return new LocalVault({ file: path.join(dir, '.mac', 'local', 'vault'), key, ...o });
}

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** The pid of a process that has exited (so it is certainly not alive now). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid as number;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}

describe('LocalVault', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const key = randomBytes(32);
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-vault-')));
  afterEach(() => cleanup());

  it('every set is a new version; get reads the current one or any version; ids sort in write order', async () => {
    let t = Date.parse('2025-01-01T00:00:00Z');
    const vault = vaultAt(dir, key, { now: () => new Date(t) });
    const v1 = await vault.set('zendesk-api-token', 'first', { tags: { source: 'test' } });
    t += 86_400_000;
    const v2 = await vault.set('zendesk-api-token', 'second');
    expect(v1.version).toMatch(/^[0-9a-f]{32}$/);
    expect(v2.version > v1.version).toBe(true);
    expect(v1.createdAt.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(await vault.get('zendesk-api-token')).toBe('second');
    expect(await vault.get('zendesk-api-token', v1.version)).toBe('first');
    expect(await vault.get('zendesk-api-token', 'f'.repeat(32))).toBeUndefined();
    expect(await vault.get('shopify-api-token')).toBeUndefined();
    const versions = await vault.versions('zendesk-api-token');
    expect(versions.map((v) => v.version)).toEqual([v1.version, v2.version]);
    expect(versions[0]?.tags).toEqual({ source: 'test' });
    expect(await vault.versions('nothing-here')).toEqual([]);
  });

  it('list gives names, current version, times, counts and tags — never values', async () => {
    let t = Date.parse('2025-03-01T00:00:00Z');
    const vault = vaultAt(dir, key, { now: () => new Date(t) });
    await vault.set('zendesk-api-token', 'value-one');
    t += 3_600_000;
    const current = await vault.set('zendesk-api-token', 'value-two', { tags: { source: 'env:X' } });
    await vault.set('google-analytics-credentials', '{"client_email":"a@b"}', { contentType: 'application/json' });
    const list = await vault.list();
    expect(list.map((s) => s.name)).toEqual(['google-analytics-credentials', 'zendesk-api-token']);
    expect(list[1]).toEqual({
      name: 'zendesk-api-token',
      currentVersion: current.version,
      createdAt: new Date('2025-03-01T00:00:00Z'),
      updatedAt: new Date('2025-03-01T01:00:00Z'),
      versionCount: 2,
      tags: { source: 'env:X' },
    });
    expect(list[0]?.contentType).toBe('application/json');
    const text = JSON.stringify(list);
    for (const v of ['value-one', 'value-two', 'client_email']) expect(text).not.toContain(v);
  });

  it('rollback writes the previous value as a NEW version, and can restore a chosen one', async () => {
    const vault = vaultAt(dir, key);
    const a = await vault.set('shopify-api-token', 'A');
    const b = await vault.set('shopify-api-token', 'B');
    const r = await vault.rollback('shopify-api-token');
    expect(r.version > b.version).toBe(true);
    expect(r.tags).toMatchObject({ 'restored-from': a.version, replaced: b.version });
    expect(await vault.get('shopify-api-token')).toBe('A');
    expect((await vault.versions('shopify-api-token')).length).toBe(3);
    // History is kept: rolling back again returns to B (the version before the restore), as a 4th version.
    await vault.rollback('shopify-api-token');
    expect(await vault.get('shopify-api-token')).toBe('B');
    await vault.rollback('shopify-api-token', { to: a.version });
    expect(await vault.get('shopify-api-token')).toBe('A');
    expect((await vault.versions('shopify-api-token')).length).toBe(5);
  });

  it('rollback with nothing earlier, or of an unknown secret, is a clear error', async () => {
    const vault = vaultAt(dir, key);
    await vault.set('mailchimp-api-key', 'only');
    expect((await caught(vault.rollback('mailchimp-api-key'))).message).toMatch(/single version: there is no earlier value/);
    expect((await caught(vault.rollback('mailchimp-api-key', { to: '0'.repeat(32) }))).message).toMatch(/has no version/);
    expect((await caught(vault.rollback('zendesk-api-token'))).message).toMatch(/No secret named zendesk-api-token/);
    expect((await vault.versions('mailchimp-api-key')).length).toBe(1);
  });

  it('refuses names outside Key Vault\'s rule and values above its size limit', async () => {
    const vault = vaultAt(dir, key);
    for (const bad of ['x', 'Upper-Case', '1-starts-with-digit', 'has_underscore', 'a'.repeat(128)]) {
      expect(await caught(vault.set(bad, 'v'))).toBeInstanceOf(UserError);
    }
    expect((await caught(vault.set('big-one', 'x'.repeat(25 * 1024 + 1)))).message).toMatch(/at most 25600/);
  });

  it('the vault file is 0600 and holds neither the value nor its base64 or hex', async () => {
    const vault = vaultAt(dir, key);
    await vault.set('zendesk-api-token', SECRET);
    await vault.set('zendesk-api-token', `${SECRET}-2`);
    const file = vault.location;
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o077).toBe(0);
    const bytes = await readFile(file);
    const plain = Buffer.from(SECRET, 'utf8');
    for (const needle of [plain, Buffer.from(plain.toString('base64')), Buffer.from(plain.toString('base64url')), Buffer.from(plain.toString('hex')), Buffer.from(plain.toString('hex').toUpperCase()), Buffer.from(SECRET.slice(0, 12))]) {
      expect(bytes.includes(needle), needle.toString()).toBe(false);
    }
    const doc = JSON.parse(bytes.toString('utf8'));
    expect(doc).toMatchObject({ version: 1, kdf: 'hkdf-sha256', cipher: 'aes-256-gcm' });
    const [v1, v2] = doc.entries['zendesk-api-token'].versions;
    expect(Buffer.from(v1.iv, 'base64')).toHaveLength(12);
    expect(v1.iv).not.toBe(v2.iv);
    // No temp or lock files left behind.
    expect((await readdir(path.dirname(file))).sort()).toEqual(['vault']);
  });

  it('a modified ciphertext fails authentication with a clear error that does not show the value', async () => {
    const vault = vaultAt(dir, key);
    await vault.set('zendesk-api-token', SECRET);
    const doc = JSON.parse(await readFile(vault.location, 'utf8'));
    const entry = doc.entries['zendesk-api-token'].versions[0];
    const ct = Buffer.from(entry.ciphertext, 'base64');
    ct[0] = (ct[0] as number) ^ 0x01;
    entry.ciphertext = ct.toString('base64');
    await writeFile(vault.location, JSON.stringify(doc));
    const err = await caught(vault.get('zendesk-api-token'));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/cannot decrypt zendesk-api-token .*authentication failed/);
    expect(err.message).not.toContain(SECRET);
  });

  it('entries cannot be swapped between names or versions: the name and version id are authenticated', async () => {
    const vault = vaultAt(dir, key);
    await vault.set('shopify-api-token', 'shopify-value');
    await vault.set('zendesk-api-token', 'zendesk-value');
    await vault.set('zendesk-api-token', 'zendesk-value-2');
    const original = await readFile(vault.location, 'utf8');
    const swapCrypto = (x: Record<string, string>, y: Record<string, string>) => {
      for (const k of ['iv', 'tag', 'ciphertext']) [x[k], y[k]] = [y[k] as string, x[k] as string];
    };

    const across = JSON.parse(original);
    swapCrypto(across.entries['shopify-api-token'].versions[0], across.entries['zendesk-api-token'].versions[1]);
    await writeFile(vault.location, JSON.stringify(across));
    expect((await caught(vault.get('shopify-api-token'))).message).toMatch(/authentication failed/);
    expect((await caught(vault.get('zendesk-api-token'))).message).toMatch(/authentication failed/);

    const within = JSON.parse(original);
    swapCrypto(within.entries['zendesk-api-token'].versions[0], within.entries['zendesk-api-token'].versions[1]);
    await writeFile(vault.location, JSON.stringify(within));
    expect((await caught(vault.get('zendesk-api-token'))).message).toMatch(/authentication failed/);

    // Renaming a whole entry is caught too.
    const renamed = JSON.parse(original);
    renamed.entries['mailchimp-api-key'] = renamed.entries['shopify-api-token'];
    await writeFile(vault.location, JSON.stringify(renamed));
    expect((await caught(vault.get('mailchimp-api-key'))).message).toMatch(/authentication failed/);
  });

  it('another key gives a clear error, never garbage, and the vault is not written with it', async () => {
    await vaultAt(dir, key).set('zendesk-api-token', SECRET);
    const before = await readFile(path.join(dir, '.mac', 'local', 'vault'), 'utf8');
    const other = vaultAt(dir, randomBytes(32), { keyHint: 'Set MAC_VAULT_KEY to the old key.' });
    const err = await caught(other.get('zendesk-api-token'));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^cannot decrypt .*vault: it was encrypted with a different key — was MAC_VAULT_KEY changed\?$/);
    expect((err as UserError).suggestion).toBe('Set MAC_VAULT_KEY to the old key.');
    expect((await caught(other.set('zendesk-api-token', 'new'))).message).toMatch(/cannot decrypt/);
    expect((await caught(other.rollback('zendesk-api-token'))).message).toMatch(/cannot decrypt/);
    expect(await other.check()).toMatchObject({ ok: false, problem: expect.stringMatching(/different key/) });
    expect(await readFile(path.join(dir, '.mac', 'local', 'vault'), 'utf8')).toBe(before);
    // Metadata stays readable, so the operator can see what to set again.
    expect((await other.list()).map((s) => s.name)).toEqual(['zendesk-api-token']);
  });

  it('an existing vault with no key anywhere is reported, and no new key is made for it', async () => {
    await vaultAt(dir, key).set('zendesk-api-token', SECRET);
    const asked: boolean[] = [];
    const keyless = vaultAt(dir, key, {
      key: async ({ create }) => {
        asked.push(create);
        return undefined;
      },
    });
    expect((await caught(keyless.get('zendesk-api-token'))).message).toMatch(/cannot decrypt .*no key found/);
    expect((await caught(keyless.set('zendesk-api-token', 'x'))).message).toMatch(/cannot decrypt .*no key found/);
    expect(asked.every((create) => create === false)).toBe(true);
  });

  it('openLocalVault: .mac/<env>/vault keyed by MAC_VAULT_KEY, or by a key file outside the project', async () => {
    const master = randomBytes(32);
    const env = { stateDir: path.join(dir, '.mac', 'dev'), projectDir: dir };
    const withEnvKey = await openLocalVault(env, { MAC_VAULT_KEY: master.toString('base64') });
    expect(withEnvKey.location).toBe(path.join(dir, '.mac', 'dev', 'vault'));
    await withEnvKey.set('zendesk-api-token', SECRET);
    expect(await (await openLocalVault(env, { MAC_VAULT_KEY: master.toString('hex') })).get('zendesk-api-token')).toBe(SECRET);
    const changed = await openLocalVault(env, { MAC_VAULT_KEY: randomBytes(32).toString('base64') });
    const err = (await caught(changed.get('zendesk-api-token'))) as UserError;
    expect(err.message).toMatch(/was MAC_VAULT_KEY changed\?/);
    expect(err.suggestion).toMatch(/MAC_VAULT_KEY is set/);

    // No MAC_VAULT_KEY: the first write creates the key file under XDG_CONFIG_HOME; reads use it.
    const config = path.join(dir, 'xdg');
    const env2 = { stateDir: path.join(dir, '.mac', 'other'), projectDir: dir };
    await (await openLocalVault(env2, { XDG_CONFIG_HOME: config })).set('shopify-api-token', 'tok');
    expect(await (await openLocalVault(env2, { XDG_CONFIG_HOME: config })).get('shopify-api-token')).toBe('tok');
    // With the key file gone, reading does not silently make a new key.
    const elsewhere = path.join(dir, 'xdg-empty');
    const lost = (await caught((await openLocalVault(env2, { XDG_CONFIG_HOME: elsewhere })).get('shopify-api-token'))) as UserError;
    expect(lost.message).toMatch(/no key found/);
    expect(lost.suggestion).toMatch(/key file/);
    await expect(stat(elsewhere)).rejects.toThrow();
  });

  it('concurrent writers through the lock lose no version (same process, separate vault objects)', async () => {
    const n = 25;
    await Promise.all(Array.from({ length: n }, (_, i) => vaultAt(dir, key).set('shared-secret', `value-${i}`)));
    const vault = vaultAt(dir, key);
    const versions = await vault.versions('shared-secret');
    expect(versions).toHaveLength(n);
    expect(new Set(versions.map((v) => v.version)).size).toBe(n);
    const values = await Promise.all(versions.map((v) => vault.get('shared-secret', v.version)));
    expect(new Set(values)).toEqual(new Set(Array.from({ length: n }, (_, i) => `value-${i}`)));
  });

  it('processes writing at once lose no version', async () => {
    const file = path.join(dir, '.mac', 'local', 'vault');
    const go = path.join(dir, 'go');
    const script = path.join(root, 'test/secrets/fixtures/vault-writer.ts');
    const viteNode = path.join(root, 'node_modules/vite-node/vite-node.mjs');
    const count = 15;
    const writers = ['a', 'b', 'c'].map((w) => {
      const child = spawn(process.execPath, [viteNode, script, file, key.toString('base64'), w, String(count), go], { cwd: root });
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const ready = new Promise<void>((resolve) =>
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready')) resolve();
        }),
      );
      const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
      return { ready, exited };
    });
    // All writers are up and waiting; release them together so their writes contend for the lock.
    await Promise.all(writers.map((w) => w.ready));
    await writeFile(go, '');
    const results = await Promise.all(writers.map((w) => w.exited));
    for (const r of results) expect(r.code, r.err).toBe(0);
    expect(results.map((r) => r.out.trim().split('\n').at(-1))).toEqual(['done a', 'done b', 'done c']);
    const vault = vaultAt(dir, key);
    const versions = await vault.versions('shared-secret');
    expect(versions).toHaveLength(3 * count);
    const values = new Set(await Promise.all(versions.map((v) => vault.get('shared-secret', v.version))));
    for (const w of ['a', 'b', 'c']) for (let i = 0; i < count; i++) expect(values.has(`value-${w}-${i}`)).toBe(true);
    // Ids are unique and in write order.
    const ids = versions.map((v) => v.version);
    expect([...ids].sort()).toEqual(ids);
  }, 60_000);

  it('takes over a lock left by a dead process', async () => {
    const vault = vaultAt(dir, key);
    await vault.set('zendesk-api-token', 'before');
    const pid = await deadPid();
    const lock = `${vault.location}.lock`;
    await writeFile(lock, JSON.stringify({ pid, host: (await import('node:os')).hostname(), nonce: 'deadbeef', createdAt: '2025-01-01T00:00:00Z' }));
    await vault.set('zendesk-api-token', 'after');
    expect(await vault.get('zendesk-api-token')).toBe('after');
    expect((await readdir(path.dirname(vault.location))).sort()).toEqual(['vault']);
  });

  it('waits for a live lock holder and, past the timeout, names it (exit 4) without writing', async () => {
    const vault = vaultAt(dir, key, { lockTimeoutMs: 50 });
    await vault.set('zendesk-api-token', 'before');
    const lock = `${vault.location}.lock`;
    const os = await import('node:os');
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), nonce: 'someone-else', createdAt: '2025-01-01T00:00:00Z', purpose: 'secrets vault write' }));
    const err = await caught(vault.set('zendesk-api-token', 'blocked'));
    expect(err).toBeInstanceOf(LockHeldError);
    expect((err as LockHeldError).exitCode).toBe(4);
    expect(err.message).toContain(`held by process ${process.pid}`);
    expect(await vault.get('zendesk-api-token')).toBe('before');
    // The live lock is left alone.
    expect(JSON.parse(await readFile(lock, 'utf8')).nonce).toBe('someone-else');
  });
});

describe('newVersionId', () => {
  it('is 32 hex characters, increasing within a millisecond and when the clock steps back', () => {
    const t = new Date('2025-06-01T12:00:00Z');
    const a = newVersionId(t);
    const b = newVersionId(t, a);
    const c = newVersionId(new Date(t.getTime() - 60_000), b);
    const d = newVersionId(new Date(t.getTime() + 1), c);
    for (const id of [a, b, c, d]) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect([a, b, c, d]).toEqual([a, b, c, d].slice().sort());
    expect(new Set([a, b, c, d]).size).toBe(4);
  });
});
