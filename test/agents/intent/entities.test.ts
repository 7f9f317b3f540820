import { describe, expect, it } from 'vitest';
import { extractEntities, indexProducts, parseAmount } from '../../../src/agents/intent/entities.js';
import type { Language } from '../../../src/agents/runtime/contracts.js';
import { demoProducts } from './helpers.js';

const ctx = { products: indexProducts(demoProducts()) };
const ents = (text: string, lang: Language = 'en') => extractEntities(text, lang, ctx);

describe('order numbers', () => {
  it.each([
    ['where is #10234?', 'en'],
    ['# 10234 still not here', 'en'],
    ['ORD-10234 hasnt arrived', 'en'],
    ['is ord 10234 shipped', 'en'],
    ['any news on order 10234', 'en'],
    ['my order number is 10234', 'en'],
    ['order no. 10234', 'en'],
    ['Order #10234 please', 'en'],
    ['ma commande 10234 est en retard', 'fr'],
    ['numéro de commande : 10234', 'fr'],
    ['commande n° 10234', 'fr'],
    ['el pedido 10234 no llega', 'es'],
    ['pedido número 10234', 'es'],
    ['número de pedido 10234', 'es'],
    ['mi orden es 10234', 'es'],
  ] as [string, Language][])('%s -> 10234', (text, lang) => {
    expect(ents(text, lang).orderNumbers).toEqual(['10234']);
  });

  it('finds several and keeps the order of appearance', () => {
    expect(ents('orders #10234 and #10241').orderNumbers).toEqual(['10234', '10241']);
  });

  it.each([
    'call me at +1 415 555 0142',
    'please update the phone number on my order to 555-0142',
    'I paid $10234 for my order',
    'the order was 1299 $',
    'I have been a customer since 2019',
    'zip code 90210',
    'code postal H2X 1Y4',
    'return RMA-2231 was received',
    'faites remonter le dossier #4521',
    'ticket #88213 is still open',
    'gift card GC-7731-QRS is invalid',
    'my order of 2500 units',
    'order 500 bags for our cafe',
    'apt #1203, 55 rue Sainte-Catherine',
  ])('takes no order number from: %s', (text) => {
    expect(ents(text).orderNumbers).toEqual([]);
  });
});

describe('emails and phones', () => {
  it('finds emails, lowercased', () => {
    expect(ents('reach me at Sam.Lee+shop@Example.com or dana@example.org.').emails).toEqual(['sam.lee+shop@example.com', 'dana@example.org']);
  });

  it.each([
    ['call me at +1 415 555 0142', 'en', '+14155550142'],
    ['(415) 555-0142 is my cell', 'en', '+14155550142'],
    ['mon numéro est 514-555-0199', 'fr', '+15145550199'],
    ['appelez-moi au 01 99 00 12 34', 'fr', '+33199001234'],
    ['+33 1 99 00 12 34', 'fr', '+33199001234'],
    ['mi cel es 55 1234 5678', 'es', '+525512345678'],
    ['llámenme al +34 612 345 678', 'es', '+34612345678'],
  ] as [string, Language, string][])('%s -> %s', (text, lang, phone) => {
    const e = ents(text, lang);
    expect(e.phones).toEqual([phone]);
    expect(e.orderNumbers).toEqual([]);
  });

  it('keeps a 7-digit national number given after a phone word', () => {
    expect(ents('please update the phone number on my order to 555-0142').phones).toEqual(['5550142']);
  });

  it('reads a phone among other numbers, and none in a run of single digits or of repeated groups', () => {
    expect(ents('order 10234, ref 5566 7788, call me at +1 415 555 0142 after 5 pm, $45.50').phones).toEqual(['+14155550142']);
    expect(ents('ref 1 2 3 415-555-0142').phones).toEqual(['+14155550142']);
    expect(ents('orders 10234567 10234568 10234569 10234570 415-555-0142').phones).toEqual(['+14155550142']);
    expect(ents('1 '.repeat(2048).trim()).phones).toEqual([]);
    expect(ents('12 '.repeat(1365).trim(), 'fr').phones).toEqual([]);
  });

  it('does not read order numbers or amounts as phones', () => {
    expect(ents('order #10234 cost $45.50').phones).toEqual([]);
    expect(ents('ORD-10234 and ORD-10241').phones).toEqual([]);
  });
});

describe('amounts', () => {
  it.each([
    ['it was $45', 45],
    ['it was 45 $', 45],
    ['45,50 € de trop', 45.5],
    ['45 dollars', 45],
    ['45 dólares', 45],
    ['$1,299.99 for a machine?', 1299.99],
    ['1 299,99 $ pour une machine', 1299.99],
    ['€45', 45],
    ['USD 45', 45],
    ['$5.000 pesos de descuento', 5000],
  ] as [string, number][])('%s -> %d', (text, amount) => {
    expect(ents(text).amounts).toEqual([amount]);
  });

  it('ignores numbers without a currency', () => {
    expect(ents('what is 15% of 80').amounts).toEqual([]);
    expect(ents('order 10234 has 3 items').amounts).toEqual([]);
  });

  it('keeps an amount right after an order number', () => {
    const e = ents('ORD-10234 $45 refund');
    expect(e.orderNumbers).toEqual(['10234']);
    expect(e.amounts).toEqual([45]);
  });

  it('parses separators', () => {
    expect(parseAmount('1.299,99')).toBe(1299.99);
    expect(parseAmount('1,299.99')).toBe(1299.99);
    expect(parseAmount('45,5')).toBe(45.5);
    expect(parseAmount('5.000')).toBe(5000);
  });
});

describe('products', () => {
  it.each([
    ['my burr grinder is jammed', 'en', ['Hearthline Electric Burr Grinder']],
    ['the Summit grinder', 'en', ['Summit Hand Grinder']],
    ['mon moulin manuel', 'fr', ['Summit Hand Grinder']],
    ['la bouilloire électrique col de cygne', 'fr', ['Ember Electric Gooseneck Kettle']],
    ['FRENCH PRESS lid', 'en', ['Basecamp Insulated French Press']],
    ['la prensa francesa', 'es', ['Basecamp Insulated French Press']],
    ['Lumen machine or Foundry moka?', 'en', ['Foundry Stovetop Espresso Maker', 'Lumen Home Espresso Machine']],
    ['Summit grinder vs Hearthline', 'en', ['Summit Hand Grinder', 'Hearthline Electric Burr Grinder']],
    ['le théière en fonte', 'fr', ['Hollow Pine Cast Iron Teapot 0.8 L']],
  ] as [string, Language, string[]][])('%s -> %j', (text, lang, titles) => {
    expect(ents(text, lang).products).toEqual(titles);
  });

  it.each(['the grinder is loud', 'my gooseneck kettle', 'I am home', 'I love your coffee', 'where is my order'])(
    'names no product when ambiguous or generic: %s',
    (text) => {
      expect(ents(text).products).toEqual([]);
    },
  );

  it('works with an empty catalogue', () => {
    expect(extractEntities('my burr grinder', 'en', { products: indexProducts([]) }).products).toEqual([]);
  });
});
