import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../../src/config/schema.js';
import * as A from '../../src/cost/estimate.js';
import { estimateCost } from '../../src/cost/estimate.js';
import { PRICES } from '../../src/cost/prices.js';
import { turnSpans } from './helpers.js';

const env = environmentSchema.parse({ target: 'local' });
const HOURS_NOV = 30 * 24;
const END_NOV = new Date('2026-12-01T00:00:00Z');

function service(e: ReturnType<typeof estimateCost>, name: string): number {
  return e.services.find((s) => s.service === name)?.monthlyUsd ?? NaN;
}

describe('estimateCost', () => {
  it('prices the fixed lines from the agents config and the price table', () => {
    const custom = environmentSchema.parse({ target: 'local', agents: { 'intent-classifier': { cpu: 2, memory: 4 } } });
    const e = estimateCost({ env: custom, spans: [], month: '2026-11', now: END_NOV });
    // defaults: 3 response generators at 1 vCPU/2 GB, 5 others at 0.5/1; intent-classifier overridden to 2/4; NATS 0.5/1
    const vcpu = 3 * 1 + 4 * 0.5 + 2 + A.NATS_RESOURCES.cpu;
    const gb = 3 * 2 + 4 * 1 + 4 + A.NATS_RESOURCES.memory;
    const s = HOURS_NOV * 3600;
    expect(e.hoursInMonth).toBe(HOURS_NOV);
    expect(service(e, 'Container Instances')).toBeCloseTo(vcpu * s * PRICES.aciVcpuSecond.unitPrice + gb * s * PRICES.aciGbSecond.unitPrice, 1);
    const networking =
      HOURS_NOV * (A.PRIVATE_ENDPOINTS * PRICES.privateEndpointHour.unitPrice + PRICES.appGatewayWafV2Fixed.unitPrice + A.APP_GATEWAY_AVG_CAPACITY_UNITS * PRICES.appGatewayWafV2Capacity.unitPrice + A.PUBLIC_IPS * PRICES.publicIpHour.unitPrice);
    expect(service(e, 'Networking')).toBeCloseTo(networking, 1);
    expect(service(e, 'Blob Storage + CDN')).toBeCloseTo(A.BLOB_STORAGE_GB * PRICES.blobHotLrs.unitPrice + PRICES.frontDoorBase.unitPrice + A.FRONT_DOOR_EGRESS_GB * PRICES.frontDoorEgress.unitPrice, 1);
    expect(service(e, 'NATS JetStream')).toBe(0);
    expect(e.totalUsd).toBeCloseTo(e.services.reduce((sum, x) => sum + x.monthlyUsd, 0), 1);
    expect(e.notes.join('\n')).toMatch(/WAF_v2 alone/);
  });

  it('prices usage lines from the traced turns: tokens × model prices, Cosmos RUs', () => {
    const spans = [
      ...turnSpans('s1', '2026-11-02T10:00:00Z', 0.001),
      ...turnSpans('s1', '2026-11-02T10:01:00Z'),
      ...turnSpans('s2', '2026-11-03T10:00:00Z'),
      ...turnSpans('s9', '2026-10-31T10:00:00Z'), // another month
    ];
    const e = estimateCost({ env, spans, month: '2026-11', now: END_NOV, conversationsPerMonth: 10_000 });
    expect(e.usage).toMatchObject({ observedConversations: 2, observedTurns: 3, conversationsPerMonth: 10_000, turnsPerMonth: 15_000, source: 'flag' });
    const t = 15_000;
    const openai =
      (t * A.GPT4O_MINI_INPUT_TOKENS_PER_TURN * PRICES.gpt4oMiniInput.unitPrice +
        t * A.GPT4O_MINI_OUTPUT_TOKENS_PER_TURN * PRICES.gpt4oMiniOutput.unitPrice +
        t * A.GPT4O_INPUT_TOKENS_PER_TURN * PRICES.gpt4oInput.unitPrice +
        t * A.GPT4O_OUTPUT_TOKENS_PER_TURN * PRICES.gpt4oOutput.unitPrice +
        t * A.EMBEDDING_TOKENS_PER_TURN * PRICES.embeddingLarge.unitPrice) /
      1_000_000;
    expect(service(e, 'Azure OpenAI')).toBeCloseTo(openai, 1);
    const ru = e.lines.find((l) => l.line === 'serverless request units')?.monthlyUsd;
    expect(ru).toBeCloseTo((t * A.COSMOS_RUS_PER_TURN * PRICES.cosmosRu.unitPrice) / 1_000_000, 1);
    expect(e.actualSpendUsd).toBeCloseTo(0.001, 6);
    expect(e.costPerConversationUsd).toBeCloseTo(e.totalUsd / 10_000, 6);
    expect(e.costPerTurnUsd).toBeCloseTo(e.totalUsd / t, 6);
  });

  it('extrapolates a month in progress to the full month', () => {
    const spans = [...turnSpans('a', '2026-11-01T10:00:00Z'), ...turnSpans('b', '2026-11-05T10:00:00Z'), ...turnSpans('b', '2026-11-05T10:05:00Z')];
    const now = new Date('2026-11-11T00:00:00Z'); // 10 of 30 days
    const e = estimateCost({ env, spans, month: '2026-11', now });
    expect(e.usage.extrapolationFactor).toBeCloseTo(3, 9);
    expect(e.usage.conversationsPerMonth).toBeCloseTo(6, 9);
    expect(e.usage.turnsPerMonth).toBeCloseTo(9, 9);
    expect(e.notes.join('\n')).toMatch(/in progress.*×3\.00/);
    const past = estimateCost({ env, spans, month: '2026-11', now: END_NOV });
    expect(past.usage.extrapolationFactor).toBe(1);
  });

  it('says which thresholds would fire', () => {
    const base = estimateCost({ env, spans: [], month: '2026-11', now: END_NOV });
    const at = (ratio: number) => {
      const amount = base.totalUsd / ratio;
      const e2 = environmentSchema.parse({ target: 'local', budget: { amount } });
      return estimateCost({ env: e2, spans: [], month: '2026-11', now: END_NOV }).budget.thresholds.map((t) => t.fires);
    };
    expect(at(0.8)).toEqual([false, false]);
    expect(at(0.88)).toEqual([true, false]);
    expect(at(0.95)).toEqual([true, true]);
    expect(base.budget.amountUsd).toBe(360);
    expect(base.budget.thresholds.map((t) => t.amountUsd)).toEqual([298.8, 334.8]);
  });

  it('no traces: usage lines are zero, with a note', () => {
    const e = estimateCost({ env, spans: [], month: '2026-11', now: END_NOV });
    expect(e.lines.filter((l) => l.kind === 'usage').every((l) => l.monthlyUsd === 0)).toBe(true);
    expect(e.costPerConversationUsd).toBeNull();
    expect(e.notes.join('\n')).toMatch(/No traces for 2026-11/);
  });
});
