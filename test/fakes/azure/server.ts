// The Azure wire fake: ONE HTTPS server on 127.0.0.1 that the real @azure/* SDK clients talk to.
//
//   const fake = await startAzureFake();
//   // mac.yaml cloud: { armEndpoint: fake.url, authorityHost: fake.url }; AZURE_* env from fake.tenantId/clientId/…
//   fake.faults.push({ match: on('GET', /\/resourcegroups$/i), status: 429, headers: { 'Retry-After': '1' } });
//   expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toContain(…);
//   await fake.close();
//
// Shape, so it can grow (container groups, Key Vault, cost query, Cosmos …):
//   - a router: method + path regex (named groups → req.params) → handler(req, fake). Each Azure surface registers its
//     routes from its own module (entra.ts, arm-resources.ts, …) in `startAzureFake`; a test can add or override a
//     route with `fake.route(…)` (test routes are tried first).
//   - `fake.state`: the in-memory world every module reads and writes (principals, tokens, subscriptions, …).
//   - `fake.requests`: every request in arrival order (Authorization values and client secrets redacted) with the
//     status the fake answered, so tests assert on what the SDK actually sent.
//   - `fake.faults`: per-test fault injection, checked before routing; each fault fires `times` times (default 1).
//   - unknown routes answer 404 with an ARM error body naming the request, and are flagged in the log + on stderr.
// TLS: the certificate and key come from MAC_TEST_TLS_DIR, written by the vitest globalSetup test/setup/tls.ts, which
// also puts the certificate in NODE_EXTRA_CA_CERTS for the test workers, so clients verify it normally.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { registerEntra, type IssuedToken, type ServicePrincipal } from './entra.js';
import { registerResourceGroups, type FakeSubscription } from './arm-resources.js';
import { registerStorage } from './storage.js';
import { registerKeyVault } from './keyvault.js';
import { registerContainerInstance } from './container-instance.js';
import { registerAcr } from './acr.js';
import { registerCost } from './cost.js';
import { registerCosmos } from './cosmos.js';
import { armError, faultBody } from './respond.js';

export interface FakeRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The path as sent (percent-encoding kept), without the query. */
  path: string;
  url: URL;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw request body (utf8). */
  body: string;
  /** Named groups of the matched route's pattern, percent-decoded. */
  params: Record<string, string>;
  /** This request's log entry; handlers may annotate it (e.g. `token`). */
  log: LoggedRequest;
  json<T = unknown>(): T | undefined;
  form(): URLSearchParams;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON, strings as text; omitted (and always for HEAD) → no body. */
  body?: unknown;
}

export type Handler = (req: FakeRequest, fake: AzureFake) => FakeResponse | Promise<FakeResponse>;

export interface Route {
  name: string;
  /** Upper-case method, or '*' for any. */
  method: string;
  /** Matched against the path (without query). Use named groups for parameters; ARM paths want the `i` flag. */
  pattern: RegExp;
  handler: Handler;
}

export interface LoggedRequest {
  seq: number;
  /** Date.now() when the request arrived (retry delays are asserted on it). */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Request headers; `authorization` keeps only its scheme (`Bearer [redacted]`). */
  headers: Record<string, string>;
  /** Body as sent, with `client_secret`/`client_assertion` form values redacted. */
  body?: string;
  /** Name of the route that answered; undefined when none matched. */
  route?: string;
  /** Status the fake answered with (0 until answered). */
  status: number;
  /** True when an injected fault answered. */
  fault?: boolean;
  /** What the fake made of a bearer token, for routes that require one. */
  token?: { status: TokenStatus; clientId?: string; audience?: string };
}

export type TokenStatus = 'valid' | 'missing' | 'unknown' | 'expired' | 'wrong-audience';

export interface Fault {
  match: (req: FakeRequest) => boolean;
  /** Status to answer with; omit to only delay (`delayMs`) and then route normally. */
  status?: number;
  headers?: Record<string, string>;
  /** Response body; default: an ARM error body for the status. */
  body?: unknown;
  /** How many matching requests it applies to (default 1; Infinity for all). Spent faults leave `fake.faults`. */
  times?: number;
  delayMs?: number;
}

export interface AzureFakeState {
  /** Tenant ids the token endpoint knows. */
  tenants: Set<string>;
  /** App registrations by client id. */
  principals: Map<string, ServicePrincipal>;
  /** Access tokens the fake issued, by token value. */
  tokens: Map<string, IssuedToken>;
  /** Subscriptions by lower-case id. */
  subscriptions: Map<string, FakeSubscription>;
}

export interface AzureFake {
  /** https://127.0.0.1:<port> — use as authorityHost and as the ARM endpoint. */
  url: string;
  port: number;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  /** PEM of the certificate the fake serves (for clients that take `tlsOptions.ca`). */
  ca: string;
  state: AzureFakeState;
  requests: LoggedRequest[];
  faults: Fault[];
  /** Adds a route tried before the built-in ones (to extend or override the fake in one test). */
  route(method: string, pattern: RegExp, handler: Handler, name?: string): void;
  /** Requests no route answered. */
  unmatched(): LoggedRequest[];
  /** Clears the request log, pending faults and test routes; keeps state. */
  reset(): void;
  close(): Promise<void>;
}

export interface AzureFakeOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  subscriptionId?: string;
  /** Print unmatched routes to stderr (default true). */
  warnUnmatched?: boolean;
}

const TLS_DIR_ENV = 'MAC_TEST_TLS_DIR';
const MAX_BODY = 4 * 1024 * 1024;

/** Matcher for faults: method ('*' for any) and a path pattern. */
export function on(method: string, pattern: RegExp): (req: FakeRequest) => boolean {
  const m = method.toUpperCase();
  return (req) => (m === '*' || req.method === m) && pattern.test(req.path);
}

function loadTls(): { cert: string; key: string } {
  const dir = process.env[TLS_DIR_ENV];
  if (!dir) {
    throw new Error(
      `${TLS_DIR_ENV} is not set: the Azure fake needs the test TLS certificate made by the vitest globalSetup ` +
        `test/setup/tls.ts (run the tests through vitest with the project's vitest.config.ts).`,
    );
  }
  return { cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'), key: readFileSync(path.join(dir, 'key.pem'), 'utf8') };
}

export async function startAzureFake(options: AzureFakeOptions = {}): Promise<AzureFake> {
  const { cert, key } = loadTls();
  const tenantId = options.tenantId ?? randomUUID();
  const clientId = options.clientId ?? randomUUID();
  const clientSecret = options.clientSecret ?? `fake-secret-${randomUUID()}`;
  const subscriptionId = options.subscriptionId ?? randomUUID();
  const warnUnmatched = options.warnUnmatched ?? true;

  const builtIn: Route[] = [];
  let testRoutes: Route[] = [];
  const spent = new WeakMap<Fault, number>();
  let seq = 0;
  const sockets = new Set<Duplex>();

  const state: AzureFakeState = {
    tenants: new Set([tenantId]),
    principals: new Map([[clientId, { clientId, tenantId, clientSecret, displayName: 'mac-test-sp' }]]),
    tokens: new Map(),
    subscriptions: new Map([
      [
        subscriptionId.toLowerCase(),
        { subscriptionId, tenantId, displayName: 'mac test subscription', resourceGroups: new Map() },
      ],
    ]),
  };

  const server = https.createServer({ cert, key }, (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      console.error('[azure-fake] handler crashed:', err);
      if (!res.headersSent) {
        send(res, 'GET', { status: 500, body: { error: { code: 'FakeCrashed', message: String(err) } } });
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;

  const fake: AzureFake = {
    url,
    port,
    tenantId,
    clientId,
    clientSecret,
    subscriptionId,
    ca: cert,
    state,
    requests: [],
    faults: [],
    route(method, pattern, handler, name) {
      testRoutes.push({ method: method.toUpperCase(), pattern, handler, name: name ?? `test ${method} ${pattern}` });
    },
    unmatched() {
      return fake.requests.filter((r) => r.route === undefined && !r.fault);
    },
    reset() {
      fake.requests.length = 0;
      fake.faults.length = 0;
      testRoutes = [];
    },
    async close() {
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const register = (route: Route): void => {
    builtIn.push(route);
  };
  registerEntra(fake, register);
  registerAcr(fake, register);
  registerResourceGroups(fake, register);
  registerKeyVault(fake, register);
  registerStorage(fake, register);
  registerContainerInstance(fake, register);
  registerCost(fake, register);
  registerCosmos(fake, register);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = new URL(req.url ?? '/', url);
    const log: LoggedRequest = {
      seq: ++seq,
      at: Date.now(),
      method,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: redactHeaders(req.headers),
      ...(body ? { body: redactBody(body) } : {}),
      status: 0,
    };
    fake.requests.push(log);
    const request: FakeRequest = {
      method,
      path: parsed.pathname,
      url: parsed,
      query: parsed.searchParams,
      headers: req.headers,
      body,
      params: {},
      log,
      json<T>() {
        if (!body) return undefined;
        return JSON.parse(body) as T;
      },
      form() {
        return new URLSearchParams(body);
      },
    };

    const fault = takeFault(request);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status !== undefined) {
        log.fault = true;
        log.status = fault.status;
        send(res, method, { status: fault.status, headers: fault.headers, body: fault.body ?? faultBody(fault.status) });
        return;
      }
    }

    for (const route of [...testRoutes, ...builtIn]) {
      if (route.method !== '*' && route.method !== method) continue;
      const m = route.pattern.exec(parsed.pathname);
      if (!m) continue;
      request.params = decodeGroups(m.groups);
      log.route = route.name;
      const response = await route.handler(request, fake);
      log.status = response.status;
      send(res, method, response);
      return;
    }

    const query = parsed.search;
    if (warnUnmatched) console.warn(`[azure-fake] no route for ${method} ${parsed.pathname}${query} — add one under test/fakes/azure/`);
    const response = armError(
      404,
      'FakeRouteNotFound',
      `The Azure fake has no route for ${method} ${parsed.pathname}${query}. Add one under test/fakes/azure/.`,
    );
    log.status = response.status;
    send(res, method, response);
  }

  function takeFault(req: FakeRequest): Fault | undefined {
    for (const fault of fake.faults) {
      if (!fault.match(req)) continue;
      const used = (spent.get(fault) ?? 0) + 1;
      spent.set(fault, used);
      if (used >= (fault.times ?? 1)) fake.faults.splice(fake.faults.indexOf(fault), 1);
      return fault;
    }
    return undefined;
  }

  return fake;
}

function send(res: ServerResponse, method: string, response: FakeResponse): void {
  const headers: Record<string, string> = { 'x-ms-request-id': randomUUID(), ...(response.headers ?? {}) };
  let payload: string | undefined;
  if (response.body !== undefined) {
    if (typeof response.body === 'string') {
      payload = response.body;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(response.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
  }
  headers['content-length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}

/** The request's body as text; over `maxBytes` it is refused (a fake, not a sink). */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error(`request body over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = name === 'authorization' ? `${text.split(' ')[0] ?? ''} [redacted]` : text;
  }
  return out;
}

function redactBody(body: string): string {
  return body.replace(/(^|&)(client_secret|client_assertion)=[^&]*/g, '$1$2=[redacted]');
}

function decodeGroups(groups: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(groups ?? {})) {
    if (v !== undefined) out[k] = decodeURIComponent(v);
  }
  return out;
}
