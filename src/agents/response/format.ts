// Locale-aware formatting for replies: money, dates, counts and lists. Intl objects and what they format are cached,
// since composeReply runs on every request.
import type { Locales } from './messages/types.js';

export interface Formatter {
  /** Whole amounts without decimals ("$150"), others with two ("$24.99"). */
  money(amount: number, currency?: string): string;
  /**
   * The calendar date of an ISO timestamp as the store wrote it (the date part before the "T", in the store's own
   * offset), so "2026-11-01T10:34:00-08:00" is always November 1 whatever the server's time zone.
   */
  date(iso: string): string;
  count(n: number): string;
  and(items: string[]): string;
  or(items: string[]): string;
}

// By the catalogue's Locales object (one per language) and currency: no key to build on every request.
const cache = new WeakMap<Locales, Map<string, Formatter>>();

export function formatterFor(locales: Locales, currency: string): Formatter {
  let byCurrency = cache.get(locales);
  if (!byCurrency) {
    byCurrency = new Map();
    cache.set(locales, byCurrency);
  }
  let f = byCurrency.get(currency);
  if (!f) {
    f = buildFormatter(locales, currency);
    byCurrency.set(currency, f);
  }
  return f;
}

function buildFormatter(locales: Locales, defaultCurrency: string): Formatter {
  const countFormat = new Intl.NumberFormat(locales.number, { maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat(locales.date, { dateStyle: 'long', timeZone: 'UTC' });
  const andFormat = new Intl.ListFormat(locales.list, { type: 'conjunction', style: 'long' });
  const orFormat = new Intl.ListFormat(locales.list, { type: 'disjunction', style: 'long' });

  const count = memoized((n: number) => countFormat.format(n));
  const moneyIn = new Map<string, (rounded: number) => string>();
  const moneyOf = (currency: string): ((rounded: number) => string) => {
    let f = moneyIn.get(currency);
    if (!f) {
      f = memoized(moneyFormatter(locales, currency, count));
      moneyIn.set(currency, f);
    }
    return f;
  };

  return {
    money: (amount, currency = defaultCurrency) => moneyOf(currency)(Math.round(amount * 100) / 100),
    date: memoized((iso: string) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)) : new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
    }),
    count,
    and: memoized((items: string[]) => andFormat.format(items), listKey),
    or: memoized((items: string[]) => orFormat.format(items), listKey),
  };
}

/** Whole amounts (already rounded to cents) without decimals, others with two; an unknown code after the number. */
function moneyFormatter(locales: Locales, currency: string, count: (n: number) => string): (rounded: number) => string {
  const code = currency.toUpperCase();
  const format = (whole: boolean): Intl.NumberFormat | undefined => {
    try {
      const digits = whole ? 0 : 2;
      return new Intl.NumberFormat(locales.number, { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      return undefined; // not an ISO 4217 code
    }
  };
  const whole = format(true);
  const cents = format(false);
  return (rounded) => {
    const nf = Number.isInteger(rounded) ? whole : cents;
    return nf ? nf.format(rounded) : `${count(rounded)} ${currency}`;
  };
}

/** The items joined by NUL, or undefined (not cached) when that would not tell two lists apart. */
function listKey(items: string[]): string | undefined {
  for (const s of items) if (typeof s !== 'string' || s.includes('\0')) return undefined;
  return items.join('\0');
}

// Intl formatting costs microseconds a call, and replies repeat the same prices, dates and lists. A reply makes a
// dozen of these lookups, so a plain Map (emptied when full) rather than an LRU, whose bookkeeping costs as much.
const MEMO_SIZE = 4096;

function memoized<T, K extends string | number>(
  format: (value: T) => string,
  keyOf: (value: T) => K | undefined = (v) => v as unknown as K,
): (value: T) => string {
  const cache = new Map<K, string>();
  return (value) => {
    const key = keyOf(value);
    // A Map key -0 is 0, but Intl writes "-0".
    if (key === undefined || Object.is(key, -0)) return format(value);
    let s = cache.get(key);
    if (s === undefined) {
      s = format(value);
      if (cache.size >= MEMO_SIZE) cache.clear();
      cache.set(key, s);
    }
    return s;
  };
}
