// Redaction: tokens through the vault (reversible, for text sent to a third-party model or a ticket), or fixed
// masks like [EMAIL] (irreversible, for logs and traces).
import { detectPii, PII_KINDS, type PiiEntity, type PiiKind } from './detect.js';
import { TOKEN_PATTERN, type PiiVault } from './vault.js';

export interface TokenizedEntity extends PiiEntity {
  token: string;
}

export interface TokenizeResult {
  text: string;
  /** What was replaced, with offsets into the ORIGINAL text. */
  entities: TokenizedEntity[];
}

export const MASKS: Record<PiiKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
  national_id: '[NATIONAL_ID]',
  street_address: '[ADDRESS]',
  ip: '[IP]',
};

function replaceEntities(text: string, entities: readonly PiiEntity[], by: (e: PiiEntity) => string): string {
  if (entities.length === 0) return text;
  let out = '';
  let at = 0;
  for (const e of entities) {
    out += text.slice(at, e.start) + by(e);
    at = e.end;
  }
  return out + text.slice(at);
}

/** Replaces every detected entity (except the kinds in `keep`) by its vault token. */
export function tokenizePii(text: string, vault: PiiVault, opts: { keep?: readonly PiiKind[] } = {}): TokenizeResult {
  const keep = new Set(opts.keep ?? []);
  const kinds = keep.size ? PII_KINDS.filter((k) => !keep.has(k)) : PII_KINDS;
  const entities = detectPii(text, { kinds }).map((e) => ({ ...e, token: vault.tokenize(e.value, e.kind) }));
  const byStart = new Map(entities.map((e) => [e.start, e.token]));
  return { text: replaceEntities(text, entities, (e) => byStart.get(e.start)!), entities };
}

/** Puts the original values back; tokens the vault does not know are left as they are. */
export function detokenize(text: string, vault: PiiVault): string {
  if (!text.includes('TOKEN_')) return text;
  return text.replace(TOKEN_PATTERN, (token) => vault.detokenize(token) ?? token);
}

/** Replaces every detected entity by a fixed mask ([EMAIL], [PHONE], …): no vault, not reversible. */
export function maskPii(text: string): string {
  return replaceEntities(text, detectPii(text), (e) => MASKS[e.kind]);
}
