// The distributed transport: every agent action is a NATS subject `agents.<agent>.<action>` served by a queue group
// named after the agent, so the replicas of one agent (one process or container each) share the requests. Requests
// and replies are JSON A2A envelopes, the same as inproc (transport.ts).
import { connect, errors, type NatsConnection, type Msg, type Subscription } from '@nats-io/transport-node';
import { actionSubject, AgentCallError, answer, envelope, replyData, type AgentHandler, type AgentTransport, type HandlerErrorListener } from './transport.js';

const DEFAULT_CALL_TIMEOUT_MS = 10_000;

export interface NatsTransportOptions {
  /** How long `call` waits for a reply when the caller gives no `timeoutMs`. Default 10 s. */
  timeoutMs?: number;
  /** Told, with the stack, about a handler of this process that threw. */
  onError?: HandlerErrorListener;
}

/** Connects to NATS as `name` (shown by the server's monitoring), reconnecting forever with jitter once connected.
 *  The first connection fails fast with an error naming the URL. */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: url.split(',').map((s) => s.trim()).filter(Boolean),
      name,
      timeout: 5_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      reconnectJitter: 500,
      pingInterval: 20_000,
      maxPingOut: 3,
    });
  } catch (err) {
    throw new Error(`cannot connect to NATS at ${url}: ${(err as Error).message}`, { cause: err });
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * An AgentTransport over an open NATS connection. The caller owns the connection: `close()` drains this transport's
 * subscriptions (requests already received are answered) and waits for their handlers, but leaves the connection open.
 */
export function natsTransport(nc: NatsConnection, opts: NatsTransportOptions = {}): AgentTransport {
  const defaultTimeout = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const subs: Subscription[] = [];
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  async function handle(agent: string, action: string, handler: AgentHandler, msg: Msg): Promise<void> {
    if (!msg.reply) return; // a plain publish expects no answer
    let request: unknown;
    try {
      request = JSON.parse(decoder.decode(msg.data));
    } catch {
      request = undefined; // answer() turns it into a bad_request reply
    }
    const reply = await answer(handler, agent, action, request, opts.onError);
    const failure = (message: string) => encoder.encode(JSON.stringify(envelope('agent', { error: { code: 'agent_error' as const, message: `${agent}.${action}: ${message}` } }, reply.contextId)));
    let payload: Uint8Array;
    try {
      payload = encoder.encode(JSON.stringify(reply));
    } catch (err) {
      payload = failure(`the reply cannot be sent as JSON (${(err as Error).message})`);
    }
    if (payload.length > (nc.info?.max_payload ?? 1024 * 1024)) payload = failure(`reply of ${payload.length} bytes exceeds the NATS max payload`);
    try {
      msg.respond(payload);
    } catch {
      // connection closed while the handler ran: the caller times out, nothing else to do
    }
  }

  return {
    kind: 'nats',

    async call<T>(agent: string, action: string, data: unknown, contextId: string, callOpts?: { timeoutMs?: number }): Promise<T> {
      if (closed) throw new AgentCallError('no_agent', `transport closed: cannot call ${agent}.${action}`);
      const timeout = callOpts?.timeoutMs ?? defaultTimeout;
      const request = encoder.encode(JSON.stringify(envelope('user', data, contextId)));
      let msg: Msg;
      try {
        msg = await nc.request(actionSubject(agent, action), request, { timeout });
      } catch (err) {
        if (err instanceof errors.TimeoutError) throw new AgentCallError('timeout', `${agent}.${action} did not answer within ${timeout} ms`);
        if (err instanceof errors.RequestError && err.isNoResponders()) {
          throw new AgentCallError('no_agent', `no agent "${agent}" serves "${action}" on NATS`);
        }
        if (err instanceof errors.InvalidSubjectError) throw new AgentCallError('bad_request', `invalid agent or action name: ${agent}.${action}`);
        throw new AgentCallError('no_agent', `cannot reach ${agent}.${action} over NATS: ${(err as Error).message}`);
      }
      let reply: unknown;
      try {
        reply = JSON.parse(decoder.decode(msg.data));
      } catch {
        throw new AgentCallError('bad_request', `${agent}.${action} replied with something that is not JSON`);
      }
      return replyData<T>(reply);
    },

    async serve(agent, actions) {
      if (closed) throw new Error('transport closed');
      for (const [action, handler] of Object.entries(actions)) {
        const sub = nc.subscribe(actionSubject(agent, action), {
          queue: agent,
          callback: (err, msg) => {
            if (err) return; // the subscription ended (permissions, connection closed): nothing to answer
            const p = handle(agent, action, handler, msg).catch((e: Error) => opts.onError?.(e, `${agent}.${action}`));
            inFlight.add(p);
            void p.finally(() => inFlight.delete(p));
          },
        });
        subs.push(sub);
      }
      // Requests sent right after serve() resolves must find the subscriptions on the server.
      await nc.flush();
    },

    async close() {
      closed = true;
      const draining = subs.splice(0).map((s) => (s.isClosed() || s.isDraining() ? Promise.resolve() : s.drain().catch(() => undefined)));
      await Promise.all(draining);
      await Promise.allSettled([...inFlight]);
    },
  };
}
