// `mac dev` as an operator runs it: the real program in its own process, the platform in the foreground, Ctrl-C
// stops it; webhooks signed with the secret the environment's vault holds.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { runCli, tempDir } from '../helpers/cli.js';

const KEY = randomBytes(32).toString('base64');
const ZENDESK_WEBHOOK_SECRET = randomBytes(32).toString('base64');

describe('mac dev', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('mac-dev-'));
    await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  local:\n    target: local\n');
  });
  afterAll(() => cleanup());

  it('serves the demo shop until Ctrl-C, checking webhook signatures with the vault’s secret', { timeout: 60_000 }, async () => {
    const env = { ...process.env, MAC_VAULT_KEY: KEY, NO_COLOR: '1' };
    const set = await runCli(['secrets', 'set', 'zendesk-webhook-secret', '--from-env', 'S'], { cwd: dir, env: { MAC_VAULT_KEY: KEY, S: ZENDESK_WEBHOOK_SECRET } });
    expect(set.code, set.stderr).toBe(0);

    const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'mac.js'), 'dev', '--port', '0', '--json'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const started = await new Promise<{ url: string; mocks: Record<string, string> }>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        // One JSON document (pretty-printed): complete once it parses.
        try {
          resolve(JSON.parse(stdout));
        } catch {
          // more to come
        }
      });
      void exited.then((code) => reject(new Error(`mac dev exited ${code}: ${stderr}`)));
    });
    try {
      expect(Object.keys(started.mocks).sort()).toEqual(expect.arrayContaining(['shopify', 'zendesk']));
      const chat = await fetch(new URL('/v1/chat', started.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Where is my order #10279?', customer_email: 'mateo.castillo@example.com' }),
      });
      expect(chat.status).toBe(200);
      expect(((await chat.json()) as { intent: string }).intent).toBe('order_status');

      const body = JSON.stringify({ event: 'ticket.updated' });
      const at = new Date().toISOString();
      const signature = createHmac('sha256', ZENDESK_WEBHOOK_SECRET).update(at + body).digest('base64');
      const hook = (headers: Record<string, string>) => fetch(new URL('/webhooks/zendesk', started.url), { method: 'POST', headers, body });
      expect((await hook({ 'x-zendesk-webhook-signature': signature, 'x-zendesk-webhook-signature-timestamp': at })).status).toBe(202);
      expect((await hook({})).status).toBe(401);
      // No Shopify secret in the vault: Shopify's webhooks are refused.
      expect((await fetch(new URL('/webhooks/shopify/orders-create', started.url), { method: 'POST', body: '{}' })).status).toBe(401);
      expect(stderr).toMatch(/webhooks: shopify refused \(no shopify-webhook-secret\); zendesk signed/);
      expect(stderr).not.toContain(ZENDESK_WEBHOOK_SECRET);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/Stopping/);
  });
});
