// The whole local lifecycle as an operator runs it — deploy → rotate a secret → DR drill → cost report → destroy —
// on a temporary project, then the canary scan: a known secret value and a PII-bearing conversation went through
// all of it, and neither appears in plain text in any file under .mac/ or in any output.
import { createHmac, randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProcesses, stopProcesses } from '../src/targets/local/processes.js';
import { runCli, tempDir } from './helpers/cli.js';

const KEY = randomBytes(32).toString('base64');
const SHOPIFY_TOKEN = `shpat_${randomBytes(16).toString('hex')}`;
const ZENDESK_WEBHOOK_SECRET = randomBytes(32).toString('base64');
const CANARY_ENV = `canary-${randomBytes(8).toString('hex')}`;
const PII = {
  email: 'odette.canary-7731@example.org',
  phone: '+1 415 555 0187',
  card: '4111 1111 1111 1111',
};

describe('local lifecycle: deploy → rotate → dr-drill → cost report → destroy', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const outputs: string[] = [];
  const mac = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = await runCli(args, { cwd: dir, env: { MAC_VAULT_KEY: KEY, CI: '1', NO_COLOR: '1', ...env } });
    outputs.push(run.stdout, run.stderr);
    return run;
  };
  const stateDir = () => path.join(dir, '.mac', 'local');
  const needles = [SHOPIFY_TOKEN, ZENDESK_WEBHOOK_SECRET, PII.email, PII.phone, PII.card, PII.card.replace(/ /g, ''), PII.phone.replace(/ /g, '')];

  /** Reads every file under .mac/ as bytes and asserts no needle is in it; returns the files scanned. */
  async function scanState(): Promise<string[]> {
    const root = path.join(dir, '.mac');
    const scanned: string[] = [];
    for (const rel of await readdir(root, { recursive: true })) {
      const file = path.join(root, rel);
      // The backup schedule keeps running: a snapshot's .partial file can be renamed between readdir and reading.
      let bytes: Buffer;
      try {
        if (!(await stat(file)).isFile()) continue;
        bytes = await readFile(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      scanned.push(rel);
      for (const needle of needles) expect(bytes.includes(needle), `${needle} in ${rel}`).toBe(false);
    }
    return scanned;
  }

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('mac-lifecycle-'));
    await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  local:\n    target: local\n    port: 0\n    backups:\n      intervalSeconds: 1\n');
  });
  afterAll(async () => {
    await mac(['destroy', '--yes']);
    await stopProcesses(await findProcesses(stateDir()));
    await cleanup();
  });

  it('runs every lifecycle command for real and leaves no secret or PII in plain text', { timeout: 300_000 }, async () => {
    const set = await mac(['secrets', 'set', 'shopify-api-token', '--from-env', 'TOKEN'], { TOKEN: SHOPIFY_TOKEN });
    expect(set.code, set.stderr).toBe(0);
    const signing = await mac(['secrets', 'set', 'zendesk-webhook-secret', '--from-env', 'SECRET'], { SECRET: ZENDESK_WEBHOOK_SECRET });
    expect(signing.code, signing.stderr).toBe(0);

    // What the toolkit's own environment holds never reaches the runtime processes (they get settings on stdin).
    process.env.MAC_LIFECYCLE_CANARY = CANARY_ENV;
    const deployed = await mac(['deploy']);
    delete process.env.MAC_LIFECYCLE_CANARY;
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stdout).toMatch(/Deployed release \S+ \(version \d+\.\d+\.\d+\) to local/);
    const status = JSON.parse((await mac(['status', '--json'])).stdout);
    expect(status.healthy).toBe(true);
    expect(status.processes.map((p: { name: string; state: string }) => `${p.name}:${p.state}`)).toEqual(['integrations:running', 'platform:running']);

    // The platform got the webhook signing secret from the vault: an unsigned Zendesk webhook is refused, even from
    // this machine; a signed one is published.
    const body = JSON.stringify({ event: 'ticket.updated', id: 1 });
    const zendeskHook = (headers: Record<string, string>) => fetch(new URL('/webhooks/zendesk', status.url), { method: 'POST', headers, body });
    expect((await zendeskHook({})).status).toBe(401);
    const at = new Date().toISOString();
    const signature = createHmac('sha256', ZENDESK_WEBHOOK_SECRET).update(at + body).digest('base64');
    expect((await zendeskHook({ 'x-zendesk-webhook-signature': signature, 'x-zendesk-webhook-signature-timestamp': at })).status).toBe(202);

    // A customer shares personal data in a conversation.
    const chat = await fetch(new URL('/v1/chat', status.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        session_id: 'canary-pii',
        message: `Hi, my email is ${PII.email} and my phone is ${PII.phone}. I paid with card ${PII.card}, where is my refund?`,
      }),
    });
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as { response: string }).response.length).toBeGreaterThan(0);

    // Rotation: a new, well-formed token; the platform restarts on it and the smoke test passes.
    const platformPid = status.processes[1].pid;
    for (const p of status.processes as { pid: number }[]) {
      const environ = await readFile(`/proc/${p.pid}/environ`, 'utf8').catch(() => undefined);
      if (environ !== undefined) expect(environ).not.toContain(CANARY_ENV);
    }
    const rotated = await mac(['secrets', 'rotate', 'shopify-api-token', '--generate', '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout).rotations[0]).toMatchObject({ name: 'shopify-api-token', outcome: 'rotated' });
    const afterRotation = JSON.parse((await mac(['status', '--json'])).stdout);
    expect(afterRotation.healthy).toBe(true);
    expect(afterRotation.processes[1].pid).not.toBe(platformPid);

    // The canary scan after deploy and rotation, while the traces of the PII conversation exist, and once the
    // schedule (every second) has taken a backup of the restarted platform.
    const backups = path.join(stateDir(), 'backups');
    for (let i = 0; i < 100 && !(await readdir(backups)).some((f) => f.endsWith('.db')); i++) await sleep(100);
    const beforeDrill = await scanState();
    expect(beforeDrill).toEqual(expect.arrayContaining(['local/vault', 'local/data/platform.db', 'local/logs/platform.log', 'local/logs/integrations.log']));
    expect(beforeDrill.some((f) => f.startsWith('local/traces/'))).toBe(true);
    expect(beforeDrill.some((f) => f.startsWith('local/backups/'))).toBe(true);

    // The drill: destroy, restore from the latest backup, redeploy, smoke; canaries lost only after that backup.
    const drill = await mac(['dr-drill', '--yes', '--json', '--rto', '10m', '--rpo', '1h']);
    expect(drill.code, drill.stderr).toBe(0);
    const report = JSON.parse(drill.stdout.trim().split('\n').at(-1) as string).data;
    expect(report.verdict).toBe('PASS');
    const rto = report.policies.find((p: { policy: string }) => p.policy === 'RTO');
    const rpo = report.policies.find((p: { policy: string }) => p.policy === 'RPO');
    expect(rto).toMatchObject({ verdict: 'PolicyMet' });
    expect(rto.measuredSeconds).toBeGreaterThan(0);
    expect(rto.measuredSeconds).toBeLessThan(600);
    expect(rpo).toMatchObject({ verdict: 'PolicyMet' });
    expect(rpo.measuredSeconds).toBeGreaterThanOrEqual(0);
    expect(report.canaries.written).toBeGreaterThan(0);
    expect(report.canaries.survived).toBeGreaterThan(0);
    expect(report.canaries.lostBeforeBackup).toBe(0);
    const drillDir = path.join(stateDir(), 'drills', report.runId);
    for (const f of ['report.json', 'report.md', 'report.html']) expect((await stat(path.join(drillDir, f))).size).toBeGreaterThan(0);
    expect((await mac(['smoke'])).code).toBe(0);

    // The conversation with PII survived the drill (it was backed up), its personal data tokenized.
    const db = new Database(path.join(stateDir(), 'data', 'platform.db'), { readonly: true });
    const turns = db.prepare("SELECT text FROM conversation_turns WHERE session_id = 'canary-pii' AND role = 'customer'").all() as { text: string }[];
    db.close();
    expect(turns).toHaveLength(1);
    expect(turns[0]?.text).toMatch(/TOKEN_[0-9a-f-]{36}/);
    const cost = await mac(['cost', 'report', '--json']);
    expect(cost.code, cost.stderr).toBe(0);
    const estimate = JSON.parse(cost.stdout);
    expect(estimate.actualSpendUsd).toBe(0);
    expect(estimate.totalUsd).toBeGreaterThan(0);

    // The canary scan again after the drill, before destroy removes the evidence: every file under .mac/.
    const afterDrill = await scanState();
    expect(afterDrill).toEqual(expect.arrayContaining(['local/vault', 'local/data/platform.db', 'local/logs/platform.log']));
    expect(afterDrill.some((f) => f.startsWith('local/drills/'))).toBe(true);
    const allOutput = outputs.join('\n');
    for (const needle of needles) expect(allOutput.includes(needle), `${needle} in command output`).toBe(false);

    const destroyed = await mac(['destroy', '--yes']);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(await findProcesses(stateDir())).toEqual([]);
  });
});
