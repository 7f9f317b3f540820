import { createHmac } from 'node:crypto';
import os from 'node:os';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../../src/agents/gateway/server.js';
import { isLoopback, webhookRefusal, type WebhookRequest } from '../../../src/agents/gateway/webhook-auth.js';
import { createSqliteBus, type EventBus } from '../../../src/agents/runtime/bus.js';
import type { BusEvent } from '../../../src/agents/runtime/contracts.js';
import { zendeskEventName } from '../../../src/agents/runtime/events.js';

const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const ZENDESK_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const NOW = new Date('2026-11-27T10:00:00Z');
const BODY = Buffer.from(JSON.stringify({ id: 820982911946154500, email: 'jon@example.com' }));

const shopifySignature = (body: Buffer, secret = SHOPIFY_SECRET) => createHmac('sha256', secret).update(body).digest('base64');
const zendeskSignature = (timestamp: string, body: Buffer, secret = ZENDESK_SECRET) =>
  createHmac('sha256', secret).update(timestamp).update(body).digest('base64');

function request(headers: Record<string, string>, o: Partial<WebhookRequest> = {}): WebhookRequest {
  return { headers, raw: BODY, remoteAddress: '10.0.1.7', now: NOW, ...o };
}

describe('webhook authentication', () => {
  const secrets = { shopify: SHOPIFY_SECRET, zendesk: ZENDESK_SECRET };

  it('accepts a Shopify webhook signed over its raw body, and refuses a wrong, missing or foreign signature', () => {
    expect(webhookRefusal('shopify', secrets, request({ 'x-shopify-hmac-sha256': shopifySignature(BODY) }))).toBeUndefined();
    const tampered = Buffer.from(BODY.toString().replace('jon', 'eve'));
    expect(webhookRefusal('shopify', secrets, request({ 'x-shopify-hmac-sha256': shopifySignature(BODY) }, { raw: tampered }))).toBe('invalid webhook signature');
    expect(webhookRefusal('shopify', secrets, request({ 'x-shopify-hmac-sha256': shopifySignature(BODY, 'shpss_another') }))).toBe('invalid webhook signature');
    expect(webhookRefusal('shopify', secrets, request({ 'x-shopify-hmac-sha256': 'bm90IGEgc2lnbmF0dXJl' }))).toBe('invalid webhook signature');
    expect(webhookRefusal('shopify', secrets, request({}))).toMatch(/missing X-Shopify-Hmac-Sha256/);
  });

  it('accepts a Zendesk webhook signed over timestamp and body, near this clock; refuses tampering, replays and gaps', () => {
    const at = '2026-11-27T09:58:30Z';
    const signed = (timestamp: string, sig = zendeskSignature(timestamp, BODY)) => ({
      'x-zendesk-webhook-signature': sig,
      'x-zendesk-webhook-signature-timestamp': timestamp,
    });
    expect(webhookRefusal('zendesk', secrets, request(signed(at)))).toBeUndefined();
    // The timestamp is part of what is signed: moving it breaks the signature.
    expect(webhookRefusal('zendesk', secrets, request(signed('2026-11-27T09:59:30Z', zendeskSignature(at, BODY))))).toBe('invalid webhook signature');
    const stale = '2026-11-27T09:54:00Z';
    expect(webhookRefusal('zendesk', secrets, request(signed(stale)))).toMatch(/more than 5 minutes from this server's clock/);
    expect(webhookRefusal('zendesk', secrets, request(signed('yesterday')))).toMatch(/not a date/);
    expect(webhookRefusal('zendesk', secrets, request({ 'x-zendesk-webhook-signature': zendeskSignature(at, BODY) }))).toMatch(/missing/);
    // A Shopify signature is no Zendesk signature.
    expect(webhookRefusal('zendesk', secrets, request(signed(at, shopifySignature(BODY))))).toBe('invalid webhook signature');
  });

  it('without a secret, takes webhooks from this machine only, and names the secret that opens them to others', () => {
    expect(webhookRefusal('shopify', {}, request({}, { remoteAddress: '127.0.0.1' }))).toBeUndefined();
    expect(webhookRefusal('zendesk', {}, request({}, { remoteAddress: '::ffff:127.0.0.1' }))).toBeUndefined();
    expect(webhookRefusal('zendesk', {}, request({}, { remoteAddress: '::1' }))).toBeUndefined();
    expect(webhookRefusal('shopify', {}, request({}))).toMatch(/need a signing secret.*shopify-webhook-secret/);
    expect(webhookRefusal('zendesk', { shopify: SHOPIFY_SECRET }, request({}, { remoteAddress: undefined }))).toMatch(/zendesk-webhook-secret/);
    // With a secret, this machine signs too: a local process is not trusted over the secret.
    expect(webhookRefusal('shopify', secrets, request({}, { remoteAddress: '127.0.0.1' }))).toMatch(/missing/);
  });

  it('knows loopback addresses as Node reports them', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of ['10.0.1.7', '::ffff:10.0.1.7', 'fd00::2', '::', '0.0.0.0', '128.0.0.1', 'localhost', '', undefined]) expect(isLoopback(a), String(a)).toBe(false);
  });
});

describe('Zendesk webhook bodies', () => {
  // The shape of Zendesk's event-subscription payloads: "event" is an object there, the name is in "type".
  const subscription = (type: string, status = 'Open') => ({
    type,
    account_id: 88_888_888,
    id: '01HNZ6V2W3EXAMPLE',
    time: '2026-11-27T09:59:00Z',
    zendesk_event_version: '2022-11-06',
    subject: 'zen:ticket:35436',
    detail: { id: '35436', status, via: { channel: 'web' } },
    event: { current: status },
  });

  it("names the event of a trigger's JSON and of Zendesk's event subscriptions", () => {
    expect(zendeskEventName({ event: 'ticket.updated' })).toBe('ticket.updated');
    expect(zendeskEventName({ type: 'ticket.created' })).toBe('ticket.created');
    expect(zendeskEventName(subscription('zen:event-type:ticket.created'))).toBe('ticket.created');
    expect(zendeskEventName(subscription('zen:event-type:ticket.status_changed', 'SOLVED'))).toBe('ticket.solved');
    expect(zendeskEventName(subscription('zen:event-type:ticket.status_changed', 'Pending'))).toBe('ticket.updated');
    expect(zendeskEventName(subscription('zen:event-type:ticket.comment_added'))).toBe('ticket.updated');
    expect(zendeskEventName(subscription('zen:event-type:user.created'))).toBe('user.created');
    expect(zendeskEventName(subscription('zen:event-type:user.active_changed'))).toBe('zen:event-type:user.active_changed');
    for (const junk of [null, 'ticket.created', [], { event: { current: 1 } }, { type: 7 }]) expect(zendeskEventName(junk)).toBe('');
  });
});

describe('gateway webhooks', () => {
  let gateway: Gateway | undefined;
  let db: Database.Database | undefined;
  afterEach(async () => {
    await gateway?.close();
    db?.close();
  });

  async function start(webhookSecrets: { shopify?: string; zendesk?: string }, host?: string): Promise<{ url: string; events: BusEvent[]; bus: EventBus }> {
    db = new Database(':memory:');
    const bus = createSqliteBus(db);
    const events: BusEvent[] = [];
    bus.subscribe('events.>', 'test', (e) => void events.push(e));
    gateway = await startGateway(
      { chat: () => Promise.reject(new Error('not used')), bus, ready: () => true, analyticsSummary: async () => ({}), webhookSecrets, now: () => NOW },
      { port: 0, host },
    );
    return { url: gateway.url, events, bus };
  }

  const post = (url: string, path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: new Uint8Array(BODY) });

  it('publishes signed webhooks and answers unsigned or mis-signed ones with a 401 that publishes nothing', async () => {
    const { url, events, bus } = await start({ shopify: SHOPIFY_SECRET, zendesk: ZENDESK_SECRET });
    const ts = '2026-11-27T09:59:00Z';
    const zendeskBody = Buffer.from(JSON.stringify({ type: 'zen:event-type:ticket.status_changed', detail: { id: '7', status: 'SOLVED' }, event: { current: 'SOLVED' } }));
    const signedZendesk = await fetch(new URL('/webhooks/zendesk', url), {
      method: 'POST',
      headers: { 'x-zendesk-webhook-signature': zendeskSignature(ts, zendeskBody), 'x-zendesk-webhook-signature-timestamp': ts },
      body: new Uint8Array(zendeskBody),
    });
    expect(signedZendesk.status).toBe(202);
    const signedShopify = await post(url, '/webhooks/shopify/orders-create', { 'x-shopify-hmac-sha256': shopifySignature(BODY) });
    expect(signedShopify.status).toBe(202);
    await bus.drain();
    expect(events.map((e) => e.subject)).toEqual(['events.zendesk.tickets.solved', 'events.shopify.orders.created']);

    const refused = [
      await post(url, '/webhooks/shopify/orders-create'),
      await post(url, '/webhooks/shopify/orders-create', { 'x-shopify-hmac-sha256': shopifySignature(BODY, ZENDESK_SECRET) }),
      await post(url, '/webhooks/zendesk', { 'x-zendesk-webhook-signature': zendeskSignature(ts, BODY, SHOPIFY_SECRET), 'x-zendesk-webhook-signature-timestamp': ts }),
    ];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401]);
    const text = (await Promise.all(refused.map((r) => r.text()))).join('\n');
    expect(text).toMatch(/missing X-Shopify-Hmac-Sha256/);
    expect(text).not.toContain(SHOPIFY_SECRET);
    expect(text).not.toContain(ZENDESK_SECRET);
    await bus.drain();
    expect(events).toHaveLength(2);
  });

  // Needs an address of this machine that is not loopback to connect from.
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
  it.skipIf(!external)('without secrets, takes webhooks over loopback and refuses them from another address', async () => {
    const { url, events, bus } = await start({}, '0.0.0.0');
    expect((await post(url, '/webhooks/shopify/orders-create')).status).toBe(202);
    const port = new URL(url).port;
    const remote = await post(`http://${external}:${port}`, '/webhooks/shopify/orders-create');
    expect(remote.status).toBe(401);
    expect(((await remote.json()) as { error: string }).error).toMatch(/shopify-webhook-secret/);
    await bus.drain();
    expect(events).toHaveLength(1);
  });
});
