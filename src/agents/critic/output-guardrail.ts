// The critic/supervisor's output guardrail: a draft reply must not carry other customers' PII, card numbers, the
// system prompt, or numbers that the facts it was built from do not contain.
import { detectPii, digitsOf, type PiiEntity } from '../pii/detect.js';
import type { GuardrailResult, OutputThreat } from '../runtime/contracts.js';
import { factKeys, numberScanInfo, unsupportedNumbers, type KeyLookup, type NumberScanInfo } from './numbers.js';
import { normalizeForMatch, sentenceNorms, sentences } from './text.js';

export interface OutputContext {
  /** Everything the reply may rely on: knowledge results, order/customer records, shop policy, the shop's own
   *  support email and phone. The customer's own message may be appended when the reply can quote it. */
  facts: string;
  /** The same facts as separate fragments (the shop's policy, each KB passage, order, product, the message…),
   *  `facts` being their concatenation. Numbers and identifiers are then read once per distinct fragment and
   *  remembered: the policy and KB passages recur in every conversation, only the turn's own data is new. */
  factParts?: readonly string[];
  customerEmail?: string;
  /** The agent's system prompt, when available: a reply quoting 8 consecutive words of it is a leak. */
  systemPrompt?: string;
}

export interface OutputFinding {
  category: OutputThreat;
  start: number;
  end: number;
  /** What was found, without the value: e.g. "email not in facts", "number not in facts: 149.00". */
  detail: string;
}

const r = String.raw;
const re = (source: string) => new RegExp(source, 'u');

// ---- system-prompt leakage ------------------------------------------------------------------------------------

const LEAK_ATTRIBUTION = re(
  [
    r`\bmy (?:instructions|guidelines|rules|programming|prompt|configuration|directives|internal rules|internal guidelines)\s(?:\w+\s){0,3}(?:say|says|said|state|states|tell|told|require|requires|are|is|read|reads|include|includes|allow|allows|forbid|forbids|prevent|prevents|specify|specifies|mention|mentions)\b`,
    r`\baccording to (?:my|the) (?:system prompt|instructions i (?:was|have been) given|instructions|guidelines|rules|programming|configuration|prompt|directives|developer message)\b`,
    r`\b(?:from|in) my (?:instructions|system prompt|guidelines|internal rules|prompt|configuration|programming)\b`,
    r`\b(?:i was|i've been|i have been|i am|i'm) (?:told|instructed|programmed|configured|prompted|designed|ordered) (?:to|not to|never|always|only)\b`,
    r`\b(?:the|my) (?:developer|system) message\b`,
    r`\b(?:mes|les) (?:consignes|instructions|directives|regles)(?: internes| systeme| cachees| secretes)?\s(?:\w+\s){0,2}(?:disent|indiquent|precisent|stipulent|m'interdisent|m'obligent|demandent|prevoient|me disent)\b`,
    r`\bselon (?:mes|les) (?:consignes|instructions|directives|regles)(?: internes)?\b`,
    r`\b(?:voici|voila) (?:mon|le) prompt\b|\bmes consignes internes\b`,
    r`\bon m'a (?:dit|demande|ordonne|programme|configure|interdit) de\b|\bje suis (?:programme|configure|parametre)e? pour\b`,
    r`\b(?:mis|las) (?:instrucciones|reglas|directrices|indicaciones|normas)(?: internas| del sistema| ocultas)?\s(?:\w+\s){0,2}(?:dicen|indican|establecen|me piden|me prohiben|me obligan|especifican)\b`,
    r`\bsegun (?:mis|las) (?:instrucciones|reglas|directrices|normas)(?: internas)?\b|\bconfigurad[oa] con (?:este|el siguiente|un) prompt\b`,
    r`\b(?:me|nos) (?:dijeron|indicaron|programaron|configuraron|ordenaron) (?:que|para|no)\b`,
    r`["'](?:you are|you're|tu es|vous etes|eres|usted es)\s`,
  ].join('|'),
);
const LEAK_MENTION = re(
  r`\b(?:system prompt|prompt systeme|(?:mon|le) message (?:systeme|du developpeur)|prompt initial|prompt (?:de|del) sistema|developer message|message du developpeur|mensaje del desarrollador|hidden prompt|internal prompt|pre-?prompt|hidden instructions|instructions cachees|instrucciones ocultas)\b`,
);
const REFUSAL = re(
  r`\b(?:can't|cannot|can not|won't|unable to|not able to|not allowed to|no puedo|no me es posible|je ne peux|je ne suis pas en mesure|impossible de)\b[^.!?]{0,40}\b(?:share|reveal|disclose|show|provide|partager|reveler|divulguer|montrer|compartir|revelar|mostrar|divulgar)\b`,
);
// Tool and variable names (issue_refund, risk_score) have no place in a customer-facing reply.
const SNAKE_CASE = /(?<![\w@./-])[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9](?![\w@/-]|\.\w)/g;
// Anchored at the start of a token, so a long token costs one scan, not one per character.
const URL_OR_EMAIL = /(?<!\S)[^\s@]{0,256}(?:https?:\/\/|@)\S*/g;

function shingles(text: string, n = 8): Set<string> {
  const words = normalizeForMatch(text).match(/[\p{L}\d']+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

interface Sentence {
  text: string;
  norm: string;
  start: number;
}

function splitSentences(reply: string): Sentence[] {
  const parts = sentences(reply);
  const norms = sentenceNorms(reply, parts);
  let from = 0;
  return parts.map((text, i) => {
    const start = reply.indexOf(text, from);
    from = start + text.length;
    return { text, norm: norms[i]!, start };
  });
}

function systemPromptLeaks(reply: string, parts: Sentence[], ctx: OutputContext, out: OutputFinding[]): void {
  for (const { text: sentence, norm, start } of parts) {
    const end = start + sentence.length;
    if (LEAK_ATTRIBUTION.test(norm)) out.push({ category: 'system_prompt_leak', start, end, detail: 'refers to its own instructions' });
    else if (LEAK_MENTION.test(norm) && !REFUSAL.test(norm)) out.push({ category: 'system_prompt_leak', start, end, detail: 'mentions its system prompt' });
  }
  // An identifier has a '_'; what is masked first has a '@' or '://'.
  if (reply.includes('_')) {
    const masked = reply.includes('@') || reply.includes('://') ? reply.replace(URL_OR_EMAIL, (m) => ' '.repeat(m.length)) : reply;
    for (const m of masked.matchAll(SNAKE_CASE)) {
      out.push({ category: 'system_prompt_leak', start: m.index, end: m.index + m[0].length, detail: 'internal identifier' });
    }
  }
  if (ctx.systemPrompt) {
    const prompt = shingles(ctx.systemPrompt);
    for (const s of shingles(reply)) {
      if (prompt.has(s)) {
        out.push({ category: 'system_prompt_leak', start: 0, end: reply.length, detail: 'quotes the system prompt' });
        break;
      }
    }
  }
}

// ---- PII of other customers, card numbers -----------------------------------------------------------------

const THIRD_PARTY = re(
  r`\b(?:your (?:neighbou?r|friend|coworker|colleague|roommate)|another (?:customer|client|shopper|buyer|member)|other customers?|the (?:previous|next|other) (?:customer|client|buyer|order)|the customer (?:before|after) you|votre (?:voisin|voisine|ami|amie|collegue)|ton (?:voisin|ami)|ta (?:voisine|amie)|un autre client|une autre cliente|le client (?:avant|d'avant|precedent|suivant)|la cliente (?:avant|d'avant|precedente)|tu (?:vecin[oa]|amig[oa]|companer[oa])|su (?:vecin[oa]|amig[oa])|otr[oa] client[ea]|el cliente (?:anterior|de antes|siguiente)|la clienta (?:anterior|de antes))\b`,
);
const NAMED_CUSTOMER = /\b(?:[Cc]ustomer|[Cc]lient|[Cc]liente|[Cc]lienta)\s+(?:#?\d+|[A-ZÀ-Þ][\p{L}'’-]+\s+[A-ZÀ-Þ][\p{L}'’-]+)/u;

function squash(s: string): string {
  return normalizeForMatch(s).replace(/[^\p{L}\d]+/gu, ' ').trim();
}

function lastDigits(s: string, n = 9): string {
  const d = digitsOf(s);
  return d.slice(-n);
}

function piiFindings(parts: Sentence[], entities: PiiEntity[], factPii: PiiEntity[], ctx: OutputContext, out: OutputFinding[]): void {
  if (entities.length === 0) return;
  const factsLower = ctx.facts.toLowerCase();
  let factsSquashed: string | undefined;
  const own = ctx.customerEmail?.trim().toLowerCase();
  let factPhones: Set<string> | undefined;
  const phoneKnown = (value: string) => {
    factPhones ??= new Set([
      ...factPii.filter((e) => e.kind === 'phone').map((e) => lastDigits(e.value)),
      ...(ctx.facts.match(/\+?\d[\d\s().-]{6,}\d/g) ?? []).map((s) => lastDigits(s)),
    ]);
    return factPhones.has(lastDigits(value));
  };
  const inFacts = (e: PiiEntity): boolean => {
    switch (e.kind) {
      case 'email':
        return e.value.toLowerCase() === own || factsLower.includes(e.value.toLowerCase());
      case 'phone':
        return phoneKnown(e.value);
      case 'street_address':
        factsSquashed ??= ` ${squash(ctx.facts)} `;
        return factsSquashed.includes(` ${squash(e.value)} `);
      default:
        return digitsOf(ctx.facts).includes(digitsOf(e.value)) && factsLower.replace(/[\s.-]/g, '').includes(e.value.toLowerCase().replace(/[\s.-]/g, ''));
    }
  };
  const thirdPartySentences = parts.filter((p) => THIRD_PARTY.test(p.norm) || NAMED_CUSTOMER.test(p.text)).map((p) => p.text);
  for (const e of entities) {
    if (e.kind === 'card') {
      out.push({ category: 'card_number', start: e.start, end: e.end, detail: 'full card number' });
      continue;
    }
    if (!inFacts(e)) {
      out.push({ category: 'other_customer_pii', start: e.start, end: e.end, detail: `${e.kind} not in facts` });
      continue;
    }
    // Known to the facts, but handed out as somebody else's ("your neighbour … (linda@…)").
    if (thirdPartySentences.some((s) => s.includes(e.value)) && e.value.toLowerCase() !== own) {
      out.push({ category: 'other_customer_pii', start: e.start, end: e.end, detail: `${e.kind} of a third person` });
    }
  }
}

// ---- the guardrail ------------------------------------------------------------------------------------------------

const ORDER: OutputThreat[] = ['other_customer_pii', 'card_number', 'system_prompt_leak', 'invented_number'];
const TOKEN_RE = /TOKEN_[0-9a-f-]{36}/g;

interface FactIndex {
  /** Phones and street addresses of the facts. */
  pii: PiiEntity[];
  /** Every reading of every number of the facts (factKeys). */
  keys: KeyLookup;
}

/** The keys of several fragments, looked up in each (rather than copied into one set on every turn). */
class KeysOfParts implements KeyLookup {
  constructor(private readonly sets: readonly Set<string>[]) {}

  has(key: string): boolean {
    for (const set of this.sets) if (set.has(key)) return true;
    return false;
  }
}

interface FragmentIndex {
  pii: PiiEntity[];
  keys: Set<string>;
}

const FACT_PII: { kinds: PiiEntity['kind'][] } = { kinds: ['phone', 'street_address'] };

function indexFacts(facts: string): FragmentIndex {
  const pii = detectPii(facts, FACT_PII);
  return { pii, keys: factKeys(facts, pii) };
}

/** A bounded memo in two generations: entries used since the last turnover stay, the others go at the next one
 *  (at most 2 × size entries). Keys are long texts, new string objects on every turn: rather than hashing all of
 *  one (what a Map does), a bucket is found from a sample of it — its length, its last characters (where JSON
 *  records tend to differ: scores, ids) and some characters spread over it — and its entries are compared whole. */
class Memo<V> {
  private young = new Map<number, [string, V][]>();
  private old = new Map<number, [string, V][]>();
  private youngSize = 0;

  constructor(private readonly size: number) {}

  get(key: string): V | undefined {
    const h = sample(key);
    let value = find(this.young.get(h), key);
    if (value === undefined) {
      value = find(this.old.get(h), key);
      if (value !== undefined) this.add(h, key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.add(sample(key), key, value);
  }

  private add(h: number, key: string, value: V): void {
    if (this.youngSize >= this.size) {
      this.old = this.young;
      this.young = new Map();
      this.youngSize = 0;
    }
    const bucket = this.young.get(h);
    if (bucket) bucket.push([key, value]);
    else this.young.set(h, [[key, value]]);
    this.youngSize++;
  }
}

function find<V>(bucket: [string, V][] | undefined, key: string): V | undefined {
  if (bucket) for (const [k, v] of bucket) if (k === key) return v;
  return undefined;
}

function sample(s: string): number {
  const n = s.length;
  let h = n;
  for (let i = Math.max(0, n - 24); i < n; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  const step = Math.max(1, n >> 5);
  for (let i = 0; i < n - 24; i += step) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

// Keyed by the fragment's full text: an entry is only ever used for a turn whose facts contain that very text.
const fragmentIndex = new Memo<FragmentIndex>(4096);

// Most fragments are JSON records, and many differ from the last turn's in a member or two only (a knowledge
// passage's retrieval scores, an escalation's ticket id). A record is indexed member by member — split before each
// `,"` — and its members are remembered too. No pattern that finds PII or reads a number matches a comma followed
// by a quote, nor decides anything by looking past one, so a record's index is its members' together (the test
// checks this on records), provided they agree on what is decided for the text as a whole: whether month names are
// read (when any member names a month: a member's keys are kept for either answer), and whether accents are
// removed without changing the length (if not, the record is indexed whole).
interface MemberIndex {
  pii: PiiEntity[];
  info: NumberScanInfo;
  /** The member's keys without and with month names read, as needed. */
  keys: [Set<string>?, Set<string>?];
}

const memberIndex = new Memo<MemberIndex>(8192);

/** The members of a record: split before each `,"`. */
function membersOf(fragment: string): string[] {
  const members: string[] = [];
  let from = 0;
  for (let at = fragment.indexOf(',"', 1); at > 0; at = fragment.indexOf(',"', at + 1)) {
    members.push(fragment.slice(from, at));
    from = at;
  }
  members.push(fragment.slice(from));
  return members;
}

function member(text: string): MemberIndex {
  let index = memberIndex.get(text);
  if (!index) {
    // A copy, so that the key does not hold on to the whole fragment it was cut from (short cuts are copies).
    const own = text.length < 16 ? text : (JSON.parse(JSON.stringify(text)) as string);
    memberIndex.set(own, (index = { pii: detectPii(own, FACT_PII), info: numberScanInfo(own), keys: [] }));
  }
  return index;
}

/** The same as indexFacts(fragment), from the members' indexes when it has several. */
export function indexFragment(fragment: string): FragmentIndex {
  const members = membersOf(fragment);
  if (members.length === 1) return indexFacts(fragment);
  const indexes = members.map(member);
  if (!indexes.every((m) => m.info.keepsLength)) return indexFacts(fragment);
  const dates = indexes.some((m) => m.info.dates);
  const pii: PiiEntity[] = [];
  const keys = new Set<string>();
  let offset = 0;
  members.forEach((text, i) => {
    const m = indexes[i]!;
    for (const e of m.pii) pii.push({ ...e, start: e.start + offset, end: e.end + offset });
    for (const k of (m.keys[dates ? 1 : 0] ??= factKeys(text, m.pii, dates))) keys.add(k);
    offset += text.length;
  });
  return { pii, keys };
}

function factIndex(ctx: OutputContext): FactIndex {
  if (!ctx.factParts) return indexFacts(ctx.facts);
  const pii: PiiEntity[] = [];
  const sets: Set<string>[] = [];
  for (const part of ctx.factParts) {
    let index = fragmentIndex.get(part);
    if (!index) fragmentIndex.set(part, (index = indexFragment(part)));
    pii.push(...index.pii);
    if (index.keys.size > 0 && !sets.includes(index.keys)) sets.push(index.keys);
  }
  return { pii, keys: new KeysOfParts(sets) };
}

/** Every problem in a draft reply, with offsets (for redaction or regeneration). */
export function inspectOutput(reply: string, ctx: OutputContext): OutputFinding[] {
  const out: OutputFinding[] = [];
  const entities = detectPii(reply);
  // Phones and street addresses of the facts: known values, and their digits are identifiers, not quantities.
  const { pii: factPii, keys } = factIndex(ctx);
  const parts = splitSentences(reply);
  piiFindings(parts, entities, factPii, ctx, out);
  systemPromptLeaks(reply, parts, ctx, out);
  // Numbers: PII spans are judged above; vault tokens are not numbers.
  const skip: { start: number; end: number }[] = [...entities];
  for (const m of reply.matchAll(TOKEN_RE)) skip.push({ start: m.index, end: m.index + m[0].length });
  for (const n of unsupportedNumbers(reply, keys, skip)) {
    out.push({ category: 'invented_number', start: n.start, end: n.end, detail: `number not in facts: ${n.raw}` });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The output guardrail: `tripwireTriggered` when the draft reply must not be sent as is. */
export function checkOutput(reply: string, ctx: OutputContext): GuardrailResult<OutputThreat> {
  const findings = inspectOutput(reply, ctx);
  const categories = ORDER.filter((c) => findings.some((f) => f.category === c));
  if (categories.length === 0) return { tripwireTriggered: false, info: { categories, reason: 'no problem found' } };
  const reason = categories
    .map((c) => {
      const details = [...new Set(findings.filter((f) => f.category === c).map((f) => f.detail))];
      return `${c}: ${details.slice(0, 5).join('; ')}${details.length > 5 ? '; …' : ''}`;
    })
    .join(' | ');
  return { tripwireTriggered: true, info: { categories, reason } };
}
