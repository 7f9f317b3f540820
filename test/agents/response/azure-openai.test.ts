// The azure-openai strategy of the response generator with the real `openai` AzureOpenAI client against the wire
// fake (test/fakes/azure/openai.ts): what leaves the process (no raw PII), what the customer reads (PII restored),
// and the offline reply whenever the service fails.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { azureOpenAIComposer, TurnVault, type AzureOpenAIComposerOptions } from '../../../src/agents/response/azure-openai.js';
import { createResponseAgent } from '../../../src/agents/response/agent.js';
import { composeReply } from '../../../src/agents/response/compose.js';
import { AZURE_OPENAI_API_VERSION } from '../../../src/agents/response/strategy.js';
import type { Customer, ResponseContext, Ticket } from '../../../src/agents/runtime/contracts.js';
import {
  factsIn,
  filteredCompletion,
  promptFiltered,
  rateLimited,
  serverError,
  startAzureOpenAIFake,
  type AzureOpenAIFake,
} from '../../fakes/azure/openai.js';
import { kbFor, makeCtx, order } from './fixtures.js';

// Canaries: values that appear nowhere else, so finding one in a request means it leaked.
const CANARY = {
  email: 'zephyrine.quillfeather@canary-mail.example',
  phone: '+15035550199',
  first: 'Zephyrine',
  last: 'Quillfeather',
  address: '77 Canary Wharf Road',
};

const canary: Customer = {
  id: 990_001,
  email: CANARY.email,
  firstName: CANARY.first,
  lastName: CANARY.last,
  phone: CANARY.phone,
  tags: ['vip'],
  country: 'US',
  loyalty: { points: 1240, tier: 'Silver' },
  autoDelivery: false,
};

const ticket: Ticket = {
  id: 5120,
  subject: `${CANARY.first} ${CANARY.last}: parcel missing at ${CANARY.address}`,
  status: 'open',
  priority: 'high',
  requesterEmail: CANARY.email,
  tags: ['lost_parcel'],
  createdAt: '2026-11-20T09:00:00Z',
};

/** An order-status turn of the canary customer about #10252 (shipped by USPS), with a ticket naming her address. */
function canaryCtx(language: 'en' | 'fr' | 'es' = 'en'): ResponseContext {
  const o = { ...order('#10252'), email: CANARY.email };
  const ctx = makeCtx({ language, intent: 'order_status', customer: canary, orders: [o], orderNumbers: ['10252'], kb: kbFor('order_status', language) });
  ctx.knowledge.tickets = [ticket];
  ctx.intent.entities.phones = [CANARY.phone];
  return ctx;
}

function leaks(text: string): string[] {
  const digits = text.replace(/\D+/g, '');
  const lower = text.toLowerCase();
  return [
    ...[CANARY.email, CANARY.first, CANARY.last, CANARY.address, 'canary-mail'].filter((v) => lower.includes(v.toLowerCase())),
    ...(digits.includes(CANARY.phone.replace(/\D+/g, '')) ? [CANARY.phone] : []),
  ];
}

let fake: AzureOpenAIFake;
let logs: string[];

beforeAll(async () => {
  fake = await startAzureOpenAIFake();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.calls.length = 0;
  fake.faults.length = 0;
  fake.latencyMs = 0;
  fake.model = (body) => defaultModel(body);
});
const defaultModel = (await import('../../fakes/azure/openai.js')).factsModel;

function composer(o: Partial<AzureOpenAIComposerOptions> = {}): (ctx: ResponseContext) => Promise<{ text: string; awaiting?: string }> {
  logs = [];
  return azureOpenAIComposer({ endpoint: fake.endpoint, apiKey: fake.apiKey, log: (l) => logs.push(l), ...o });
}

describe('azure-openai strategy: the request', () => {
  it('posts to the deployment with the api-key header and the pinned api-version', async () => {
    const reply = await composer()(canaryCtx());
    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/openai/deployments/gpt-4o-mini/chat/completions');
    expect(call.apiVersion).toBe(AZURE_OPENAI_API_VERSION);
    expect(call.keyValid).toBe(true);
    expect(call.status).toBe(200);
    expect(call.json?.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(reply.text).toContain('#10252');
    expect(logs).toEqual([]);
  });

  it('carries the facts of the ResponseContext and a system prompt that forbids inventing numbers, in the customer\'s language', async () => {
    await composer()(canaryCtx('fr'));
    const body = fake.calls[0]!.json!;
    const system = body.messages![0]!.content!;
    expect(system).toMatch(/Write in French only/);
    expect(system).toMatch(/Never invent or compute a number/);
    const facts = factsIn(body)!;
    expect(facts.language).toBe('French');
    expect(facts.intent).toBe('order status');
    expect(facts.orders[0].order).toBe('#10252');
    expect(facts.orders[0].shipments[0].trackingNumber).toBe(order('#10252').fulfillments[0]!.trackingNumber);
    expect(facts.customer.loyalty).toEqual({ points: 1240, tier: 'Silver' });
    expect(facts.shop.policy.returnWindowDays).toBeGreaterThan(0);
    expect(facts.knowledgeBase.length).toBeGreaterThan(0);
    expect(facts.escalation).toEqual({ escalate: false });
    // Statuses travel as words: a snake_case value copied into a reply would trip the output guardrail.
    expect(JSON.stringify(facts)).not.toMatch(/"[a-z]+_[a-z_]+"(?!:)/);
  });

  it('sends no raw PII: emails, phones, names and addresses leave as TOKEN_<uuid>', async () => {
    const ctx = { ...canaryCtx(), message: `Hi, I'm ${CANARY.first} ${CANARY.last} (${CANARY.email}, ${CANARY.phone}): where is #10252?` };
    await composer()(ctx);
    const sent = fake.calls[0]!.body;
    expect(leaks(sent)).toEqual([]);
    // The customer's message goes too, tokenised like the facts.
    const asked = fake.calls[0]!.json!.messages!.find((m) => m.content?.startsWith('CUSTOMER MESSAGE:'))!.content!;
    expect(asked).toMatch(/^CUSTOMER MESSAGE:\nHi, I'm TOKEN_[^()]+ \(TOKEN_\S+, TOKEN_\S+\): where is #10252\?$/);
    const facts = factsIn(fake.calls[0]!.json!)!;
    const token = /^TOKEN_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(facts.customer.firstName).toMatch(token);
    expect(facts.customer.lastName).toMatch(token);
    expect(facts.customer.email).toMatch(token);
    expect(facts.customer.phone).toMatch(token);
    // One value, one token: the email in the customer record and in the message's entities are the same token.
    expect(facts.mentioned.emails[0]).toBe(facts.customer.email);
    expect(facts.mentioned.phones[0]).toBe(facts.customer.phone);
    expect(facts.tickets[0].subject).toMatch(/^TOKEN_\S+: parcel missing at TOKEN_\S+$/);
    // Facts that are not personal stay readable.
    expect(facts.orders[0].total).toBe(order('#10252').total);
  });

  it("restores the tokens in the model's reply before the customer reads it", async () => {
    const reply = await composer()(canaryCtx());
    expect(reply.text).toContain(`Hello ${CANARY.first}!`);
    expect(reply.text).toContain(CANARY.email);
    expect(reply.text).not.toContain('TOKEN_');
    expect(reply.text).toContain(order('#10252').fulfillments[0]!.trackingNumber!);
  });

  it('sends the context as is when the endpoint is configured inside the perimeter', async () => {
    const reply = await composer({ insidePerimeter: true })(canaryCtx());
    const sent = fake.calls[0]!.body;
    expect(sent).toContain(CANARY.email);
    expect(sent).toContain(CANARY.first);
    expect(sent).not.toContain('TOKEN_');
    expect(fake.calls[0]!.json!.messages![0]!.content).not.toMatch(/TOKEN_/);
    expect(reply.text).toContain(`Hello ${CANARY.first}!`);
  });

  it('uses the configured deployment', async () => {
    await composer({ deployment: 'gpt-4o' })(canaryCtx());
    expect(fake.calls[0]!.path).toBe('/openai/deployments/gpt-4o/chat/completions');
  });

  it('keeps what the offline composer would wait for, and asks the model for it', async () => {
    const ctx = makeCtx({ language: 'es', intent: 'order_status' }); // anonymous, no order: we need a reference
    const offline = composeReply(ctx);
    expect(offline.awaiting).toBe('order_reference');
    const reply = await composer()(ctx);
    expect(reply.awaiting).toBe('order_reference');
    expect(factsIn(fake.calls[0]!.json!)!.task).toMatch(/order number/);
  });
});

describe('azure-openai strategy: faults', () => {
  it('retries a 429 after its retry-after and answers with the model', async () => {
    fake.faults.push(rateLimited({ retryAfterSeconds: 1 }));
    const ctx = canaryCtx();
    const reply = await composer()(ctx);
    expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(fake.calls[1]!.at - fake.calls[0]!.at).toBeGreaterThanOrEqual(900);
    expect(reply.text).toContain(`Hello ${CANARY.first}!`);
    expect(reply.text).not.toBe(composeReply(ctx).text);
    expect(logs).toEqual([]);
  });

  it('answers with the offline reply when the service keeps failing with 500, and says nothing about it', async () => {
    fake.faults.push(serverError({ times: Infinity, retryAfterMs: 20 }));
    const ctx = canaryCtx();
    const reply = await composer()(ctx);
    expect(fake.calls.map((c) => c.status)).toEqual([500, 500, 500]); // the SDK's two retries
    expect(reply).toEqual(composeReply(ctx));
    expect(reply.text).not.toMatch(/error|unavailable|fail/i);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/azure-openai gpt-4o-mini: HTTP 500 after the retries; answered with the offline reply/);
    expect(leaks(logs[0]!)).toEqual([]);
  });

  it('answers offline when the completion is cut by the content filter', async () => {
    fake.model = () => filteredCompletion;
    const ctx = canaryCtx();
    const reply = await composer()(ctx);
    expect(fake.calls).toHaveLength(1);
    expect(reply).toEqual(composeReply(ctx));
    expect(logs[0]).toMatch(/content_filter/);
  });

  it('answers offline, without retrying, when the prompt is filtered (400 content_filter)', async () => {
    fake.faults.push(promptFiltered());
    const ctx = canaryCtx();
    const reply = await composer()(ctx);
    expect(fake.calls.map((c) => c.status)).toEqual([400]);
    expect(reply).toEqual(composeReply(ctx));
    expect(logs[0]).toMatch(/HTTP 400 content_filter/);
  });

  it('answers offline within the time budget when the service is slow', async () => {
    fake.latencyMs = 5_000;
    const ctx = canaryCtx();
    const started = Date.now();
    const reply = await composer({ budgetMs: 400 })(ctx);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(reply).toEqual(composeReply(ctx));
    expect(logs[0]).toMatch(/time budget|timed out/);
  });

  it('answers offline on a wrong key, and the log does not quote the key', async () => {
    const ctx = canaryCtx();
    const reply = await composer({ apiKey: 'not-the-key-0123456789' })(ctx);
    expect(fake.calls.map((c) => c.status)).toEqual([401]);
    expect(reply).toEqual(composeReply(ctx));
    expect(logs[0]).toMatch(/HTTP 401/);
    expect(logs.join('\n')).not.toContain('not-the-key');
  });

  it('answers offline when the model writes a token it was never given', async () => {
    fake.model = () => 'Hello TOKEN_3f2a1b4c-1234-4567-8abc-123456789012, your order is on its way.';
    const ctx = canaryCtx();
    const reply = await composer()(ctx);
    expect(reply).toEqual(composeReply(ctx));
    expect(logs[0]).toMatch(/PII token/);
  });

  it('answers offline when nothing listens at the endpoint', async () => {
    const ctx = canaryCtx();
    const reply = await composer({ endpoint: 'https://127.0.0.1:9', maxRetries: 0 })(ctx);
    expect(reply).toEqual(composeReply(ctx));
    expect(logs[0]).toMatch(/could not connect/);
  });
});

describe('createResponseAgent', () => {
  it('is offline and synchronous by default', () => {
    const agent = createResponseAgent();
    expect(agent.strategy).toBe('offline');
    const ctx = canaryCtx();
    expect(agent.compose(ctx)).toEqual(composeReply(ctx));
  });

  it('answers through Azure OpenAI with the azure-openai strategy', async () => {
    const agent = createResponseAgent({ strategy: { kind: 'azure-openai', endpoint: fake.endpoint, apiKey: fake.apiKey } });
    expect(agent.strategy).toBe('azure-openai');
    const reply = await agent.compose(canaryCtx());
    expect(reply.text).toContain(`Hello ${CANARY.first}!`);
    expect(fake.calls).toHaveLength(1);
  });
});

describe('TurnVault', () => {
  it('gives one token per value and puts values back', () => {
    const vault = new TurnVault();
    const text = vault.tokenizeText('Olivia Bennett <olivia.bennett@example.com>, OLIVIA.BENNETT@example.com, call +1 503 555 0117', ['Olivia Bennett', 'Olivia', 'Bennett']);
    expect(text).not.toMatch(/olivia|bennett|0117/i);
    const tokens = text.match(/TOKEN_[0-9a-f-]{36}/g)!;
    expect(tokens).toHaveLength(4);
    expect(tokens[1]).toBe(tokens[2]); // the same email, two spellings
    expect(vault.detokenize(tokens[0]!)).toBe('Olivia Bennett');
    expect(vault.size).toBe(3);
  });

  it('does not take a name inside another word or a token', () => {
    const vault = new TurnVault();
    expect(vault.tokenizeText('Annabel and Ann', ['Ann'])).toMatch(/^Annabel and TOKEN_/);
  });
});

describe('azure-openai strategy: the time budget', () => {
  it('does not wait out a long retry-after: past the budget the offline reply goes', async () => {
    fake.faults.push(rateLimited({ retryAfterSeconds: 30 }));
    const ctx = canaryCtx();
    const started = Date.now();
    const reply = await composer({ budgetMs: 500 })(ctx);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.calls.map((c) => c.status)).toEqual([429]);
    expect(reply).toEqual(composeReply(ctx));
    expect(logs[0]).toMatch(/time budget/);
  });
});
