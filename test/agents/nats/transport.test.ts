// The NATS transport against a real nats-server: what a caller and an agent see, and what travels on the wire.
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, natsTransport } from '../../../src/agents/runtime/nats-transport.js';
import { AgentCallError, type AgentTransport } from '../../../src/agents/runtime/transport.js';
import { hasNatsServer, noNatsServerReason, startNatsServer, type NatsServer } from '../../helpers/nats.js';

if (!hasNatsServer) console.warn(`SKIPPING the NATS transport tests: ${noNatsServerReason}`);

const decode = (d: Uint8Array) => JSON.parse(new TextDecoder().decode(d)) as Record<string, unknown>;

async function callError(p: Promise<unknown>): Promise<AgentCallError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgentCallError);
  return err as AgentCallError;
}

describe.skipIf(!hasNatsServer)('NATS transport', () => {
  let server: NatsServer;
  const cleanup: (() => Promise<unknown>)[] = [];

  async function conn(name: string): Promise<NatsConnection> {
    const nc = await connectNats(server.url, name);
    cleanup.push(() => nc.close());
    return nc;
  }
  async function transport(name: string): Promise<AgentTransport> {
    const t = natsTransport(await conn(name));
    cleanup.unshift(() => t.close()); // transports close before their connections
    return t;
  }

  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('carries a call and its reply as A2A envelopes on agents.<agent>.<action>', async () => {
    const agent = await transport('intent');
    await agent.serve('intent', {
      classify: (data, ctx) => ({ intent: 'order_status', echoed: data, contextId: ctx.contextId }),
    });
    const spy = await conn('spy');
    const wire: { subject: string; body: Record<string, unknown> }[] = [];
    spy.subscribe('agents.>', { callback: (_e, m) => void wire.push({ subject: m.subject, body: decode(m.data) }) });
    spy.subscribe('_INBOX.>', { callback: (_e, m) => void wire.push({ subject: 'reply', body: decode(m.data) }) });
    await spy.flush();

    const gateway = await transport('gateway');
    const reply = await gateway.call<Record<string, unknown>>('intent', 'classify', { message: 'where is my order?' }, 'ctx-1');
    expect(reply).toEqual({ intent: 'order_status', echoed: { message: 'where is my order?' }, contextId: 'ctx-1' });

    await spy.flush();
    const request = wire.find((w) => w.subject === 'agents.intent.classify')!.body;
    expect(request).toEqual({
      messageId: expect.any(String),
      role: 'user',
      parts: [{ kind: 'data', data: { message: 'where is my order?' } }],
      contextId: 'ctx-1',
    });
    const answer = wire.find((w) => w.subject === 'reply')!.body;
    expect(answer).toEqual({ messageId: expect.any(String), role: 'agent', parts: [{ kind: 'data', data: reply }], contextId: 'ctx-1' });
    expect(answer.messageId).not.toBe(request.messageId);
  });

  it('shares the requests between two replicas of one agent (queue group)', async () => {
    const handled = { a: 0, b: 0 };
    const replicas: AgentTransport[] = [];
    for (const replica of ['a', 'b'] as const) {
      const t = await transport(`knowledge-${replica}`);
      await t.serve('knowledge', {
        search: () => {
          handled[replica]++;
          return { replica };
        },
      });
      replicas.push(t);
    }
    const gateway = await transport('gateway');
    const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => gateway.call<{ replica: string }>('knowledge', 'search', { q: i }, `c${i}`)));
    await Promise.all(replicas.map((t) => t.close())); // every request either replica received is handled by now
    expect(new Set(replies.map((r) => r.replica))).toEqual(new Set(['a', 'b']));
    expect(handled.a + handled.b).toBe(60); // each request went to one replica only
    expect(handled.a).toBeGreaterThan(0);
    expect(handled.b).toBeGreaterThan(0);
  });

  it("turns the agent's exception into an agent_error carrying its message", async () => {
    const agent = await transport('response');
    await agent.serve('response', {
      compose: () => {
        throw new Error('template "refund_fr" is missing');
      },
    });
    const err = await callError((await transport('gateway')).call('response', 'compose', {}, 'c'));
    expect(err.code).toBe('agent_error');
    expect(err.message).toContain('template "refund_fr" is missing');
  });

  it('fails with no_agent when nobody serves the agent or the action', async () => {
    const agent = await transport('critic');
    await agent.serve('critic', { input: () => ({ ok: true }) });
    const gateway = await transport('gateway');
    const missingAgent = await callError(gateway.call('escalation', 'decide', {}, 'c'));
    expect(missingAgent.code).toBe('no_agent');
    expect(missingAgent.message).toContain('escalation');
    const missingAction = await callError(gateway.call('critic', 'output', {}, 'c'));
    expect(missingAction.code).toBe('no_agent');
  });

  it('fails with timeout when the agent does not answer in time', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const agent = await transport('slow');
    await agent.serve('slow', { work: () => stuck.then(() => ({ done: true })) });
    const err = await callError((await transport('gateway')).call('slow', 'work', {}, 'c', { timeoutMs: 200 }));
    expect(err.code).toBe('timeout');
    release();
  });

  it('answers a malformed request with an error reply and keeps serving', async () => {
    const agent = await transport('intent');
    await agent.serve('intent', { classify: () => ({ intent: 'greeting' }) });
    const raw = await conn('raw');
    for (const body of ['not json at all', JSON.stringify({ hello: 'world' })]) {
      const reply = decode((await raw.request('agents.intent.classify', body, { timeout: 5000 })).data);
      expect(reply).toMatchObject({ role: 'agent', parts: [{ kind: 'data', data: { error: { code: 'bad_request' } } }] });
    }
    expect(await (await transport('gateway')).call('intent', 'classify', { message: 'hi' }, 'c')).toEqual({ intent: 'greeting' });
  });

  it('stops serving once closed, leaving the connection to its owner', async () => {
    const nc = await conn('agent');
    const agent = natsTransport(nc);
    await agent.serve('analytics', { record: () => ({ ok: true }) });
    const gateway = await transport('gateway');
    expect(await gateway.call('analytics', 'record', {}, 'c')).toEqual({ ok: true });
    await agent.close();
    expect(nc.isClosed()).toBe(false);
    expect((await callError(gateway.call('analytics', 'record', {}, 'c'))).code).toBe('no_agent');
  });

  it('names the URL when it cannot connect', async () => {
    await expect(connectNats('nats://127.0.0.1:1', 'nobody')).rejects.toThrow(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
  });
});
