import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, demoPlatform, signedWebhook } from './helpers.js';

let p: Awaited<ReturnType<typeof demoPlatform>>;
beforeAll(async () => {
  p = await demoPlatform();
});
afterAll(() => p.cleanup());

describe('gateway', () => {
  it('answers POST /v1/chat with the documented shape', async () => {
    const r = await chat(p.url, { message: 'Where is my order #10279?', customer_email: 'mateo.castillo@example.com' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(
      ['agents_involved', 'blocked', 'confidence', 'escalated', 'intent', 'language', 'processing_time_ms', 'response', 'session_id', 'trace_id'].sort(),
    );
    expect(r.json.intent).toBe('order_status');
    expect(r.json.response).toContain('4829215540');
    expect(r.json.agents_involved).toEqual(expect.arrayContaining(['critic-supervisor', 'intent-classifier', 'knowledge-retrieval', 'response-generator']));
  });

  it('never answers bad input with a 5xx', async () => {
    const bad: (string | Buffer)[] = [
      '{bad json',
      '',
      'null',
      '[]',
      '"just a string"',
      JSON.stringify({}),
      JSON.stringify({ message: 42 }),
      JSON.stringify({ message: ['a'] }),
      JSON.stringify({ message: '   ' }),
      JSON.stringify({ message: 'x'.repeat(10 * 1024) }),
      JSON.stringify({ message: 'hi', language: 'de' }),
      JSON.stringify({ message: 'hi', customer_email: 'not-an-email' }),
      JSON.stringify({ message: 'hi', session_id: 'has spaces and ✓' }),
      JSON.stringify({ message: 'hi', session_id: 7 }),
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x9c, 0x80]),
      Buffer.alloc(200 * 1024, 0x41),
    ];
    for (const body of bad) {
      const r = await chat(p.url, undefined, body);
      expect(r.status, String(body).slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(r.status, String(body).slice(0, 40)).toBeLessThan(500);
      expect(typeof r.json.error).toBe('string');
    }
    const long = await chat(p.url, { message: 'x'.repeat(4097) });
    expect(long).toEqual({ status: 400, json: { error: 'message must be at most 4096 characters', field: 'message' } });
  });

  it('counts message length in characters as people count them, and takes customer emails with spaces around or accents', async () => {
    expect((await chat(p.url, { message: '🙂'.repeat(4096) })).status).toBe(200);
    expect((await chat(p.url, { message: '🙂'.repeat(4097) })).json).toEqual({ error: 'message must be at most 4096 characters', field: 'message' });
    for (const email of [' Mateo.Castillo@Example.com ', 'zoé.l@exemple.fr', "o'brien@example.com"]) {
      expect((await chat(p.url, { message: 'hello', customer_email: email })).status, email).toBe(200);
    }
    for (const email of ['not-an-email', 'a@b', 'two@@example.com', '']) {
      expect((await chat(p.url, { message: 'hello', customer_email: email })).json, email).toEqual({ error: 'customer_email must be an email address', field: 'customer_email' });
    }
  });

  it('answers words that name Object.prototype members like any other words', async () => {
    for (const message of ['very constructor good', 'I want a constructor set', 'toString valueOf __proto__ hasOwnProperty']) {
      const r = await chat(p.url, { message });
      expect(r.status, message).toBe(200);
      expect(typeof r.json.response).toBe('string');
    }
  });

  it('counts the message that opened a session towards its burst', async () => {
    const first = await chat(p.url, { message: 'hello' });
    const statuses = [first.status];
    for (let i = 0; i < 5; i++) statuses.push((await chat(p.url, { message: 'hello', session_id: first.json.session_id })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('answers webhook topics and events named like Object.prototype members, or a malformed path, with a 400', async () => {
    const post = (pathname: string, body: unknown, headers: Record<string, string> = {}) => signedWebhook(p.url, pathname, body, headers);
    const responses = [
      await post('/webhooks/shopify/constructor', {}),
      await post('/webhooks/shopify/__proto__', {}),
      await post('/webhooks/shopify/orders-create', {}, { 'x-shopify-topic': 'hasOwnProperty' }),
      await post('/webhooks/shopify/%E0%A4%A', {}),
      await post('/webhooks/zendesk', { event: 'constructor' }),
      await post('/webhooks/zendesk', { type: 'toString' }),
      await post('/webhooks/zendesk', { event: '__proto__' }),
    ];
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
  });

  it('answers an oversized chunked body with a 413, not a reset connection', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/v1/chat', p.url), { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(`{"message": "${'x'.repeat(40 * 1024)}`); // no content-length: chunked
      req.end(`${'y'.repeat(40 * 1024)}"}`);
    });
    expect(status).toBe(413);
  });

  it('limits a session to a burst of 5 messages (429)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await chat(p.url, { message: 'hello', session_id: 'burst-test' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('serves health, readiness, analytics and webhooks', async () => {
    expect((await fetch(new URL('/health', p.url))).status).toBe(200);
    expect((await fetch(new URL('/ready', p.url))).status).toBe(200);
    await p.flush();
    const summary = (await (await fetch(new URL('/v1/analytics/summary', p.url))).json()) as { turns: number; intents: Record<string, number> };
    expect(summary.turns).toBeGreaterThan(0);
    expect(summary.intents.order_status).toBeGreaterThan(0);
    const hook = await signedWebhook(p.url, '/webhooks/shopify/orders-create', { id: 1 });
    expect(hook.status).toBe(202);
    expect(((await hook.json()) as { subject: string }).subject).toBe('events.shopify.orders.created');
    const unknown = await signedWebhook(p.url, '/webhooks/zendesk', { event: 'nope' });
    expect(unknown.status).toBe(400);
  });

  it('answers a shipping question about a named country with that country’s terms, not the free-shipping threshold', async () => {
    const mexico = await chat(p.url, { message: '¿Hacen envíos a México y cuánto cuesta?' });
    expect(mexico.json.response).toMatch(/México \(DHL Express\)/);
    expect(mexico.json.response).not.toMatch(/gratis en pedidos de 75/);
    const home = await chat(p.url, { message: 'How much is shipping?' });
    expect(home.json.response).toMatch(/Standard shipping is free on orders of \$75 or more/);
  });

  it('keeps PII out of traces: an email, a phone and a card number never reach the JSONL', async () => {
    const email = 'pat.doe@example.net';
    const phone = '+1 509 555 0199';
    const card = '4111 1111 1111 1111';
    await chat(p.url, { message: `Hi, I'm ${email}, call me at ${phone}. I paid with ${card} for order #10290 and was charged twice.` });
    await p.flush();
    const files = (await readdir(p.tracesDir)).filter((f) => f.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThan(0);
    const text = (await Promise.all(files.map((f) => readFile(path.join(p.tracesDir, f), 'utf8')))).join('');
    expect(text).toContain('[EMAIL]');
    for (const secret of [email, phone, card, '4111111111111111', '5550199']) expect(text).not.toContain(secret);
    const spans = text.trim().split('\n').map((l) => JSON.parse(l) as { agent?: string; latency_ms: number; cost_usd: number });
    expect(spans.filter((s) => s.agent).every((s) => typeof s.latency_ms === 'number' && typeof s.cost_usd === 'number')).toBe(true);
  });

  it('keeps a card followed by its expiry date and CVV out of traces and the stored conversation', async () => {
    const r = await chat(p.url, { message: 'My card is 4111 1111 1111 1111 12/26 cvv 123, and 5555555555554444 1225 was charged twice.' });
    await p.flush();
    const files = (await readdir(p.tracesDir)).filter((f) => f.endsWith('.jsonl'));
    const text = (await Promise.all(files.map((f) => readFile(path.join(p.tracesDir, f), 'utf8')))).join('');
    expect(text).toContain(r.json.trace_id as string);
    const db = new Database(path.join(p.stateDir, 'data', 'platform.db'), { readonly: true });
    const turns = db.prepare('SELECT text FROM conversation_turns WHERE session_id = ?').pluck().all(r.json.session_id) as string[];
    db.close();
    expect(turns).toHaveLength(2);
    for (const secret of ['4111 1111 1111 1111', '5555555555554444']) {
      expect(text).not.toContain(secret);
      for (const turn of turns) expect(turn).not.toContain(secret);
    }
  });
});
