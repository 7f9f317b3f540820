// Where a shipping question is about: countries the shop ships to, recognised from country, region and city
// names in en/fr/es, so the answer quotes that destination's rates rather than the first table in the guide.
import { foldText } from '../escalation/lexicon.js';

export const DESTINATIONS = {
  canada: {
    country: 'CA',
    names: /\b(?:canada|ontario|quebec|montreal|toronto|vancouver|ottawa|calgary|edmonton|winnipeg|halifax|alberta|manitoba|saskatchewan|british columbia|colombie-britannique|nova scotia|nouvelle-ecosse|new brunswick|nouveau-brunswick|laval|gatineau|sherbrooke)\b/,
    /** How the KB names it, in every language. */
    kb: /canad/i,
    label: { en: 'Canada', fr: 'Canada', es: 'Canadá' },
  },
  mexico: {
    country: 'MX',
    names: /\b(?:mexico|mexique|cdmx|guadalajara|monterrey|puebla|cancun|tijuana|merida|queretaro)\b/,
    kb: /m[eé]xi/i,
    label: { en: 'Mexico', fr: 'Mexique', es: 'México' },
  },
  spain: {
    country: 'ES',
    names: /\b(?:spain|espana|espagne|madrid|barcelona|barcelone|valencia|sevilla|seville|bilbao|malaga|zaragoza)\b/,
    kb: /spain|espa[ñn]|espagne/i,
    label: { en: 'Spain', fr: 'Espagne', es: 'España' },
  },
  france: {
    country: 'FR',
    names: /\b(?:france|francia|paris|lyon|marseille|toulouse|bordeaux|lille|nantes)\b/,
    kb: /france|francia/i,
    label: { en: 'France', fr: 'France', es: 'Francia' },
  },
} as const;

export type Destination = keyof typeof DESTINATIONS;

export function destinationOf(text: string): Destination | undefined {
  const folded = foldText(text);
  for (const [key, d] of Object.entries(DESTINATIONS)) if (d.names.test(folded)) return key as Destination;
  return undefined;
}

/** The destination of an ISO country code (a customer's address), when the shop ships there internationally. */
export function destinationOfCountry(code: string | undefined): Destination | undefined {
  if (!code) return undefined;
  return (Object.keys(DESTINATIONS) as Destination[]).find((key) => DESTINATIONS[key].country === code.toUpperCase());
}
