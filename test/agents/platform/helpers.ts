// Starts the real platform (inproc) on the demo shop with mock integrations, in a temp state folder.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPlatform, type RunningPlatform } from '../../../src/agents/runtime/platform.js';

export const DEMO = path.resolve(import.meta.dirname, '../../../data/demo-shop');
/** The demo data is written around this day. */
export const DEMO_TODAY = new Date('2026-11-26T18:00:00Z');

/** The webhook signing secrets the demo platform is started with. */
export const WEBHOOK_SECRETS = { shopify: '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', zendesk: 'ZGVtby16ZW5kZXNrLXdlYmhvb2stc2lnbmluZy1zZWNyZXQ=' };

let deliveries = 0;

/** POSTs a webhook signed as Shopify or Zendesk sign it (see gateway/webhook-auth.ts), each delivery a new one. */
export function signedWebhook(url: string, pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const raw = JSON.stringify(body);
  const signature: Record<string, string> = {};
  if (pathname.startsWith('/webhooks/zendesk')) {
    const at = new Date(DEMO_TODAY.getTime() + (deliveries++ % 240) * 1000).toISOString();
    signature['x-zendesk-webhook-signature'] = createHmac('sha256', WEBHOOK_SECRETS.zendesk).update(at + raw).digest('base64');
    signature['x-zendesk-webhook-signature-timestamp'] = at;
  } else signature['x-shopify-hmac-sha256'] = createHmac('sha256', WEBHOOK_SECRETS.shopify).update(raw).digest('base64');
  return fetch(new URL(pathname, url), { method: 'POST', headers: { 'content-type': 'application/json', ...signature, ...headers }, body: raw });
}

export async function demoPlatform(opts: { dataDir?: string } = {}): Promise<RunningPlatform & { stateDir: string; cleanup(): Promise<void> }> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'mac-platform-'));
  const p = await startPlatform({
    dataDir: opts.dataDir ?? DEMO,
    stateDir,
    port: 0,
    integrations: { mode: 'mock' },
    vaultKey: Buffer.alloc(32, 9),
    webhookSecrets: WEBHOOK_SECRETS,
    now: () => DEMO_TODAY,
  });
  return Object.assign(p, {
    stateDir,
    async cleanup() {
      await p.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  });
}

export async function chat(url: string, body: unknown, raw?: string | Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL('/v1/chat', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof raw === 'string' || raw === undefined ? (raw ?? JSON.stringify(body)) : new Uint8Array(raw),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
