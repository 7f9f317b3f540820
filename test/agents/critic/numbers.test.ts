import { describe, expect, it } from 'vitest';
import { extractNumbers, unsupportedNumbers } from '../../../src/agents/critic/numbers.js';

const unsupported = (reply: string, facts: string) => unsupportedNumbers(reply, facts).map((n) => n.raw);

describe('the numbers rule: every number in the reply is in the facts', () => {
  it.each([
    ['currency symbol and position', 'It costs $24.99.', 'price 24.99'],
    ['French decimal comma', 'Le prix est de 24,99 $.', 'Price: $24.99'],
    ['trailing zeros', 'Total: $79', 'total $79.00'],
    ['thousands separators', 'You have 1,240 points (1 240 pts, 1240).', 'balance: 1240 points'],
    ['Spanish thousands', 'Tienes 10.000 puntos.', 'points 10,000'],
    ['narrow no-break space', 'Vous avez 1\u202F240 points.', 'solde 1,240'],
    ['a number with a unit', '30-day return window, 340g bag, 2x filters, 1st order', '30 days, 340 g, 2 filters, order 1'],
    ['percent', '20 % off', 'discount 20%'],
    ['ranges', 'Delivery takes 3–5 days', 'standard 3-5 business days'],
    ['ISO date against a written date', 'Delivered on 2024-06-14.', 'delivered June 14, 2024'],
    ['written date against an ISO date', 'livrée le 14 juin', 'livraison 2024-06-14'],
    ['Spanish date', 'llega el 3 de marzo de 2025', 'ETA 2025-03-03'],
    ['times', 'Open 9:00-18:00, or 14h30', 'hours 09:00 to 18:00; pickup 14:30'],
    ['card expiry', 'expires 09/27', 'exp 9/27'],
    ['tracking numbers, grouped or not', 'Tracking 7023 4567 8901 2345 / 1Z999AA10123456784', 'tracking 7023456789012345, UPS 1Z999AA10123456784'],
    ['order numbers with prefixes', 'Order #10234 (ORD-10234)', 'order 10234'],
    ['a numbered list', 'Steps:\n1. Unplug.\n2) Descale.', 'descaling steps'],
    ['single digits inside names', 'Our B2B team and the V2 lid', 'B2B desk'],
  ])('%s', (_name, reply, facts) => {
    expect(unsupported(reply, facts)).toEqual([]);
  });

  it.each([
    ['another price', 'It costs $149.00.', 'price $189.00', ['149.00']],
    ['another decimal', 'Refund: 45,50 €', 'refund 54,50 €', ['45,50']],
    ['an invented tracking number', 'tracking 1Z999AA10198765432', 'no tracking yet', ['1Z999AA10198765432']],
    ['another order', 'Order #44130 is out for delivery', 'orders #44120, #44125', ['44130']],
    ['a percentage', 'Enjoy 15% off', 'no promotion', ['15']],
    ['another day', 'delivered on 2024-06-14', 'delivered 2024-06-15', ['2024-06-14']],
    ['another year for the same day', 'on 2023-06-14', 'on 2024-06-14', ['2023-06-14']],
    ['points', 'You have 2,150 points', 'balance 1,240 points', ['2,150']],
    ['a day count', 'Returns within 60 days', '30-day return window', ['60']],
    ['a time', 'pickup at 15:30', 'pickup 14:30', ['15:30']],
  ])('flags %s', (_name, reply, facts, raw) => {
    expect(unsupported(reply, facts)).toEqual(raw);
  });

  describe('units', () => {
    it.each([
      ['a day count against an apartment number', 'arrives in 3 days', 'ship to Apt 3', ['3']],
      ['a day count against a pack count', 'arrives in 2 days', '2x paper filters', ['2']],
      ['money against points', 'that is $15', 'you have 15 points', ['15']],
      ['points against a phone’s digits', 'you earned 555 points', 'call +1 416-555-0148', ['555']],
      ['a percentage against an order number', '20% off', 'order #20', ['20']],
    ])('flags %s', (_name, reply, facts, raw) => {
      expect(unsupported(reply, facts)).toEqual(raw);
    });
    it.each([
      ['same unit in another language', 'within 30 days', 'retour sous 30 jours'],
      ['a unitless fact', 'a 30-day window', 'return window: 30'],
      ['a range carries its unit to its first number', 'in 3-5 business days', 'standard: 3 to 5 days'],
      ['money before or after', '64,00 $', 'price $64'],
      ['an order number is not a quantity', 'order #20', 'order 20 of 20 items'],
    ])('accepts %s', (_name, reply, facts) => {
      expect(unsupported(reply, facts)).toEqual([]);
    });
  });

  it('a yearless date in the facts matches the day in any year; a dated fact does not match another year', () => {
    expect(unsupported('on 2024-06-14', 'delivery 14 June')).toEqual([]);
    expect(unsupported('on 14 June', 'delivery 2024-06-14')).toEqual([]);
  });

  it('skips the spans it is told to skip', () => {
    expect(unsupportedNumbers('call 514-555-0123', '', [{ start: 5, end: 17 }])).toEqual([]);
  });

  it('reports offsets into the reply', () => {
    const [n] = extractNumbers('Total: $1,249.50!');
    expect(n).toMatchObject({ raw: '1,249.50', start: 8, end: 16 });
  });
});

describe('extractNumbers: what starts a number', () => {
  it('reads a number from the letters before it, and a date from the month before it, however far', () => {
    expect(extractNumbers('ref abc123 and v2').map((n) => n.raw)).toEqual(['abc123']);
    expect(extractNumbers('on june   14 and sept.\u00a0\u00a03, 2024').map((n) => [n.raw, n.readings])).toEqual([
      ['june   14', [['md:6-14'], ['mdx:6-14']]],
      ['sept.\u00a0\u00a03, 2024', [['d:2024-9-3'], ['md:9-3']]],
    ]);
  });

  it('reads units and identifiers around a number, and none after JSON punctuation', () => {
    expect(extractNumbers('3 days, $5, Apt 3, #12, 30 %').map((n) => n.unit)).toEqual(['day', 'money', 'id', 'id', 'percent']);
    expect(extractNumbers('{"days":3,"price":5,"apt":3}').map((n) => n.unit)).toEqual(['none', 'none', 'none']);
  });
});
