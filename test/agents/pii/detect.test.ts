import { describe, expect, it } from 'vitest';
import {
  detectPii,
  dniValid,
  isCardNumber,
  isValidIban,
  luhnValid,
  nieValid,
  nirValid,
  sinValid,
  ssnValid,
  type PiiKind,
} from '../../../src/agents/pii/detect.js';

const found = (text: string) => detectPii(text).map((e) => [e.kind, e.value] as [PiiKind, string]);
const kinds = (text: string) => detectPii(text).map((e) => e.kind);

describe('detectPii: offsets', () => {
  it('returns UTF-16 offsets into the original text, so slice(start, end) is the value', () => {
    const text = '😀 Écrivez à zoé.l@example.fr ou appelez le 06 12 34 56 78 🙂';
    const entities = detectPii(text);
    expect(entities.map((e) => e.kind)).toEqual(['email', 'phone']);
    for (const e of entities) expect(text.slice(e.start, e.end)).toBe(e.value);
    expect(entities[0]!.start).toBe(text.indexOf('zoé.l@'));
    expect(entities[1]!.end).toBe(text.indexOf(' 🙂'));
  });

  it('sorts entities by offset and never returns overlaps', () => {
    const text = 'card 4111 1111 1111 1111, mail a@b.co, ssn 123-45-6789, ip 10.0.0.1';
    const entities = detectPii(text);
    for (let i = 1; i < entities.length; i++) expect(entities[i]!.start).toBeGreaterThanOrEqual(entities[i - 1]!.end);
    expect(entities.map((e) => e.kind)).toEqual(['card', 'email', 'national_id', 'ip']);
  });

  it('can be limited to some kinds', () => {
    expect(detectPii('a@b.co 514-555-0123', { kinds: ['phone'] }).map((e) => e.kind)).toEqual(['phone']);
  });

  it('ignores vault tokens already in the text', () => {
    expect(detectPii('reach TOKEN_12345678-1234-4123-8123-123456789012 now')).toEqual([]);
  });
});

describe('detectPii: email', () => {
  it('finds addresses with sub-domains, plus tags and dots', () => {
    expect(found('Write to john.doe+shop@mail.example.co.uk, or J_Smith@example.com.')).toEqual([
      ['email', 'john.doe+shop@mail.example.co.uk'],
      ['email', 'J_Smith@example.com'],
    ]);
  });
  it('does not take a handle or a domain alone', () => {
    expect(kinds('follow @cinderfell on example.com')).toEqual([]);
  });
  it("takes an apostrophe inside the local part, not a quote around the address", () => {
    expect(found("mail o'brien@example.com or 'ana@example.com'")).toEqual([
      ['email', "o'brien@example.com"],
      ['email', 'ana@example.com'],
    ]);
  });
});

describe('detectPii: phone', () => {
  it.each([
    ['US/CA national with dashes', 'call 514-555-0123 today', '514-555-0123'],
    ['US with parentheses', 'my cell is (503) 555-0114.', '(503) 555-0114'],
    ['NANP with country code', 'text +1 416-555-0148', '+1 416-555-0148'],
    ['US toll free', 'support 1-800-555-0199', '1-800-555-0199'],
    ['France national', 'au 06 12 34 56 78 svp', '06 12 34 56 78'],
    ['France international', 'ou +33 1 23 45 67 89', '+33 1 23 45 67 89'],
    ['Spain national', 'llámame al 612 555 019', '612 555 019'],
    ['Spain international', 'mi móvil +34 612 555 019', '+34 612 555 019'],
    ['Mexico national', 'Mi teléfono es 55 1234 5678', '55 1234 5678'],
    ['00 international prefix', 'tel 0033 6 12 34 56 78', '0033 6 12 34 56 78'],
  ])('%s', (_name, text, value) => {
    expect(found(text)).toEqual([['phone', value]]);
  });

  it('drops a short number glued to a phone ("… 2 times", a PIN)', () => {
    expect(found('call 514-555-0123 2 times')).toEqual([['phone', '514-555-0123']]);
    expect(found('call 514-555-0123 1234')).toEqual([['phone', '514-555-0123']]);
  });

  it('takes a number followed by its extension ("x12")', () => {
    expect(found('call +1-514-555-0123x12')).toEqual([['phone', '+1-514-555-0123']]);
  });

  it.each([
    ['order number', 'order #1023456789 is late'],
    ['prefixed order number', 'ORD-5145550123 please'],
    ['date', 'shipped 2024-05-02 and due 05/12/2024'],
    ['price', 'it cost $1,234.56 or 1 234,56 €'],
    ['short number', 'ticket 10234'],
    ['invalid national number', 'ref 123 456 789 0'],
    ['USPS tracking', '9400111899223345678901'],
  ])('not for a %s', (_name, text) => {
    expect(kinds(text)).not.toContain('phone');
  });
});

describe('detectPii: card', () => {
  it.each([
    ['Visa grouped', '4111 1111 1111 1111'],
    ['Visa dashes', '4242-4242-4242-4242'],
    ['Visa 13 digits', '4222222222222'],
    ['Visa 19 digits', '4111111111111111110'],
    ['Mastercard', '5555555555554444'],
    ['Mastercard 2-series', '2223003122003222'],
    ['Amex 4-6-5', '3782 822463 10005'],
    ['Discover', '6011111111111117'],
  ])('finds a %s', (_name, value) => {
    expect(found(`paid with ${value}.`)).toEqual([['card', value]]);
  });

  it('needs a valid Luhn check digit', () => {
    expect(kinds('paid with 4111 1111 1111 1112')).not.toContain('card');
  });

  it('does not take carrier tracking numbers: UPS, Canada Post (Luhn fails or no card issuer)', () => {
    expect(kinds('UPS 1Z999AA10123456784, Postes Canada 7023 4567 8901 2345, 7023456789012343')).toEqual([]);
  });

  it.each([
    ['its expiry date', 'My card is 4111 1111 1111 1111 12/26 cvv 123', '4111 1111 1111 1111'],
    ['its CVV', 'card 4111111111111111 123', '4111111111111111'],
    ['its expiry as digits', 'pay with 5555555555554444 1225', '5555555555554444'],
    ['an order number before it', 'order 10234 4111 1111 1111 1111', '4111 1111 1111 1111'],
    ['dots between the groups', 'card 4111.1111.1111.1111', '4111.1111.1111.1111'],
    ['two spaces between the groups', 'card 4111  1111  1111  1111', '4111  1111  1111  1111'],
    ['a word glued to it', 'card4111111111111111', '4111111111111111'],
  ])('finds a card followed or preceded by %s', (_name, text, value) => {
    expect(found(text).filter(([kind]) => kind === 'card')).toEqual([['card', value]]);
  });

  it('does not take part of a longer grouped number without a card issuer (USPS tracking)', () => {
    expect(kinds('USPS 9400 1000 0000 0000 0000 00 and 9205 5000 0000 0000 0000 00 arrived')).not.toContain('card');
  });

  it('ignores last-4 mentions', () => {
    expect(kinds('Visa ending in 4242, Mastercard •••• 4444')).toEqual([]);
  });
});

describe('detectPii: iban', () => {
  it.each(['FR14 2004 1010 0505 0001 3M02 606', 'GB82WEST12345698765432', 'ES91 2100 0418 4502 0005 1332', 'de89 3704 0044 0532 0130 00'])(
    'finds %s',
    (value) => {
      expect(found(`IBAN: ${value}.`)).toEqual([['iban', value]]);
    },
  );
  it('rejects a wrong check digit and non-IBAN countries', () => {
    expect(kinds('FR15 2004 1010 0505 0001 3M02 606')).not.toContain('iban');
    expect(kinds('tracking CA123456789FR')).toEqual([]);
  });
  it('stops at the length of the country (words after it are not swallowed)', () => {
    expect(found('GB82 WEST 1234 5698 7654 32 IS MY IBAN')).toEqual([['iban', 'GB82 WEST 1234 5698 7654 32']]);
  });
});

describe('detectPii: national IDs', () => {
  it.each([
    ['US SSN', 'SSN 123-45-6789', '123-45-6789', 'us_ssn'],
    ['US SSN after its name, no dashes', 'my social security number is 123456789', '123456789', 'us_ssn'],
    ['Canadian SIN', 'NAS 046 454 286', '046 454 286', 'ca_sin'],
    ['Spanish DNI', 'DNI 12345678Z', '12345678Z', 'es_dni'],
    ['Spanish DNI with dash', 'dni 87654321-X', '87654321-X', 'es_dni'],
    ['Spanish NIE', 'NIE Y1234567X', 'Y1234567X', 'es_nie'],
    ['French NIR spaced', 'NIR 1 84 12 76 451 089 46', '1 84 12 76 451 089 46', 'fr_nir'],
    ['French NIR, Corsica', 'sécu 185052A12345633', '185052A12345633', 'fr_nir'],
  ])('%s', (_name, text, value, subtype) => {
    const e = detectPii(text);
    expect(e.map((x) => [x.kind, x.value, x.subtype])).toEqual([['national_id', value, subtype]]);
  });

  it.each([
    ['SSN area 000', '000-12-3456'],
    ['SSN area 666', '666-12-3456'],
    ['SSN area 9xx', '912-34-5678'],
    ['SIN failing Luhn', '046 454 287'],
    ['DNI with the wrong letter', '12345678A'],
    ['NIE with the wrong letter', 'X1234567A'],
    ['NIR with the wrong key', '1 84 12 76 451 089 47'],
    ['bare 9 digits without a keyword', 'ref 123456789'],
    ['8 digits then the word "y" (DNI letter Y)', 'pedidos 10000015 y 10000016'],
  ])('rejects %s', (_name, text) => {
    expect(kinds(text)).not.toContain('national_id');
  });
});

describe('detectPii: street addresses', () => {
  it.each([
    ['en', 'Ship to 123 Main St, Apt 4 please', '123 Main St, Apt 4'],
    ['en, full suffix', 'I live at 88 Cedar Lane, Springfield', '88 Cedar Lane'],
    ['en, lower case', 'send it to 22 elm st thanks', '22 elm st'],
    ['en, ordinal street', '500 West 5th Avenue', '500 West 5th Avenue'],
    ['fr', 'au 12 rue de la Paix, Paris', '12 rue de la Paix'],
    ['fr Québec', 'au 1234, rue Sainte-Catherine Ouest', '1234, rue Sainte-Catherine Ouest'],
    ['fr boulevard', '45 boulevard Saint-Germain', '45 boulevard Saint-Germain'],
    ['es', 'vivo en Calle Mayor 5', 'Calle Mayor 5'],
    ['es with floor', 'Calle Mayor 14, 3ºB, Madrid', 'Calle Mayor 14, 3ºB'],
    ['es Mexico', 'en Av. Reforma 222, CDMX', 'Av. Reforma 222'],
    ['es avenida', 'Avenida de la Constitución 12', 'Avenida de la Constitución 12'],
  ])('%s', (_name, text, value) => {
    expect(found(text)).toEqual([['street_address', value]]);
  });

  it.each([
    'I waited 30 minutes down the road',
    'Both machines use a 15 bar pump and a 2 L tank',
    'Order #44120 has 2 packs of paper filters (100 ct)',
    'laissez le colis chez le voisin au 12',
    'Llega el 12 de mayo',
  ])('not in: %s', (text) => {
    expect(kinds(text)).not.toContain('street_address');
  });
});

describe('detectPii: ip', () => {
  it('finds IPv4 and IPv6', () => {
    expect(found('from 192.168.1.20 and 2001:db8::8a2e:370:7334 and ::ffff:10.0.0.1')).toEqual([
      ['ip', '192.168.1.20'],
      ['ip', '2001:db8::8a2e:370:7334'],
      ['ip', '::ffff:10.0.0.1'],
    ]);
  });
  it('not versions, times, out-of-range octets or MAC addresses', () => {
    expect(kinds('firmware v1.2.3.4, version 2.0.0.1, at 14:32:10, 300.1.1.1, 00:1A:2B:3C:4D:5E')).toEqual([]);
  });
});

describe('detectPii: what is not PII', () => {
  it('order numbers, prices, dates, percentages, tracking numbers', () => {
    const text =
      'Order #10234 (ORD-10234) cost $1,234.56 — 129,99 € — on 2024-05-02, 12/05/2024 at 14:32, 20% off, 2,150 points, ' +
      'UPS 1Z999AA10123456784, USPS 9400111899223345678901, Postes Canada 7023 4567 8901 2345, gift card GC-4471.';
    expect(detectPii(text)).toEqual([]);
  });
});

describe('validators', () => {
  it('luhn', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a4')).toBe(false);
  });
  it('card numbers need an issuer prefix, 13–19 digits and Luhn', () => {
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('7023456789012343')).toBe(false); // Luhn-valid, no card issuer
    expect(isCardNumber('411111111111')).toBe(false); // 12 digits
    expect(isCardNumber('41111111111111111111')).toBe(false); // 20 digits
    expect(isCardNumber('378282246310006')).toBe(false); // Amex with a bad check digit
    expect(isCardNumber('378282246310005')).toBe(true);
  });
  it('iban', () => {
    expect(isValidIban('FR14 2004 1010 0505 0001 3M02 606')).toBe(true);
    expect(isValidIban('fr1420041010050500013m02606')).toBe(true);
    expect(isValidIban('FR1420041010050500013M0260')).toBe(false); // one character short
    expect(isValidIban('GB82WEST12345698765433')).toBe(false);
    expect(isValidIban('US12345678901234')).toBe(false);
  });
  it('dni / nie', () => {
    for (const v of ['00000000T', '99999999R', '87654321X', '12345678z']) expect(dniValid(v), v).toBe(true);
    for (const v of ['00000000R', '1234567Z', '123456789Z']) expect(dniValid(v), v).toBe(false);
    for (const v of ['X1234567L', 'X7654321J', 'Y1234567X', 'Y7654321G', 'Z1234567R', 'Z7654321H']) expect(nieValid(v), v).toBe(true);
    for (const v of ['X1234567X', 'W1234567L', 'Z1234567L']) expect(nieValid(v), v).toBe(false);
  });
  it('nir key mod 97, Corsica as 19/18, month ranges', () => {
    for (const v of ['269059935002981', '184017645108964', '185052A12345633', '285122B09876578', '1 84 12 76 451 089 46']) {
      expect(nirValid(v), v).toBe(true);
    }
    expect(nirValid('269059935002982')).toBe(false);
    expect(nirValid('185052B12345633')).toBe(false); // 2A and 2B give different keys
    expect(nirValid('569059935002981')).toBe(false); // first digit
    expect(nirValid('1841376451089xx')).toBe(false);
  });
  it('sin and ssn', () => {
    expect(sinValid('130 214 562')).toBe(true);
    expect(sinValid('900000001')).toBe(true);
    expect(sinValid('130214563')).toBe(false);
    expect(sinValid('800000002')).toBe(false);
    expect(ssnValid('123-45-6789')).toBe(true);
    expect(ssnValid('123-00-6789')).toBe(false);
    expect(ssnValid('123-45-0000')).toBe(false);
  });
});

describe('detectPii: where matches can start', () => {
  it('finds an email from the start of its local part, up to 64 characters, astral letters included', () => {
    const local64 = 'a'.repeat(64);
    const local65 = 'b'.repeat(65);
    expect(found(`Write to ${local64}@example.com or ${local65}@example.com`)).toEqual([['email', `${local64}@example.com`]]);
    expect(found('mail 𝐚𝐛c@example.com and @example.com and x.@y.com')).toEqual([['email', '𝐚𝐛c@example.com']]);
  });

  it('finds Spanish addresses whatever stands between the street type and the number', () => {
    expect(found('Envíalo a C/ Mayor, 5, 2º B')).toEqual([['street_address', 'C/ Mayor, 5, 2º B']]);
    expect(found('Vivo en Prolongación Reforma 1234, CDMX')).toEqual([['street_address', 'Prolongación Reforma 1234']]);
    expect(found('Calle Mayor no 5 por favor')).toEqual([['street_address', 'Calle Mayor no 5']]);
    expect(found('Paseo de la Castellana nº 100')).toEqual([['street_address', 'Paseo de la Castellana nº 100']]);
  });

  it('finds an address, an IP and phones after punctuation, and nothing in an order number and a date', () => {
    expect(found('{"address":"123 Main Street","zip":"97201"}')).toEqual([['street_address', '123 Main Street']]);
    expect(found('Server 10.0.0.1, v1.2.3.4 and fe80::1ff:fe23:4567:890a')).toEqual([
      ['ip', '10.0.0.1'],
      ['ip', 'fe80::1ff:fe23:4567:890a'],
    ]);
    expect(found('call (514) 555-0123 or 5 514-555-0123')).toEqual([
      ['phone', '(514) 555-0123'],
      ['phone', '514-555-0123'],
    ]);
    expect(found('order #10234 shipped 2024-06-14')).toEqual([]);
  });
});
