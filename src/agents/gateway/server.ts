// The gateway: the platform's HTTP front door (node:http, no framework on the hot path).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBus } from '../runtime/bus.js';
import type { ChatRequest, ChatResponse } from '../runtime/contracts.js';
import { SHOPIFY_TOPICS, ZENDESK_EVENTS, zendeskEventName } from '../runtime/events.js';
import { RateLimiter } from '../runtime/sessions.js';
import { AgentCallError } from '../runtime/transport.js';
import { validateChatRequest } from './validate.js';
import { WebhookVerifier, type WebhookSecrets, type WebhookSender } from './webhook-auth.js';

const MAX_BODY_BYTES = 64 * 1024;

export interface GatewayDeps {
  chat(req: ChatRequest): Promise<ChatResponse>;
  bus: EventBus;
  /** Whether the platform can answer (in a distributed deployment: whether the agents it calls answer). */
  ready(): boolean | Promise<boolean>;
  analyticsSummary(): Promise<unknown>;
  /** Signing secrets of the webhooks; a sender without one has its webhooks refused (401). */
  webhookSecrets?: WebhookSecrets;
  now?: () => Date;
  log?: (line: string) => void;
  rateLimit?: { perMinute: number; burst: number };
}

export interface Gateway {
  server: Server;
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** host: the address to listen on (default 127.0.0.1); 0.0.0.0 or :: for every interface (a container). */
export async function startGateway(deps: GatewayDeps, opts: { port: number; host?: string }): Promise<Gateway> {
  const limiter = new RateLimiter(deps.rateLimit?.perMinute ?? 30, deps.rateLimit?.burst ?? 5);
  const webhooks = new WebhookVerifier(deps.webhookSecrets);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        // The rest of an oversized body is not read: the connection ends after the answer.
        if (err.status === 413) res.setHeader('Connection', 'close');
        return send(res, err.status, { error: err.message, ...err.extra });
      }
      // An agent that is not running or not answering (distributed deployment): the platform is degraded, not broken.
      if (err instanceof AgentCallError && (err.code === 'no_agent' || err.code === 'timeout')) {
        deps.log?.(`gateway: ${err.message}`);
        res.setHeader('Retry-After', '5');
        return send(res, 503, { error: 'an agent is not answering; please try again shortly' });
      }
      deps.log?.(`gateway error: ${(err as Error).stack ?? String(err)}`);
      send(res, 500, { error: 'internal error' });
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0] ?? '/';
    const method = req.method ?? 'GET';
    if (path === '/v1/chat') {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const body = parseJson(await readBody(req));
      const v = validateChatRequest(body);
      if (!v.ok) throw new HttpError(400, v.error, v.field ? { field: v.field } : {});
      if (v.value.session_id) {
        const r = limiter.take(v.value.session_id);
        if (!r.ok) {
          res.setHeader('Retry-After', String(r.retryAfterS));
          throw new HttpError(429, 'too many messages in this session; please wait', { retry_after_s: r.retryAfterS });
        }
      }
      const reply = await deps.chat(v.value);
      // The message that opened a session counts towards its burst too.
      if (!v.value.session_id) limiter.take(reply.session_id);
      return send(res, 200, reply);
    }
    if (path === '/health') return send(res, 200, { status: 'ok' });
    if (path === '/ready') return (await deps.ready()) ? send(res, 200, { status: 'ready' }) : send(res, 503, { status: 'starting' });
    if (path === '/v1/analytics/summary') {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      return send(res, 200, await deps.analyticsSummary());
    }
    if (path.startsWith('/webhooks/shopify/')) {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const raw = await readBody(req);
      verifyWebhook('shopify', req, raw);
      const topicParam = decodePathSegment(path.slice('/webhooks/shopify/'.length));
      const topic = String(req.headers['x-shopify-topic'] ?? topicParam.replace(/^([a-z_]+)[-.]/, '$1/'));
      const subject = ownValue(SHOPIFY_TOPICS, topic);
      if (!subject) throw new HttpError(400, `unknown Shopify topic "${topic}"`, { known: Object.keys(SHOPIFY_TOPICS) });
      const event = deps.bus.publish(subject, { topic, payload: parseJson(raw) as Record<string, unknown> });
      return send(res, 202, { accepted: true, id: event.id, subject });
    }
    if (path === '/webhooks/zendesk') {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const raw = await readBody(req);
      const duplicate = verifyWebhook('zendesk', req, raw);
      const body = parseJson(raw);
      const name = zendeskEventName(body);
      const subject = ownValue(ZENDESK_EVENTS, name);
      if (!subject) {
        // Zendesk counts an answer other than 2xx as a failed delivery: an event type of its own that the platform
        // has no use for is taken and dropped.
        if (name.startsWith('zen:event-type:')) return send(res, 202, { accepted: true, ignored: `the platform does not use ${name}` });
        throw new HttpError(400, `unknown Zendesk event "${name}"`, { known: Object.keys(ZENDESK_EVENTS) });
      }
      if (duplicate) return send(res, 202, { accepted: true, duplicate: true, subject });
      const event = deps.bus.publish(subject, { payload: body as Record<string, unknown> });
      return send(res, 202, { accepted: true, id: event.id, subject });
    }
    throw new HttpError(404, `no route for ${method} ${path}`);
  }

  /** Throws a 401 for a webhook its sender did not sign; returns whether it repeats a delivery already taken. */
  function verifyWebhook(sender: WebhookSender, req: IncomingMessage, raw: Buffer): boolean {
    const verdict = webhooks.check(sender, { headers: req.headers, raw, now: deps.now?.() ?? new Date() });
    if (verdict.refused !== undefined) throw new HttpError(401, verdict.refused);
    return verdict.duplicate;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = !opts.host || opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Keep-alive clients that never go idle get a short grace period, then are cut.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}

/** A table's own entry: a topic named "constructor" or "__proto__" is unknown, not Object.prototype's member. */
function ownValue(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in the path');
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(new HttpError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        // Not destroyed here: the 413 must reach the client first (the connection closes after it). What is still
        // coming is read and dropped meanwhile.
        req.removeAllListeners('data');
        req.resume();
        chunks.length = 0;
        reject(new HttpError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
