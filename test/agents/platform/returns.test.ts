// Returns end to end (gateway → pipeline → policy → RMA ledger → reply) on the demo shop with mock integrations:
// the last day is the one the customer is told, a return split item by item still meets the auto-approve limit,
// and a line already refunded is not returned again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../src/agents/runtime/platform.js';
import { chat, DEMO } from './helpers.js';

let running: { p: RunningPlatform; stateDir: string } | undefined;
afterEach(async () => {
  await running?.p.close();
  if (running) await rm(running.stateDir, { recursive: true, force: true });
  running = undefined;
});

async function platform(now: string): Promise<RunningPlatform & { mockState: NonNullable<RunningPlatform['mockState']> }> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'mac-returns-'));
  const clock = new Date(now);
  const p = await startPlatform({ dataDir: DEMO, stateDir, port: 0, integrations: { mode: 'mock' }, vaultKey: Buffer.alloc(32, 9), now: () => clock });
  running = { p, stateDir };
  if (!p.mockState) throw new Error('mock integrations expected');
  return p as RunningPlatform & { mockState: NonNullable<RunningPlatform['mockState']> };
}

const ask = async (url: string, message: string, customer_email: string) => {
  const { status, json } = await chat(url, { message, customer_email });
  expect(status).toBe(200);
  return json as { response: string; escalated: boolean; escalation?: { reason: string } };
};

describe('returns through the platform', () => {
  it('approves a return on the evening of the last day stated, in the shop’s time', async () => {
    // #10246 delivered at 5:30 pm on Nov 1 in the shop (Nov 2 in UTC); asked at 6 pm on Dec 1, the 30th day.
    const p = await platform('2026-12-01T18:00:00-08:00');
    const o = p.mockState.order('#10246')!;
    for (const f of o.fulfillments ?? []) f.updated_at = f.delivered_at = '2026-11-01T17:30:00-08:00';
    const r = await ask(p.url, 'I would like to return order #10246', 'sofia.hernandez@example.com');
    expect(r.escalated).toBe(false);
    expect(r.response).toMatch(/return for order #10246 is approved/);
    expect(r.response).toContain('accepted until December 1, 2026');
  }, 60_000);

  it('a return split item by item is sent to review once the order’s approved returns pass the limit', async () => {
    const p = await platform('2026-11-26T10:00:00-08:00');
    const ava = 'ava.martinez@example.net'; // #10266: Pocket Espresso Press $119 + Canvas Brew Kit Roll $36
    const first = await ask(p.url, 'I want to return the Pocket Espresso Press from order #10266', ava);
    expect(first.escalated).toBe(false);
    expect(first.response).toMatch(/RMA-10266-\d{4}/);
    const second = await ask(p.url, 'I want to return the Canvas Brew Kit Roll from order #10266', ava);
    expect(second.escalation?.reason).toBe('return_over_limit');
    expect(second.response).not.toMatch(/RMA-/);
    expect(second.response).toContain('$155');
  }, 60_000);

  it('a question about returns opens no return; naming the product returns it from the order that holds it', async () => {
    const p = await platform('2026-11-26T10:00:00-08:00');
    const tickets = p.mockState.tickets.length;
    for (const [message, email] of [
      ['How long do I have to return something, and who pays return shipping?', 'ava.martinez@example.net'],
      ['¿Puedo devolver café abierto?', 'sofia.hernandez@example.com'],
      ['I want to return something', 'ava.martinez@example.net'],
    ] as const) {
      const r = await ask(p.url, message, email);
      expect(r.escalated, message).toBe(false);
      expect(r.response, message).not.toMatch(/RMA-/);
      expect(r.response, message).toMatch(/which order|de qué pedido/i);
    }
    expect(p.mockState.tickets.length).toBe(tickets);
    // A question is answered from the policy: opened consumables are not returnable.
    const opened = await ask(p.url, '¿Puedo devolver café abierto?', 'sofia.hernandez@example.com');
    expect(opened.response).toMatch(/no aceptamos consumibles abiertos/);
    const named = await ask(p.url, 'I want to return the Pocket Espresso Press, it is too fiddly', 'ava.martinez@example.net');
    expect(named.response).toMatch(/return for order #10266 is approved.*RMA-10266-\d{4}/s);
  }, 60_000);

  it('asks which items once the order is named, in the conversation’s language, then returns what the customer names', async () => {
    const p = await platform('2026-11-26T10:00:00-08:00');
    const ava = 'ava.martinez@example.net'; // #10266: Pocket Espresso Press $119 + Canvas Brew Kit Roll $36
    const turn = async (message: string, session_id?: string) => {
      const { json } = await chat(p.url, { message, customer_email: ava, ...(session_id ? { session_id } : {}) });
      return json as { response: string; session_id: string; escalated: boolean; escalation?: { reason: string } };
    };
    const first = await turn('Quiero devolver algo');
    expect(first.response).toMatch(/¿De qué pedido/);
    const order = await turn('#10266', first.session_id);
    expect(order.escalated).toBe(false);
    expect(order.response.replace(/\u00a0/g, ' ')).toBe('¿Qué artículos del pedido #10266 desea devolver: Pocket Espresso Press (119 US$) o Canvas Brew Kit Roll - Waxed Olive (36 US$)? Si es todo el pedido, solo dígamelo.');
    const item = await turn('La Pocket Espresso Press, es muy complicada', order.session_id);
    expect(item.response).toMatch(/devolución del pedido #10266 está aprobada.*RMA-10266-\d{4}/s);
    // Another conversation: the whole order is over the limit, and goes to review.
    const again = await turn('I want to return something');
    await turn('#10266', again.session_id);
    const whole = await turn('the whole order', again.session_id);
    expect(whole.escalation?.reason).toBe('return_over_limit');
  }, 60_000);

  it('a return question later in a conversation about an order, or a thank-you while choosing items, approves nothing', async () => {
    const p = await platform('2026-11-26T10:00:00-08:00');
    const ava = 'ava.martinez@example.net';
    const turn = async (message: string, session_id?: string) =>
      (await chat(p.url, { message, customer_email: ava, ...(session_id ? { session_id } : {}) })).json as { response: string; session_id: string; escalated: boolean };
    const status = await turn('Where is my order #10266?');
    const question = await turn('How long do I have to return something?', status.session_id);
    expect(question.response).not.toMatch(/RMA-/);
    expect(question.escalated).toBe(false);
    const start = await turn('I want to return something', status.session_id);
    expect(start.response).toMatch(/Which items from order #10266/);
    const thanks = await turn("Thanks, that's all for now", start.session_id);
    expect(thanks.response).not.toMatch(/RMA-|approved/);
    expect(thanks.escalated).toBe(false);
  }, 60_000);

  it('does not approve the return of a line already refunded', async () => {
    const p = await platform('2026-11-26T10:00:00-08:00');
    const tea = p.mockState.order('#10268')!.line_items!.find((l) => /Black Tea/.test(String(l.title)))!;
    p.mockState.updateOrder('#10268', {
      financial_status: 'partially_refunded',
      refunds: [
        {
          id: 1,
          created_at: '2026-11-22T10:00:00-08:00',
          processed_at: '2026-11-22T10:00:00-08:00',
          refund_line_items: [{ line_item_id: tea.id, quantity: 1, subtotal: '13.00', total_tax: '0.00' }],
          transactions: [{ kind: 'refund', status: 'success', amount: '13.00' }],
        },
      ],
    });
    const r = await ask(p.url, 'I want to return the Cinderfell Breakfast Black Tea from order #10268', 'hannah.lindqvist@example.com');
    expect(r.response).not.toMatch(/RMA-/);
    expect(r.response).toMatch(/already been refunded/);
  }, 60_000);
});
