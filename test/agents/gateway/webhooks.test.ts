import { createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../../src/agents/gateway/server.js';
import { WebhookVerifier, type WebhookRequest } from '../../../src/agents/gateway/webhook-auth.js';
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
const zendeskHeaders = (timestamp: string, sig = zendeskSignature(timestamp, BODY)) => ({
  'x-zendesk-webhook-signature': sig,
  'x-zendesk-webhook-signature-timestamp': timestamp,
});

function request(headers: Record<string, string>, o: Partial<WebhookRequest> = {}): WebhookRequest {
  return { headers, raw: BODY, now: NOW, ...o };
}

describe('webhook authentication', () => {
  const verifier = () => new WebhookVerifier({ shopify: SHOPIFY_SECRET, zendesk: ZENDESK_SECRET });
  const taken = { duplicate: false };

  it('accepts a Shopify webhook signed over its raw body, and refuses a wrong, missing or foreign signature', () => {
    const v = verifier();
    expect(v.check('shopify', request({ 'x-shopify-hmac-sha256': shopifySignature(BODY) }))).toEqual(taken);
    const tampered = Buffer.from(BODY.toString().replace('jon', 'eve'));
    const refused = (headers: Record<string, string>, o?: Partial<WebhookRequest>) => v.check('shopify', request(headers, o)).refused;
    expect(refused({ 'x-shopify-hmac-sha256': shopifySignature(BODY) }, { raw: tampered })).toBe('invalid webhook signature');
    expect(refused({ 'x-shopify-hmac-sha256': shopifySignature(BODY, 'shpss_another') })).toBe('invalid webhook signature');
    expect(refused({ 'x-shopify-hmac-sha256': 'bm90IGEgc2lnbmF0dXJl' })).toBe('invalid webhook signature');
    expect(refused({})).toMatch(/missing X-Shopify-Hmac-Sha256/);
  });

  it('accepts a Zendesk webhook signed over timestamp and body, near this clock; refuses tampering, stale times and gaps', () => {
    const v = verifier();
    const at = '2026-11-27T09:58:30Z';
    expect(v.check('zendesk', request(zendeskHeaders(at)))).toEqual(taken);
    const refused = (headers: Record<string, string>) => v.check('zendesk', request(headers)).refused;
    // The timestamp is part of what is signed: moving it breaks the signature.
    expect(refused(zendeskHeaders('2026-11-27T09:59:30Z', zendeskSignature(at, BODY)))).toBe('invalid webhook signature');
    expect(refused(zendeskHeaders('2026-11-27T09:54:00Z'))).toMatch(/more than 5 minutes from this server's clock/);
    expect(refused(zendeskHeaders('yesterday'))).toMatch(/not a date/);
    expect(refused({ 'x-zendesk-webhook-signature': zendeskSignature(at, BODY) })).toMatch(/missing/);
    // A Shopify signature is no Zendesk signature.
    expect(refused(zendeskHeaders(at, shopifySignature(BODY)))).toBe('invalid webhook signature');
  });

  it('takes a Zendesk delivery once: the same signed request again is a duplicate', () => {
    const v = verifier();
    expect(v.check('zendesk', request(zendeskHeaders('2026-11-27T09:59:00Z')))).toEqual(taken);
    expect(v.check('zendesk', request(zendeskHeaders('2026-11-27T09:59:00Z')))).toEqual({ duplicate: true });
    expect(v.check('zendesk', request(zendeskHeaders('2026-11-27T09:59:01Z')))).toEqual(taken);
    // The same signature written differently (base64 forgives a missing pad or a stray space) is the same delivery.
    const sig = zendeskSignature('2026-11-27T09:59:02Z', BODY);
    expect(v.check('zendesk', request(zendeskHeaders('2026-11-27T09:59:02Z', sig)))).toEqual(taken);
    expect(v.check('zendesk', request(zendeskHeaders('2026-11-27T09:59:02Z', sig.replace(/=+$/, ''))))).toEqual({ duplicate: true });
    expect(v.check('zendesk', request(zendeskHeaders('2026-11-27T09:59:02Z', `${sig.slice(0, 10)} ${sig.slice(10)}`)))).toEqual({ duplicate: true });
  });

  it('refuses every webhook of a sender without a secret, naming the secret', () => {
    const v = new WebhookVerifier({ shopify: SHOPIFY_SECRET });
    expect(v.check('zendesk', request(zendeskHeaders('2026-11-27T09:59:00Z'))).refused).toMatch(/zendesk webhooks are not accepted: .*zendesk-webhook-secret/);
    expect(new WebhookVerifier().check('shopify', request({ 'x-shopify-hmac-sha256': shopifySignature(BODY) })).refused).toMatch(/shopify-webhook-secret/);
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

  async function start(webhookSecrets: { shopify?: string; zendesk?: string }): Promise<{ url: string; events: BusEvent[]; bus: EventBus }> {
    db = new Database(':memory:');
    const bus = createSqliteBus(db);
    const events: BusEvent[] = [];
    bus.subscribe('events.>', 'test', (e) => void events.push(e));
    gateway = await startGateway(
      { chat: () => Promise.reject(new Error('not used')), bus, ready: () => true, analyticsSummary: async () => ({}), webhookSecrets, now: () => NOW },
      { port: 0 },
    );
    return { url: gateway.url, events, bus };
  }

  const post = (url: string, path: string, headers: Record<string, string> = {}, body = BODY) =>
    fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: new Uint8Array(body) });

  it('publishes signed webhooks once and answers unsigned or mis-signed ones with a 401 that publishes nothing', async () => {
    const { url, events, bus } = await start({ shopify: SHOPIFY_SECRET, zendesk: ZENDESK_SECRET });
    const ts = '2026-11-27T09:59:00Z';
    const zendeskBody = Buffer.from(JSON.stringify({ type: 'zen:event-type:ticket.status_changed', detail: { id: '7', status: 'SOLVED' }, event: { current: 'SOLVED' } }));
    const signed = { 'x-zendesk-webhook-signature': zendeskSignature(ts, zendeskBody), 'x-zendesk-webhook-signature-timestamp': ts };
    const first = await post(url, '/webhooks/zendesk', signed, zendeskBody);
    expect(first.status).toBe(202);
    // Delivered again (a retry after a lost answer, or a replay): answered alike, published once.
    const again = await post(url, '/webhooks/zendesk', signed, zendeskBody);
    expect([again.status, await again.json()]).toEqual([202, { accepted: true, duplicate: true, subject: 'events.zendesk.tickets.solved' }]);
    expect((await post(url, '/webhooks/shopify/orders-create', { 'x-shopify-hmac-sha256': shopifySignature(BODY) })).status).toBe(202);
    await bus.drain();
    expect(events.map((e) => e.subject)).toEqual(['events.zendesk.tickets.solved', 'events.shopify.orders.created']);

    const refused = [
      await post(url, '/webhooks/shopify/orders-create'),
      await post(url, '/webhooks/shopify/orders-create', { 'x-shopify-hmac-sha256': shopifySignature(BODY, ZENDESK_SECRET) }),
      await post(url, '/webhooks/zendesk', zendeskHeaders(ts, zendeskSignature(ts, BODY, SHOPIFY_SECRET))),
    ];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401]);
    const text = (await Promise.all(refused.map((r) => r.text()))).join('\n');
    expect(text).toMatch(/missing X-Shopify-Hmac-Sha256/);
    expect(text).not.toContain(SHOPIFY_SECRET);
    expect(text).not.toContain(ZENDESK_SECRET);
    await bus.drain();
    expect(events).toHaveLength(2);
  });

  it("takes Zendesk event types the platform has no use for (202, nothing published) and refuses a trigger's unknown event (400)", async () => {
    const { url, events, bus } = await start({ zendesk: ZENDESK_SECRET });
    const ts = '2026-11-27T09:59:00Z';
    const send = (body: unknown) => {
      const raw = Buffer.from(JSON.stringify(body));
      return post(url, '/webhooks/zendesk', zendeskHeaders(ts, zendeskSignature(ts, raw)), raw);
    };
    const unused = await send({ type: 'zen:event-type:organization.created', detail: { id: '1' } });
    expect([unused.status, await unused.json()]).toEqual([202, { accepted: true, ignored: 'the platform does not use zen:event-type:organization.created' }]);
    expect((await send({ event: 'nope' })).status).toBe(400);
    await bus.drain();
    expect(events).toEqual([]);
  });

  it('refuses the webhooks of a sender whose secret is not configured, even from this machine', async () => {
    const { url, events, bus } = await start({ zendesk: ZENDESK_SECRET });
    const res = await post(url, '/webhooks/shopify/orders-create', { 'x-shopify-hmac-sha256': shopifySignature(BODY) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/shopify-webhook-secret/);
    await bus.drain();
    expect(events).toEqual([]);
  });
});
