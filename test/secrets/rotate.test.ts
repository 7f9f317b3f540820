// mac secrets rotate on the local target, through the real program: the real platform is deployed (dist/ must be
// built: npm test builds first), a secret rotated, the platform restarted and smoke-tested — or rolled back.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalVault } from '../../src/secrets/local-vault.js';
import { runCli, tempDir, type CliRun } from '../helpers/cli.js';

const KEY = randomBytes(32).toString('base64');
const GOOD = 'shpat_0123456789abcdef0123456789abcdef';
const BAD = 'shpat_not-a-real-token';
const SLOW = 120_000;

describe('mac secrets rotate', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-rotate-'));
    await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  local:\n    target: local\n    port: 0\n');
  });
  afterEach(async () => {
    // Never leave a platform process behind, whatever the test did.
    const run = await mac(['destroy', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    await cleanup();
  }, SLOW);

  const mac = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
    runCli(args, { cwd: dir, env: { MAC_VAULT_KEY: KEY, CI: '1', NO_COLOR: '1', ...env } });
  const vault = () => openLocalVault({ stateDir: path.join(dir, '.mac', 'local'), projectDir: dir }, { MAC_VAULT_KEY: KEY });
  const ok = async (args: string[], env?: NodeJS.ProcessEnv) => {
    const run = await mac(args, env);
    expect(run.code, `mac ${args.join(' ')}\n${run.stderr}`).toBe(0);
    return run;
  };
  const platformPid = async (): Promise<number | undefined> => {
    const doc = JSON.parse((await ok(['status', '--json'])).stdout) as { processes: { name: string; pid?: number }[] };
    return doc.processes.find((p) => p.name === 'platform')?.pid;
  };

  /** Every file under .mac/ as bytes, to look for a value in plain text (or base64/hex of it). */
  async function macFiles(): Promise<Buffer> {
    const root = path.join(dir, '.mac');
    const files = (await readdir(root, { recursive: true })).map((f) => path.join(root, f));
    const contents = await Promise.all(files.map(async (f) => ((await stat(f)).isFile() ? readFile(f) : Buffer.alloc(0))));
    return Buffer.concat(contents);
  }
  const encodings = (v: string) => [v, Buffer.from(v).toString('base64'), Buffer.from(v).toString('hex')];

  it(
    'rotate NAME --generate: new version, the platform restarted, smoke green; the value is nowhere in output or files',
    async () => {
      await ok(['deploy']);
      const set = await ok(['secrets', 'set', 'shopify-api-token', '--from-env', 'X'], { X: GOOD });
      // Set while deployed: the running platform keeps its value; the way to apply the new one is named.
      expect(set.stderr).toMatch(/local has a release deployed: its running agents keep the value they started with\. .*mac secrets rotate shopify-api-token --from-env VAR -e local/);
      const [before] = await vault().then((v) => v.versions('shopify-api-token'));
      const pid = await platformPid();
      expect(pid).toBeGreaterThan(0);

      const run = await ok(['secrets', 'rotate', 'shopify-api-token', '--generate']);
      const versions = await (await vault()).versions('shopify-api-token');
      expect(versions).toHaveLength(2);
      const current = versions[1]!;
      expect(current.tags).toMatchObject({ rotated: 'true', previousVersion: before!.version, source: 'generated' });
      expect(run.stdout).toBe(`rotated shopify-api-token: version ${before!.version} → ${current.version}, smoke test passed\n`);
      expect(run.stderr).toMatch(/✓ validate shopify-api-token/);
      expect(run.stderr).toMatch(/✓ store a new version of shopify-api-token/);
      expect(run.stderr).toMatch(/✓ restart the consumers of shopify-api-token \(knowledge-retrieval, intent-classifier\)/);
      expect(run.stderr).toMatch(/✓ wait for \/ready/);
      expect(run.stderr).toMatch(/✓ smoke test — health ✓, greeting ✓, order-status ✓/);

      const newPid = await platformPid();
      expect(newPid).toBeGreaterThan(0);
      expect(newPid).not.toBe(pid);
      await ok(['smoke']);

      const value = (await (await vault()).get('shopify-api-token'))!;
      expect(value).toMatch(/^shpat_[0-9a-f]{32}$/);
      expect(value).not.toBe(GOOD);
      const bytes = await macFiles();
      for (const needle of [...encodings(value), ...encodings(GOOD)]) {
        expect(run.stdout + run.stderr).not.toContain(needle);
        expect(bytes.includes(needle), `a file under .mac/ holds ${needle.slice(0, 8)}…`).toBe(false);
      }
    },
    SLOW,
  );

  it(
    'a value the platform rejects is rolled back: exit 1 naming the failing check, the previous value back as a NEW version, the platform healthy',
    async () => {
      await ok(['deploy']);
      await ok(['secrets', 'set', 'shopify-api-token', '--from-env', 'X'], { X: GOOD });
      const before = await (await vault()).versions('shopify-api-token');

      const run = await mac(['secrets', 'rotate', 'shopify-api-token', '--from-env', 'BAD', '--json'], { BAD });
      expect(run.code, run.stderr).toBe(1);
      // The validator only warns about this token, so it is stored and tried.
      expect(run.stderr).toMatch(/warning: The Shopify token does not look like an Admin API access token/);
      // The failing check is named: the platform refuses to start on the rejected token (HTTP 401 from Shopify), or
      // starts and fails the order-status smoke check.
      expect(run.stderr).toMatch(/error: Rotating shopify-api-token failed: (restart: .*401|smoke check "order-status" failed)/);
      expect(run.stderr).toMatch(/The previous value is back \(version [0-9a-f]{32}\) and the platform is healthy with it\./);
      expect(run.stderr).toMatch(/✓ roll back shopify-api-token/);
      expect(run.stderr).toMatch(/✓ roll back: smoke test — health ✓, greeting ✓, order-status ✓/);
      expect(run.stdout + run.stderr).not.toContain(BAD);
      expect(run.stdout + run.stderr).not.toContain(GOOD);

      const after = await (await vault()).versions('shopify-api-token');
      expect(after).toHaveLength(before.length + 2);
      const [bad, restored] = after.slice(-2);
      expect(restored!.tags).toMatchObject({ 'restored-from': before.at(-1)!.version, replaced: bad!.version });
      expect(await (await vault()).get('shopify-api-token')).toBe(GOOD);

      // One JSON document on stdout, saying what happened.
      const doc = JSON.parse(run.stdout);
      expect(doc).toMatchObject({
        environment: 'local',
        rotations: [{ name: 'shopify-api-token', from: before.at(-1)!.version, to: bad!.version, outcome: 'rolled-back', restored: restored!.version }],
      });
      expect(doc.rotations[0].smoke.ok).toBe(true);

      await ok(['smoke']);
      const bytes = await macFiles();
      for (const needle of [...encodings(BAD), ...encodings(GOOD)]) expect(bytes.includes(needle)).toBe(false);
    },
    SLOW,
  );

  it(
    'not deployed: the new version is stored and takes effect at the next mac deploy',
    async () => {
      await ok(['secrets', 'set', 'zendesk-api-token', '--from-env', 'Z'], { Z: 'a'.repeat(40) });
      const run = await ok(['secrets', 'rotate', 'zendesk-api-token', '--generate']);
      expect(run.stdout).toMatch(/^stored zendesk-api-token version [0-9a-f]{32} \(was [0-9a-f]{32}\); it takes effect at the next mac deploy -e local\n$/);
      expect(run.stderr).toMatch(/takes effect at the next mac deploy/);
      expect(run.stderr).toMatch(/- restart the consumers of zendesk-api-token — the platform is not running/);
      const versions = await (await vault()).versions('zendesk-api-token');
      expect(versions).toHaveLength(2);
      expect(await (await vault()).get('zendesk-api-token')).not.toBe('a'.repeat(40));

      // A webhook signing secret is Zendesk's to issue: --all leaves it as it is, and says so.
      const signing = randomBytes(32).toString('base64');
      await ok(['secrets', 'set', 'zendesk-webhook-secret', '--from-env', 'W'], { W: signing });
      const json = await ok(['secrets', 'rotate', '--all', '--generate', '--json']);
      expect(JSON.parse(json.stdout)).toEqual({
        environment: 'local',
        rotations: [{ name: 'zendesk-api-token', from: versions[1]!.version, to: expect.stringMatching(/^[0-9a-f]{32}$/), outcome: 'stored-not-running' }],
      });
      expect(json.stderr).toMatch(/not rotated: zendesk-webhook-secret \(Zendesk issues it\)/);
      expect(await (await vault()).get('zendesk-webhook-secret')).toBe(signing);
    },
    SLOW,
  );

  it('--all with nothing set: nothing to rotate (exit 0)', async () => {
    const run = await ok(['secrets', 'rotate', '--all', '--generate']);
    expect(run.stdout).toBe('Nothing to rotate: no known secret that mac can generate is set in local.\n');
    const json = await ok(['secrets', 'rotate', '--all', '--generate', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ environment: 'local', rotations: [] });
  });

  it('usage errors (exit 2) before anything is written', async () => {
    await ok(['secrets', 'set', 'shopify-api-token', '--from-env', 'X'], { X: GOOD });
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['shopify-api-token', '--all', '--generate'], {}, /Give a secret NAME or --all, not both/],
      [['--generate'], {}, /Which secret\? Give a NAME, or --all/],
      [['shopify-api-token'], {}, /No new value: give --generate or --from-env VAR/],
      [['shopify-api-token', '--generate', '--from-env', 'X'], { X: GOOD }, /--generate and --from-env are alternatives/],
      [['--all', '--from-env', 'X'], { X: GOOD }, /--from-env reads one value, so it rotates one secret/],
      [['shopify-api-token', '--from-env', 'NOPE'], {}, /--from-env NOPE: the environment variable NOPE is not set/],
      [['shopify-api-token', '--from-env', 'EMPTY'], { EMPTY: '' }, /the environment variable EMPTY is empty/],
      [['my-own-secret', '--generate'], {}, /my-own-secret is not a known secret, so mac cannot generate a value/],
      [['shopify-webhook-secret', '--generate'], {}, /shopify-webhook-secret is the key Shopify signs its webhooks with: a generated value would refuse every webhook/],
      [['zendesk-api-token', '--generate'], {}, /zendesk-api-token is not set in local: there is no current value to rotate/],
      [['shopify-api-token', '--from-env', 'WS'], { WS: 'shpat_0123 456' }, /Not rotated: The Shopify token contains whitespace.*Nothing was written/],
    ];
    for (const [args, env, message] of cases) {
      const run = await mac(['secrets', 'rotate', ...args], env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
    }
    expect(await (await vault()).versions('shopify-api-token')).toHaveLength(1);
    expect(await (await vault()).get('shopify-api-token')).toBe(GOOD);
  });

  it('a held deploy lock refuses the rotation (exit 4) without writing', async () => {
    await ok(['secrets', 'set', 'shopify-api-token', '--from-env', 'X'], { X: GOOD });
    const state = path.join(dir, '.mac', 'local');
    await mkdir(state, { recursive: true });
    const owner = { pid: process.pid, host: os.hostname(), nonce: 'abc123', createdAt: new Date().toISOString(), purpose: 'mac deploy' };
    await writeFile(path.join(state, 'deploy.lock'), `${JSON.stringify(owner)}\n`);
    const run = await mac(['secrets', 'rotate', 'shopify-api-token', '--generate']);
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/deploy\.lock is held by process \d+ .*\(mac deploy\)/);
    expect(await (await vault()).versions('shopify-api-token')).toHaveLength(1);
    await rm(path.join(state, 'deploy.lock'));
  });

  it('help has examples', async () => {
    // Commander prints help to the process's stdout: run the built binary, as an operator does.
    const bin = path.resolve(import.meta.dirname, '../../bin/mac.js');
    const run = await promisify(execFile)(process.execPath, [bin, 'secrets', 'rotate', '--help'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    expect(run.stdout).toMatch(/Examples?:\n\s+\$ mac secrets rotate /);
    expect(run.stdout).toMatch(/Nothing to rotate/);
  });
});
