// Locale-aware formatting for replies: money, dates, counts and lists. Intl objects are cached, since composeReply
// runs on every request.
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

const cache = new Map<string, Formatter>();

export function formatterFor(locales: Locales, currency: string): Formatter {
  const key = `${locales.number}|${locales.date}|${locales.list}|${currency}`;
  let f = cache.get(key);
  if (!f) {
    f = buildFormatter(locales, currency);
    cache.set(key, f);
  }
  return f;
}

function buildFormatter(locales: Locales, defaultCurrency: string): Formatter {
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string, whole: boolean): Intl.NumberFormat | undefined => {
    const k = `${currency}|${whole ? 0 : 2}`;
    let nf = moneyFormats.get(k);
    if (!nf) {
      try {
        nf = new Intl.NumberFormat(locales.number, {
          style: 'currency',
          currency,
          minimumFractionDigits: whole ? 0 : 2,
          maximumFractionDigits: whole ? 0 : 2,
        });
      } catch {
        return undefined; // not an ISO 4217 code
      }
      moneyFormats.set(k, nf);
    }
    return nf;
  };
  const countFormat = new Intl.NumberFormat(locales.number, { maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat(locales.date, { dateStyle: 'long', timeZone: 'UTC' });
  const andFormat = new Intl.ListFormat(locales.list, { type: 'conjunction', style: 'long' });
  const orFormat = new Intl.ListFormat(locales.list, { type: 'disjunction', style: 'long' });

  return {
    money(amount, currency = defaultCurrency) {
      const rounded = Math.round(amount * 100) / 100;
      const whole = Number.isInteger(rounded);
      const nf = moneyFormat(currency.toUpperCase(), whole);
      return nf ? nf.format(rounded) : `${countFormat.format(rounded)} ${currency}`;
    },
    date(iso) {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)) : new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
    },
    count: (n) => countFormat.format(n),
    and: (items) => andFormat.format(items),
    or: (items) => orFormat.format(items),
  };
}
