// The one-process platform with `responseStrategy: azure-openai`: a customer's turn through the gateway, the reply
// written by the (fake) Azure OpenAI deployment, PII tokenized on the way out and restored on the way back, the
// output guardrail still checking the model's reply, and the offline reply when the service fails.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../src/agents/runtime/platform.js';
import { factsModel, serverError, startAzureOpenAIFake, type AzureOpenAIFake } from '../../fakes/azure/openai.js';
import { chat, DEMO, DEMO_TODAY } from '../platform/helpers.js';

const OLIVIA = 'olivia.bennett@example.com';

let fake: AzureOpenAIFake;
let platform: RunningPlatform;
let stateDir: string;
const logs: string[] = [];

beforeAll(async () => {
  fake = await startAzureOpenAIFake();
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'mac-aoai-platform-'));
  platform = await startPlatform({
    dataDir: DEMO,
    stateDir,
    port: 0,
    integrations: { mode: 'mock' },
    vaultKey: Buffer.alloc(32, 7),
    now: () => DEMO_TODAY,
    responseStrategy: { kind: 'azure-openai', endpoint: fake.endpoint, apiKey: fake.apiKey, deployment: 'gpt-4o-mini' },
    log: (line) => logs.push(line),
  });
}, 120_000);

afterAll(async () => {
  await platform?.close();
  await fake?.close();
  await rm(stateDir, { recursive: true, force: true });
});

afterEach(() => {
  fake.calls.length = 0;
  fake.faults.length = 0;
  fake.model = factsModel;
});

describe('platform with the azure-openai response strategy', () => {
  it('logs the strategy it runs, without the key', () => {
    expect(logs.join('\n')).toMatch(/response generator: azure-openai \(deployment gpt-4o-mini on 127\.0\.0\.1:\d+; PII tokenized\)/);
    expect(logs.join('\n')).not.toContain(fake.apiKey);
  });

  it("answers with the model's reply, the customer's details restored; the request held tokens, not the details", async () => {
    const { status, json } = await chat(platform.url, { message: 'Where is my order #10234?', customer_email: OLIVIA });
    expect(status).toBe(200);
    expect(fake.calls).toHaveLength(1);
    const sent = fake.calls[0]!.body;
    expect(sent).not.toMatch(/olivia|bennett/i);
    expect(sent).not.toContain('5035550117');
    expect(sent).toMatch(/TOKEN_[0-9a-f-]{36}/);
    expect(json.blocked).toBe(false);
    expect(json.response).toMatch(/^Hello Olivia!/);
    expect(json.response).toContain(OLIVIA);
    expect(json.response).not.toContain('TOKEN_');
  });

  it("still puts the model's reply through the output guardrail: an invented number is not sent", async () => {
    fake.model = () => 'Good news: your refund of $987.65 was approved and will arrive in 17 days.';
    const { json } = await chat(platform.url, { message: 'When will I get my refund?', customer_email: OLIVIA });
    expect(fake.calls).toHaveLength(1);
    expect(json.response).not.toContain('987.65');
    expect(json.response).toMatch(/can't share that answer/);
  });

  it('answers with the offline reply when the service fails, saying nothing about it', async () => {
    fake.faults.push(serverError({ times: Infinity, retryAfterMs: 10 }));
    const before = logs.length;
    const { status, json } = await chat(platform.url, { message: 'Hi there!', customer_email: OLIVIA });
    expect(status).toBe(200);
    expect(fake.calls.map((c) => c.status)).toEqual([500, 500, 500]);
    expect(json.response).toMatch(/Olivia/); // the offline greeting
    expect(json.response).not.toMatch(/error|unavailable|fail/i);
    expect(logs.slice(before).join('\n')).toMatch(/azure-openai gpt-4o-mini: HTTP 500 after the retries; answered with the offline reply/);
  });
});
