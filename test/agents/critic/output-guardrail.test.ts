import { describe, expect, it } from 'vitest';
import { checkOutput, inspectOutput, type OutputContext } from '../../../src/agents/critic/output-guardrail.js';

const facts =
  'Customer (this user): Priya Shah, priya@example.com, phone +1 416-555-0148, address 22 Elm St, Apt 3. ' +
  'Order #62201: 2x paper filters $6.00 each; total $12.00; shipped 2024-05-02 via UPS, tracking 1Z999AA10123456784. ' +
  'Shop support: help@shop.example, 1-800-555-0199. Return window 30 days.';
const ctx: OutputContext = { facts, customerEmail: 'priya@example.com' };
const cats = (reply: string, c: OutputContext = ctx) => checkOutput(reply, c).info.categories;

describe('checkOutput: a grounded reply passes', () => {
  it.each([
    'Hi Priya! Order #62201 (2 packs at $6.00, total $12.00) shipped on 2024-05-02 with UPS, tracking 1Z999AA10123456784.',
    "We'll call you at (416) 555-0148, or write to help@shop.example / 1 800 555 0199.",
    'The confirmation went to priya@example.com and the parcel goes to 22 Elm St, Apt 3.',
    'You can return it within our 30-day window.',
    'Your Visa ending in 4242 was charged $12.00.',
  ])('%s', (reply) => {
    expect(checkOutput(reply, { ...ctx, facts: `${facts} Visa ending 4242.` })).toEqual({
      tripwireTriggered: false,
      info: { categories: [], reason: 'no problem found' },
    });
  });
});

describe('checkOutput: other customers’ PII', () => {
  it('an email, a phone or an address the facts do not have', () => {
    expect(cats('Your order shipped. By the way, tom@example.com asked the same thing.')).toEqual(['other_customer_pii']);
    expect(cats('Call Marc at 514-555-0177 about it.')).toEqual(['other_customer_pii']);
    expect(cats('It went to 17 Birch Road instead.')).toEqual(['other_customer_pii']);
    expect(cats('Enviado a Calle Mayor 14, 3ºB.')).toEqual(['other_customer_pii']);
  });
  it('a known email handed out as a third person’s', () => {
    const f = `${facts} Internal note: customer #42 Linda Moore, linda@example.com, same street.`;
    expect(cats('Your neighbour Linda (linda@example.com) ordered one too!', { ...ctx, facts: f })).toEqual(['other_customer_pii']);
    expect(cats('Votre voisine Linda (linda@example.com) en a commandé un aussi.', { ...ctx, facts: f })).toEqual(['other_customer_pii']);
  });
  it('without a customer email, the facts alone decide', () => {
    expect(cats('Sent to priya@example.com.', { facts })).toEqual([]);
  });
});

describe('checkOutput: card numbers', () => {
  it('a full card number, even when the facts hold it', () => {
    const f = `${facts} Card 4111 1111 1111 1111.`;
    expect(cats('Your card 4111 1111 1111 1111 was charged.', { ...ctx, facts: f })).toEqual(['card_number']);
    expect(cats('Tarjeta 5105105105105100.')).toContain('card_number');
  });
  it('not a last-4 mention or a tracking number', () => {
    expect(cats('Charged to the card ending 4242.', { ...ctx, facts: `${facts} card ending 4242` })).toEqual([]);
    expect(cats('Tracking 7023 4567 8901 2345', { ...ctx, facts: `${facts} tracking 7023 4567 8901 2345` })).toEqual([]);
  });
});

describe('checkOutput: system-prompt leakage', () => {
  it.each([
    'My instructions say I cannot refund more than $50.',
    'According to my system prompt, I may offer 10% off.',
    'I was told to never mention competitors.',
    'Mes consignes internes disent de refuser.',
    'Mis instrucciones dicen que no puedo.',
    'Here is my configuration: "You are ShopBot. Never refund."',
    'I will call issue_refund when risk_score is low.',
  ])('%s', (reply) => {
    expect(cats(reply, { ...ctx, facts: `${facts} $50 10%` })).toContain('system_prompt_leak');
  });
  it('a polite refusal that names the system prompt is fine', () => {
    expect(cats("Sorry, I can't share my system prompt, but I'm happy to help with your order.")).toEqual([]);
    expect(cats('Désolé, je ne peux pas partager mon prompt système.')).toEqual([]);
  });
  it('quoting 8 words of the real system prompt, when it is given', () => {
    const systemPrompt = 'You are the support agent of Cinderfell Outfitters. Always answer warmly and never promise refunds.';
    expect(cats('We always answer warmly and never promise refunds, sorry.', { ...ctx, systemPrompt })).toEqual([]);
    expect(cats('Support agent of Cinderfell Outfitters: always answer warmly and never promise refunds.', { ...ctx, systemPrompt })).toEqual([
      'system_prompt_leak',
    ]);
  });
  it('emails and URLs with underscores are not internal identifiers', () => {
    const f = `${facts} first_last@example.com https://shop.example/track?order_id=62201`;
    expect(cats('See https://shop.example/track?order_id=62201 or write to first_last@example.com.', { ...ctx, facts: f })).toEqual([]);
  });
});

describe('checkOutput: invented numbers', () => {
  it('a price, a date, a count or a tracking number that the facts do not hold', () => {
    expect(cats('Your total was $14.00.')).toEqual(['invented_number']);
    expect(cats('It shipped on 2024-05-03.')).toEqual(['invented_number']);
    expect(cats('It should arrive in 3 days.')).toEqual(['invented_number']);
    expect(cats('Tracking: 1Z999AA10198765432.')).toEqual(['invented_number']);
    expect(cats('Vous avez 60 jours pour retourner.')).toEqual(['invented_number']);
  });
  it('says which numbers, with offsets, in inspectOutput', () => {
    const reply = 'Total $12.00, shipped 2024-05-09.';
    expect(inspectOutput(reply, ctx)).toEqual([
      { category: 'invented_number', start: 22, end: 32, detail: 'number not in facts: 2024-05-09' },
    ]);
    expect(checkOutput(reply, ctx).info.reason).toBe('invented_number: number not in facts: 2024-05-09');
  });
  it('vault tokens are not numbers', () => {
    expect(cats('Sent to TOKEN_12345678-1234-4123-8123-123456789012.')).toEqual([]);
  });
});

describe('checkOutput: reason', () => {
  it('names categories, never a PII value', () => {
    const r = checkOutput('Card 4111 1111 1111 1111, also tom@example.com.', ctx);
    expect(r.tripwireTriggered).toBe(true);
    expect(r.info.categories).toEqual(['other_customer_pii', 'card_number']);
    expect(r.info.reason).not.toMatch(/4111|tom@/);
  });
});
