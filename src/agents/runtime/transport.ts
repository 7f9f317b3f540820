// How agents talk to each other: one request/reply seam with two transports — `inproc` (one process hosts every
// agent; a call is a function call) and `nats` (nats-transport.ts: every agent a NATS queue-group subscriber, one
// process or container per agent). Both carry the A2A envelope {messageId, role, parts:[{kind:"data", data}],
// contextId}, so an agent cannot tell which transport brought its message.
import { randomUUID } from 'node:crypto';
import type { A2AMessage } from './contracts.js';

/** Handles one action of an agent. `data` is JSON-shaped; the reply must be JSON-shaped too. */
export type AgentHandler = (data: unknown, ctx: { contextId: string }) => unknown;

export interface AgentTransport {
  readonly kind: 'inproc' | 'nats';
  /** Sends `data` to `agent`'s `action` and resolves with the reply's data; rejects with AgentCallError. */
  call<T>(agent: string, action: string, data: unknown, contextId: string, opts?: { timeoutMs?: number }): Promise<T>;
  /** Serves an agent's actions until the transport closes. */
  serve(agent: string, actions: Record<string, AgentHandler>): Promise<void>;
  close(): Promise<void>;
}

/** The subject (NATS) or key (inproc) of an agent's action: `agents.<agent>.<action>`. */
export function actionSubject(agent: string, action: string): string {
  return `agents.${agent}.${action}`;
}

export function envelope<T>(role: A2AMessage['role'], data: T, contextId: string): A2AMessage<T> {
  return { messageId: randomUUID(), role, parts: [{ kind: 'data', data }], contextId };
}

/** The data of an envelope's first data part; a message of another shape is refused. */
function dataOf(message: unknown): unknown {
  const m = message as Partial<A2AMessage> | null;
  const part = Array.isArray(m?.parts) ? m.parts.find((p) => p?.kind === 'data') : undefined;
  if (!m || typeof m.messageId !== 'string' || typeof m.contextId !== 'string' || !part) {
    throw new AgentCallError('bad_request', 'not an A2A message with a data part');
  }
  return part.data;
}

/** A failed call: the agent threw (`agent_error`), is not served (`no_agent`), did not answer in time
 *  (`timeout`), or the message was malformed (`bad_request`). The message never quotes the request's data. */
export class AgentCallError extends Error {
  constructor(
    readonly code: 'agent_error' | 'no_agent' | 'timeout' | 'bad_request',
    message: string,
  ) {
    super(message);
    this.name = 'AgentCallError';
  }
}

/** Reply data marking a failure: what a handler's exception becomes on the wire. */
interface ErrorReply {
  error: { code: AgentCallError['code']; message: string };
}

function isErrorReply(data: unknown): data is ErrorReply {
  const e = (data as Partial<ErrorReply> | null)?.error;
  return !!e && typeof e === 'object' && typeof e.code === 'string' && typeof e.message === 'string';
}

/** Told about a handler that threw (a bug or an outage in the serving agent), with its stack: the caller only gets
 *  the message. */
export type HandlerErrorListener = (err: Error, where: string) => void;

/** Runs a handler on a request envelope and returns the reply envelope (failures become an ErrorReply). */
export async function answer(
  handler: AgentHandler | undefined,
  agent: string,
  action: string,
  request: unknown,
  onError?: HandlerErrorListener,
): Promise<A2AMessage> {
  let contextId = '';
  try {
    const data = dataOf(request);
    contextId = (request as A2AMessage).contextId;
    if (!handler) throw new AgentCallError('no_agent', `${agent} has no action "${action}"`);
    return envelope('agent', await handler(data, { contextId }), contextId);
  } catch (err) {
    const code = err instanceof AgentCallError ? err.code : 'agent_error';
    if (code === 'agent_error') onError?.(err as Error, `${agent}.${action}`);
    const failure: ErrorReply = { error: { code, message: `${agent}.${action}: ${(err as Error).message ?? String(err)}`.slice(0, 500) } };
    return envelope('agent', failure, contextId);
  }
}

/** The reply's data, or the AgentCallError it carries. */
export function replyData<T>(reply: unknown): T {
  const data = dataOf(reply);
  if (isErrorReply(data)) throw new AgentCallError(data.error.code, data.error.message);
  return data as T;
}

/** Every agent in this process: a call runs the handler directly, still as an A2A request and reply. */
export function inprocTransport(opts: { onError?: HandlerErrorListener } = {}): AgentTransport {
  const handlers = new Map<string, AgentHandler>();
  const served = new Set<string>();
  return {
    kind: 'inproc',
    async call<T>(agent: string, action: string, data: unknown, contextId: string): Promise<T> {
      if (!served.has(agent)) throw new AgentCallError('no_agent', `no agent "${agent}" is served in this process`);
      const reply = await answer(handlers.get(actionSubject(agent, action)), agent, action, envelope('user', data, contextId), opts.onError);
      return replyData<T>(reply);
    },
    async serve(agent, actions) {
      served.add(agent);
      for (const [action, handler] of Object.entries(actions)) handlers.set(actionSubject(agent, action), handler);
    },
    async close() {
      handlers.clear();
      served.clear();
    },
  };
}
