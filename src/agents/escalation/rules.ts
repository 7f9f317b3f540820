// Escalation rules: which conversations a person must take over, why, and how urgently.
// Thresholds come from configuration; the first matching rule wins, most serious first.
import type { EscalationDecision, EscalationReason, Intent, IntentResult, Order, Priority, ReturnDecision } from '../runtime/contracts.js';
import { DEFAULT_LEXICON, foldText, lexiconMatcher, type EscalationLexicon, type LexiconCategory } from './lexicon.js';

export interface EscalationConfig {
  /** Sentiment at or below this, with anger said, shouted or a complaint, is frustration (urgent). */
  frustrationSentiment: number;
  /** Escalate an angry customer who swears (never block them). */
  escalateProfanity: boolean;
  lexicon: EscalationLexicon;
}

export const DEFAULT_ESCALATION: EscalationConfig = {
  frustrationSentiment: -0.6,
  escalateProfanity: true,
  lexicon: DEFAULT_LEXICON,
};

export interface EscalationInput {
  message: string;
  intent: IntentResult;
  orders: Order[];
  returnDecision?: ReturnDecision;
}

const NOT_ABOUT_A_PRODUCT = new Set<Intent>(['account_help', 'billing_issue', 'gift_card', 'loyalty_program', 'general_inquiry', 'greeting', 'out_of_scope']);

/** Intents where "not received" or "stolen" is about an email, a code or an account (a stolen gift card still counts). */
const NOT_A_PARCEL = new Set<Intent>(['account_help', 'general_inquiry', 'greeting', 'out_of_scope', 'loyalty_program']);

interface Rule {
  reason: EscalationReason;
  priority: Priority;
  team?: 'support' | 'sales';
  when(input: EscalationInput, says: (category: LexiconCategory) => boolean, cfg: EscalationConfig): boolean;
}

const RULES: Rule[] = [
  { reason: 'safety', priority: 'urgent', when: (_i, says) => says('safety') },
  { reason: 'threat', priority: 'urgent', when: (_i, says) => says('threat') },
  {
    reason: 'frustration',
    priority: 'urgent',
    // Angry, not merely in a bad situation: a negative tone with anger said, shouted, or as a complaint.
    when: (i, says, c) =>
      (c.escalateProfanity && i.intent.profanity) ||
      (i.intent.sentiment.score <= c.frustrationSentiment && (says('frustration') || i.intent.intent === 'complaint' || shouts(i.message))),
  },
  {
    reason: 'lost_or_stolen',
    priority: 'high',
    // A parcel, not "I have not received the password reset email".
    when: (i, says) =>
      (!NOT_A_PARCEL.has(i.intent.intent) && says('lostOrStolen')) ||
      (i.intent.intent === 'order_status' && i.orders.some((o) => o.fulfillments.some((x) => x.shipmentStatus === 'failure'))),
  },
  {
    reason: 'defect',
    priority: 'high',
    // About a product the customer has: not "the website is broken" or "my password reset does not work".
    when: (i, says) => !NOT_ABOUT_A_PRODUCT.has(i.intent.intent) && says('defect'),
  },
  {
    reason: 'explicit_request',
    priority: 'normal',
    when: (i, says) => i.intent.intent === 'escalation_request' || (i.intent.intent === 'complaint' && says('humanRequest')),
  },
  { reason: 'return_over_limit', priority: 'normal', when: (i) => i.returnDecision?.reason === 'over_limit' },
  { reason: 'return_outside_window', priority: 'normal', when: (i) => i.returnDecision?.reason === 'outside_window' },
  {
    reason: 'b2b',
    priority: 'normal',
    team: 'sales',
    when: (i, says) => i.intent.intent === 'b2b_inquiry' || says('bulk'),
  },
];

/** "WHERE IS MY ORDER", "again!!": two shouted words (not an abbreviation like ASAP), or a run of exclamation marks. */
function shouts(message: string): boolean {
  if (/!{2,}/.test(message)) return true;
  return (message.match(/\b[A-Z]{4,}\b/g) ?? []).filter((w) => !ABBREVIATIONS.has(w)).length >= 2;
}
const ABBREVIATIONS = new Set(['ASAP', 'USPS', 'FEDEX', 'INFO', 'NASA', 'HTML', 'JSON', 'SMTP']);

export function decideEscalation(input: EscalationInput, cfg: EscalationConfig = DEFAULT_ESCALATION): EscalationDecision {
  const folded = foldText(input.message);
  const lexicon = lexiconMatcher(cfg.lexicon);
  // Most messages contain no lexicon word at all: one scan settles every category.
  const anyWord = lexicon.any.test(folded);
  const says = (category: LexiconCategory): boolean => anyWord && lexicon.category[category].test(folded);
  for (const rule of RULES) {
    if (rule.when(input, says, cfg)) {
      return { escalate: true, reason: rule.reason, priority: rule.priority, team: rule.team ?? 'support' };
    }
  }
  return { escalate: false };
}
