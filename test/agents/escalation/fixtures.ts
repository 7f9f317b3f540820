// What the return and escalation tests share: a shop policy (a 30-day window, a $150 auto-approve limit) and an
// intent classifier's result.
import type { Intent, IntentResult, ShopPolicy } from '../../../src/agents/runtime/contracts.js';

export const TEST_POLICY: ShopPolicy = {
  returnWindowDays: 30,
  autoApproveReturnLimit: 150,
  freeShippingThreshold: 75,
  loyalty: { pointsPerDollar: 1, redeemPoints: 500, redeemValue: 10, tiers: [{ name: 'Bronze', minPoints: 0 }] },
  giftCards: { min: 10, max: 500 },
};

export const intentResult = (name: Intent, over: Partial<IntentResult> = {}): IntentResult => ({
  language: 'en',
  intent: name,
  confidence: 0.9,
  alternatives: [],
  entities: { orderNumbers: [], emails: [], phones: [], amounts: [], products: [] },
  sentiment: { score: 0, label: 'neutral' },
  profanity: false,
  ...over,
});
