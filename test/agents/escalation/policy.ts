// A shop policy for the return and escalation tests: a 30-day window and a $150 auto-approve limit.
import type { ShopPolicy } from '../../../src/agents/runtime/contracts.js';

export const TEST_POLICY: ShopPolicy = {
  returnWindowDays: 30,
  autoApproveReturnLimit: 150,
  freeShippingThreshold: 75,
  loyalty: { pointsPerDollar: 1, redeemPoints: 500, redeemValue: 10, tiers: [{ name: 'Bronze', minPoints: 0 }] },
  giftCards: { min: 10, max: 500 },
};
