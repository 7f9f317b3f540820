// Shared plumbing of the mock servers: one node:http server per service, a request log, fault injection.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault, MockService, MockState, RecordedRequest } from './state.js';

export interface MockRequest {
  req: http.IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when empty); `bodyError` is set when the body is not JSON. */
  body: unknown;
  bodyError?: string;
  /** Origin the client used (from the Host header), for absolute URLs in answers. */
  origin: string;
  state: MockState;
}

export interface MockResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to application/json; charset=utf-8 when there is a body. */
  contentType?: string;
}

export interface MockServiceDefinition {
  name: MockService;
  handle(request: MockRequest): MockResponse | Promise<MockResponse>;
  /** The service's own error shape for a status (used for faults and by the handlers). */
  error(status: number, message?: string): MockResponse;
}

const MAX_BODY = 1024 * 1024;
/** Most recent requests kept in state.requests (and GA4 payloads kept in state.ga4). */
export const MAX_RECORDED = 10_000;

export function json(status: number, body?: unknown, headers?: Record<string, string>): MockResponse {
  return { status, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) };
}

export async function startService(
  definition: MockServiceDefinition,
  state: MockState,
  host: string,
  port: number,
): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    void serve(definition, state, req, res);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { server, url: `http://${shownHost}:${address.port}` };
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function serve(
  definition: MockServiceDefinition,
  state: MockState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  const url = new URL(req.url ?? '/', origin);
  const method = (req.method ?? 'GET').toUpperCase();
  const record: RecordedRequest = {
    service: definition.name,
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    status: 0,
  };
  state.requests.push(record);
  // A long-running dev mock must not grow without bound.
  if (state.requests.length > MAX_RECORDED) state.requests.splice(0, state.requests.length - MAX_RECORDED);

  let raw: string;
  try {
    raw = await readBody(req);
  } catch {
    return send(res, record, definition.error(413, 'Request body too large'));
  }
  let body: unknown;
  let bodyError: string | undefined;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
      record.body = body;
    } catch (error) {
      bodyError = error instanceof Error ? error.message : String(error);
    }
  }

  const fault = takeFault(state, definition.name, method, url.pathname);
  if (fault) {
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.down) {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault.status !== undefined) {
      const response = definition.error(fault.status);
      if (fault.body !== undefined) response.body = fault.body;
      if (fault.retryAfter !== undefined) {
        response.headers = { ...response.headers, 'retry-after': String(fault.retryAfter) };
      }
      return send(res, record, response);
    }
  }

  let response: MockResponse;
  try {
    response = await definition.handle({
      req,
      method,
      path: url.pathname,
      query: url.searchParams,
      body,
      ...(bodyError !== undefined ? { bodyError } : {}),
      origin,
      state,
    });
  } catch (error) {
    response = definition.error(500, error instanceof Error ? error.message : String(error));
  }
  if (fault?.lostReply) {
    record.status = 0;
    req.socket.destroy();
    return;
  }
  send(res, record, response);
}

/** The fault to apply to this request, if any (decrementing `times`). */
function takeFault(
  state: MockState,
  service: MockService,
  method: string,
  path: string,
): { status?: number; down?: boolean; lostReply?: boolean; retryAfter?: number | string; delayMs?: number; body?: unknown } | undefined {
  const fault: Fault | undefined = state.faults[service];
  if (fault === undefined) return undefined;
  if (fault === 'down') return { down: true };
  if (fault.method && fault.method.toUpperCase() !== method) return undefined;
  if (fault.path !== undefined) {
    const matches = typeof fault.path === 'string' ? path.includes(fault.path) : fault.path.test(path);
    if (!matches) return undefined;
  }
  if (fault.times !== undefined) {
    if (fault.times <= 0) {
      delete state.faults[service];
      return undefined;
    }
    fault.times -= 1;
    if (fault.times <= 0) delete state.faults[service];
  }
  return fault;
}

function send(res: http.ServerResponse, record: RecordedRequest, response: MockResponse): void {
  record.status = response.status;
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.body !== undefined && response.status !== 204) {
    payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    headers['content-type'] = response.contentType ?? 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Positive integer query parameter, clamped; `fallback` when absent or invalid. */
export function intParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  const n = raw === null ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < 1) return fallback;
  return Math.min(n, max);
}

/** Parses a search query like `type:ticket requester:"a@b.c" status<solved free text` into terms. */
export function parseSearchQuery(query: string): { key?: string; op: string; value: string; negate: boolean }[] {
  const terms: { key?: string; op: string; value: string; negate: boolean }[] = [];
  const re = /(-)?(?:([A-Za-z_]+)(:|<=|>=|<|>))?("([^"]*)"|\S+)/g;
  for (const match of query.matchAll(re)) {
    const [, negate, key, op, rawValue, quoted] = match;
    const value = quoted ?? rawValue ?? '';
    if (key === undefined && value === '') continue;
    terms.push({ ...(key !== undefined ? { key: key.toLowerCase() } : {}), op: op ?? ':', value, negate: negate === '-' });
  }
  return terms;
}
