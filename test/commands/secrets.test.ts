import { randomBytes } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretsCommand, type SecretsCommandIo } from '../../src/commands/secrets.js';
import { Deps } from '../../src/deps.js';
import { memoryIo } from '../../src/io.js';
import { deriveKey } from '../../src/secrets/key.js';
import { LocalVault } from '../../src/secrets/local-vault.js';
import { runCli, runCommand, tempDir } from '../helpers/cli.js';

const MASTER = randomBytes(32);
const KEY = MASTER.toString('base64');
const TOKEN = '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';
const T0 = new Date('2025-01-10T09:00:00Z');
const DAY = 86_400_000;

describe('mac secrets', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-secrets-')));
  afterEach(() => cleanup());

  const mac = (args: string[], o: { env?: NodeJS.ProcessEnv; now?: Date } = {}) =>
    runCli(args, { cwd: dir, env: { MAC_VAULT_KEY: KEY, NO_COLOR: '1', ...o.env }, now: o.now });
  const vault = (env = 'local') => new LocalVault({ file: path.join(dir, '.mac', env, 'vault'), key: deriveKey(MASTER, 'secrets-vault') });

  /** Every file under .mac/ as bytes, to grep for a value. */
  async function macFiles(): Promise<Buffer> {
    const root = path.join(dir, '.mac');
    const files = (await readdir(root, { recursive: true })).map((f) => path.join(root, f));
    const contents = await Promise.all(files.map(async (f) => ((await stat(f)).isFile() ? readFile(f) : Buffer.alloc(0))));
    return Buffer.concat(contents);
  }

  it('set --from-env stores a new version in .mac/local/vault (0600) and prints its id', async () => {
    const run = await mac(['secrets', 'set', 'shopify-api-token', '--from-env', 'SHOP_TOKEN'], { env: { SHOP_TOKEN: TOKEN } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^set shopify-api-token version [0-9a-f]{32}\n$/);
    expect(run.stderr).toBe('');
    const file = path.join(dir, '.mac', 'local', 'vault');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await vault().get('shopify-api-token')).toBe(TOKEN);
    const bytes = await macFiles();
    for (const needle of [TOKEN, Buffer.from(TOKEN).toString('base64'), Buffer.from(TOKEN).toString('hex')]) expect(bytes.includes(needle)).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect((await vault().versions('shopify-api-token'))[0]?.tags).toEqual({ source: 'env:SHOP_TOKEN' });
  });

  it('set --json prints {name, version, createdAt}; a second set is a second version', async () => {
    const first = await mac(['secrets', 'set', 'zendesk-api-token', '--from-env', 'T', '--json'], { env: { T: 'z'.repeat(40) }, now: T0 });
    expect(first.code, first.stderr).toBe(0);
    const doc = JSON.parse(first.stdout);
    expect(Object.keys(doc)).toEqual(['name', 'version', 'createdAt']);
    expect(doc).toMatchObject({ name: 'zendesk-api-token', version: expect.stringMatching(/^[0-9a-f]{32}$/), createdAt: T0.toISOString() });
    const second = await mac(['secrets', 'set', 'zendesk-api-token', '--from-env', 'T', '--json'], { env: { T: 'y'.repeat(40) } });
    expect(JSON.parse(second.stdout).version > doc.version).toBe(true);
    expect((await vault().versions('zendesk-api-token')).map((v) => v.version)[0]).toBe(doc.version);
    expect(await vault().get('zendesk-api-token')).toBe('y'.repeat(40));
  });

  it('--from-env names the variable when it is unset or empty', async () => {
    const unset = await mac(['secrets', 'set', 'zendesk-api-token', '--from-env', 'NEW_ZENDESK_TOKEN']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/--from-env NEW_ZENDESK_TOKEN: the environment variable NEW_ZENDESK_TOKEN is not set/);
    const empty = await mac(['secrets', 'set', 'zendesk-api-token', '--from-env', 'NEW_ZENDESK_TOKEN'], { env: { NEW_ZENDESK_TOKEN: '' } });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/NEW_ZENDESK_TOKEN is empty/);
    expect(await vault().list()).toEqual([]);
  });

  it('--from-file drops the trailing newline, keeps JSON intact, and names a missing file', async () => {
    const ga = JSON.stringify({ type: 'service_account', client_email: 'mac@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n' }, null, 2);
    await writeFile(path.join(dir, 'ga.json'), `${ga}\n`);
    await writeFile(path.join(dir, 'token.txt'), 'abc123abc123abc123abc123abc123abc123abc1\r\n');
    const set = await mac(['secrets', 'set', 'google-analytics-credentials', '--from-file', 'ga.json']);
    expect(set.code, set.stderr).toBe(0);
    expect(await vault().get('google-analytics-credentials')).toBe(ga);
    expect((await vault().list())[0]?.contentType).toBe('application/json');
    expect((await mac(['secrets', 'set', 'zendesk-api-token', '--from-file', 'token.txt'])).code).toBe(0);
    expect(await vault().get('zendesk-api-token')).toBe('abc123abc123abc123abc123abc123abc123abc1');

    const missing = await mac(['secrets', 'set', 'zendesk-api-token', '--from-file', 'no-such-token.txt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--from-file no-such-token\.txt: no such file/);
  });

  it('an invalid value is refused (exit 2) without storing or echoing it', async () => {
    await writeFile(path.join(dir, 'ga.json'), '{"client_email": "sneaky-value-123"');
    const run = await mac(['secrets', 'set', 'google-analytics-credentials', '--from-file', 'ga.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Not stored: The Google Analytics credentials are not valid JSON/);
    expect(run.stderr).not.toContain('sneaky-value-123');
    expect(await vault().list()).toEqual([]);
  });

  it('without a TTY and without --from-env/--from-file, refuses (exit 2) naming both flags', async () => {
    const run = await mac(['secrets', 'set', 'zendesk-api-token']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/prompts are off/);
    expect(run.stderr).toMatch(/--from-env/);
    expect(run.stderr).toMatch(/--from-file/);
  });

  it('never takes the value as an argument', async () => {
    const run = await mac(['secrets', 'set', 'zendesk-api-token', 'hunter2-the-value']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/takes one NAME.*never taken from the command line/);
    expect(run.stderr).not.toContain('hunter2-the-value');
    expect((await mac(['secrets', 'set', 'zendesk-api-token', '--value', 'x'])).code).toBe(2);
    const both = await mac(['secrets', 'set', 'zendesk-api-token', '--from-env', 'A', '--from-file', 'b']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/alternatives/);
    expect(await vault().list()).toEqual([]);
  });

  it('an unknown but valid name is stored with a warning; an invalid name is a usage error', async () => {
    const run = await mac(['secrets', 'set', 'webhook-signing-secret', '--from-env', 'W'], { env: { W: 'whsec' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: webhook-signing-secret is not a known secret/);
    const bad = await mac(['secrets', 'set', 'Bad_Name', '--from-env', 'W'], { env: { W: 'whsec' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Invalid secret name "Bad_Name"/);
  });

  it('list shows names, versions, current version and age — never values', async () => {
    await mac(['secrets', 'set', 'shopify-api-token', '--from-env', 'S'], { env: { S: TOKEN }, now: T0 });
    await mac(['secrets', 'set', 'shopify-api-token', '--from-env', 'S'], { env: { S: `${TOKEN}0` }, now: new Date(T0.getTime() + DAY) });
    const run = await mac(['secrets', 'list'], { now: new Date(T0.getTime() + 4 * DAY) });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^name\s+versions\s+current\s+age\s+status$/);
    expect(lines[1]).toMatch(/^shopify-api-token\s+2\s+[0-9a-f]{32}\s+3d\s+known$/);
    expect(run.stdout).not.toContain(TOKEN);

    const versions = await mac(['secrets', 'list', '--versions'], { now: new Date(T0.getTime() + 4 * DAY) });
    expect(versions.stdout).toMatch(/shopify-api-token\s+[0-9a-f]{32}\s+2025-01-10T09:00:00.000Z\s+4d\s+from env:S/);
    expect(versions.stdout).toMatch(/shopify-api-token\s+[0-9a-f]{32}\s+2025-01-11T09:00:00.000Z\s+3d\s+current, from env:S/);
  });

  it('list --json: one document with the store, each secret\'s status, and the required ones missing', async () => {
    await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  shop:\n    target: local\n    production: true\n');
    await mac(['-e', 'shop', 'secrets', 'set', 'shopify-api-token', '--from-env', 'S'], { env: { S: TOKEN }, now: T0 });
    await mac(['-e', 'shop', 'secrets', 'set', 'my-extra', '--from-env', 'S'], { env: { S: 'x' }, now: T0 });
    const run = await mac(['-e', 'shop', 'secrets', 'list', '--json', '--versions'], { now: new Date(T0.getTime() + 2 * DAY) });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ environment: 'shop', target: 'local', store: { kind: 'local-vault', location: path.join(dir, '.mac', 'shop', 'vault'), ok: true } });
    expect(doc.missing).toEqual(['google-analytics-credentials', 'mailchimp-api-key', 'shopify-webhook-secret', 'zendesk-api-token', 'zendesk-webhook-secret']);
    const byName = Object.fromEntries(doc.secrets.map((s: { name: string }) => [s.name, s]));
    expect(byName['shopify-api-token']).toMatchObject({ known: true, required: true, present: true, versionCount: 1, ageSeconds: 2 * 86_400, updatedAt: T0.toISOString() });
    expect(byName['shopify-api-token'].versions).toHaveLength(1);
    expect(byName['my-extra']).toMatchObject({ known: false, required: false, present: true });
    expect(byName['zendesk-api-token']).toMatchObject({ known: true, required: true, present: false, versionCount: 0 });
    expect(run.stdout).not.toContain(TOKEN);

    const table = await mac(['-e', 'shop', 'secrets', 'list']);
    expect(table.stdout).toMatch(/^zendesk-api-token\s+0\s+-\s+-\s+MISSING \(required\)$/m);
    expect(table.stdout).toMatch(/^shopify-api-token\s+1\s+[0-9a-f]{32}\s+\S+\s+required$/m);
    expect(table.stderr).toMatch(/5 required secrets missing for shop \(local\): google-analytics-credentials, mailchimp-api-key, shopify-webhook-secret, zendesk-api-token, zendesk-webhook-secret/);
  });

  it('an empty vault lists nothing, and the default local environment requires nothing', async () => {
    const run = await mac(['secrets', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^No secrets in .*\.mac\/local\/vault \(environment local, local\)\.$/m);
    expect(JSON.parse((await mac(['secrets', 'list', '--json'])).stdout)).toMatchObject({ secrets: [], missing: [] });
  });

  it('audit: stale against --max-age at the injected time; --fail-on-stale exits 1', async () => {
    await mac(['secrets', 'set', 'shopify-api-token', '--from-env', 'S'], { env: { S: TOKEN }, now: T0 });
    await mac(['secrets', 'set', 'zendesk-api-token', '--from-env', 'S'], { env: { S: 'z'.repeat(40) }, now: new Date(T0.getTime() + 80 * DAY) });
    const later = new Date(T0.getTime() + 100 * DAY);

    const report = await mac(['secrets', 'audit'], { now: later });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^shopify-api-token\s+2025-01-10\s+100d\s+STALE$/m);
    expect(report.stdout).toMatch(/^zendesk-api-token\s+\S+\s+20d\s+ok$/m);
    expect(report.stdout).toMatch(/1 of 2 secrets older than 90d: shopify-api-token/);

    const failing = await mac(['secrets', 'audit', '--fail-on-stale'], { now: later });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/Secrets audit failed: 1 stale \(shopify-api-token\)/);

    const json = await mac(['secrets', 'audit', '--fail-on-stale', '--json'], { now: later });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout); // exactly one document
    expect(doc).toMatchObject({ maxAge: '90d', stale: ['shopify-api-token'], missing: [], ok: false, checkedAt: later.toISOString() });
    expect(doc.secrets.find((s: { name: string }) => s.name === 'shopify-api-token')).toMatchObject({ stale: true, ageDays: 100 });

    expect((await mac(['secrets', 'audit', '--max-age', '15w', '--fail-on-stale'], { now: later })).code).toBe(0);
    const tight = await mac(['secrets', 'audit', '--max-age', '12h', '--fail-on-stale', '--json'], { now: later });
    expect(JSON.parse(tight.stdout).stale).toEqual(['shopify-api-token', 'zendesk-api-token']);
    const weekly = await mac(['secrets', 'audit', '--max-age', '2w'], { now: new Date(T0.getTime() + 81 * DAY) });
    expect(weekly.stdout).toMatch(/^zendesk-api-token\s+\S+\s+1d\s+ok$/m);
  });

  it('audit --fail-on-stale also fails when a required secret is missing; a bad --max-age is a usage error', async () => {
    await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  shop:\n    target: local\n    production: true\n');
    const run = await mac(['-e', 'shop', 'secrets', 'audit', '--fail-on-stale'], { now: T0 });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^shopify-api-token\s+-\s+-\s+MISSING \(required\)$/m);
    expect(run.stderr).toMatch(/6 required missing/);
    const bad = await mac(['secrets', 'audit', '--max-age', '3 months']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-age: expected a duration like 90d, 12h or 10m/);
  });

  it('a changed MAC_VAULT_KEY: set refuses with a clear error, list still shows names, audit fails', async () => {
    await mac(['secrets', 'set', 'shopify-api-token', '--from-env', 'S'], { env: { S: TOKEN } });
    const other = { MAC_VAULT_KEY: randomBytes(32).toString('base64'), S: 'new-value' };
    const set = await mac(['secrets', 'set', 'shopify-api-token', '--from-env', 'S'], { env: other });
    expect(set.code).toBe(1);
    expect(set.stderr).toMatch(/cannot decrypt .*vault: it was encrypted with a different key — was MAC_VAULT_KEY changed\?/);
    expect(set.stderr).toMatch(/hint: MAC_VAULT_KEY is set/);
    const list = await mac(['secrets', 'list'], { env: other });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/shopify-api-token/);
    expect(list.stderr).toMatch(/warning: cannot decrypt/);
    const audit = await mac(['secrets', 'audit', '--fail-on-stale'], { env: other });
    expect(audit.code).toBe(1);
    expect(await vault().get('shopify-api-token')).toBe(TOKEN);
  });

  it('an azure environment is refused (exit 4) until its Key Vault store exists', async () => {
    await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  prod:\n    target: azure\n    subscription: 00000000-0000-0000-0000-000000000000\n');
    const run = await mac(['-e', 'prod', 'secrets', 'set', 'shopify-api-token', '--from-env', 'S'], { env: { S: TOKEN } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/prod \(azure\) keeps its secrets in Azure Key Vault/);
  });
});

describe('mac secrets set from a terminal or a pipe', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-secrets-tty-')));
  afterEach(() => cleanup());

  /** The command under a root with the global flags, a TTY on stdin, and the hidden prompt replaced. */
  async function mac(args: string[], io: SecretsCommandIo) {
    const out = memoryIo({ stdinIsTTY: true });
    const deps = new Deps({ io: out, cwd: dir, env: { MAC_VAULT_KEY: MASTER.toString('base64') } });
    return runCommand(deps, secretsCommand(deps, io), args);
  }
  const vault = () => new LocalVault({ file: path.join(dir, '.mac', 'local', 'vault'), key: deriveKey(MASTER, 'secrets-vault') });

  it('reads the value from a hidden prompt when stdin is a terminal', async () => {
    const asked: string[] = [];
    const run = await mac(['secrets', 'set', 'zendesk-api-token'], {
      readHidden: async (message) => {
        asked.push(message);
        return 'q'.repeat(40);
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(asked).toEqual(['Value for zendesk-api-token (hidden):']);
    expect(await vault().get('zendesk-api-token')).toBe('q'.repeat(40));
    expect((await vault().versions('zendesk-api-token'))[0]?.tags).toEqual({ source: 'prompt' });
  });

  it('--no-prompt turns the prompt off', async () => {
    const run = await mac(['--no-prompt', 'secrets', 'set', 'zendesk-api-token'], { readHidden: async () => 'never' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--from-env VAR or --from-file F/);
  });

  it('--from-file - reads a pipe; a terminal on stdin is refused', async () => {
    const piped = Object.assign(Readable.from([Buffer.from(`${'m'.repeat(32)}-us21\n`)]), { isTTY: false });
    const run = await mac(['secrets', 'set', 'mailchimp-api-key', '--from-file', '-'], { stdin: piped });
    expect(run.code, run.stderr).toBe(0);
    expect(await vault().get('mailchimp-api-key')).toBe(`${'m'.repeat(32)}-us21`);
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    const refused = await mac(['secrets', 'set', 'mailchimp-api-key', '--from-file', '-'], { stdin: tty });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/stdin is a terminal/);
  });
});
