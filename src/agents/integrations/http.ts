// A tiny JSON-over-HTTP helper shared by the Shopify, Zendesk, Mailchimp and GA4 clients.
//
// - one base URL per client; absolute URLs (e.g. a Shopify `Link: <…>; rel="next"`) are accepted only when they point
//   at the same origin, so credentials are never sent anywhere else;
// - a timeout per attempt (AbortSignal.timeout);
// - retries with p-retry on 429 (honouring `Retry-After`), 502/503/504 and network errors; never on other statuses
//   and never on a timeout (a slow upstream is reported, not hammered; a POST is not replayed blindly);
// - failures surface as `IntegrationError`, whose message names the service, method, path (never the query string,
//   which may hold PII or a secret) and status, and is scrubbed of every configured secret.

import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import pRetry, { AbortError } from 'p-retry';

export type IntegrationService = 'shopify' | 'zendesk' | 'mailchimp' | 'ga4';

export type IntegrationErrorCode = 'http' | 'network' | 'timeout' | 'invalid_response' | 'config';

export class IntegrationError extends Error {
  override readonly name = 'IntegrationError';
  readonly service: string;
  /** HTTP status when the service answered; undefined for network errors and timeouts. */
  readonly status: number | undefined;
  readonly code: IntegrationErrorCode;
  readonly method: string;
  /** Request path without the query string. */
  readonly path: string;
  /** Parsed `Retry-After` of a 429/503 answer, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** How many attempts were made (set once retries are exhausted or skipped). */
  attempts = 1;
  /** The service's error payload (already scrubbed of secrets), when it sent one. */
  readonly body: unknown;

  constructor(init: {
    service: string;
    message: string;
    code: IntegrationErrorCode;
    method: string;
    path: string;
    status?: number;
    retryAfterMs?: number;
    body?: unknown;
  }) {
    super(init.message);
    this.service = init.service;
    this.status = init.status;
    this.code = init.code;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
  }

  /** 429, 502, 503, 504 and network errors are worth another attempt. */
  get retryable(): boolean {
    if (this.code === 'network') return true;
    return this.code === 'http' && this.status !== undefined && RETRYABLE_STATUSES.has(this.status);
  }
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay (default 250 ms), doubled each retry up to maxTimeoutMs (default 2000 ms). */
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  /** Cap on an honoured `Retry-After` (default 30 s). Longer waits fail fast instead. */
  maxRetryAfterMs?: number;
  /** Used to wait for `Retry-After`; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry (after the failed attempt). */
  onRetry?: (info: { attempt: number; error: IntegrationError; waitMs: number }) => void;
}

export interface HttpClientOptions {
  service: IntegrationService | string;
  baseUrl: string;
  headers?: Record<string, string>;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Values that must never appear in an error message (tokens, API keys, Basic credentials). */
  secrets?: string[];
  /** Replaces the default transport (node:http with keep-alive connections); tests inject fakes here. */
  fetch?: typeof fetch;
}

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  query?: Record<string, QueryValue>;
  /** Serialised as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses (besides 2xx) returned as a response instead of thrown, e.g. [404] for lookups. */
  allowStatuses?: number[];
  timeoutMs?: number;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON body; undefined for an empty body (e.g. 204). */
  data: T;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` as milliseconds: delta-seconds (Shopify sends "2.0") or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** Parses an RFC 8288 `Link` header into `{ rel: url }` (Shopify cursor pagination). */
export function parseLinkHeader(value: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!value) return links;
  for (const match of value.matchAll(/<([^>]*)>\s*;\s*rel="?([^";,]+)"?/g)) {
    const [, url, rel] = match;
    if (url !== undefined && rel !== undefined) links[rel] = url;
  }
  return links;
}

export class HttpClient {
  readonly service: string;
  readonly baseUrl: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retry: Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;
  private readonly secrets: string[];
  private readonly fetchImpl: typeof fetch | undefined;

  constructor(options: HttpClientOptions) {
    this.service = options.service;
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new IntegrationError({
        service: options.service,
        code: 'config',
        method: '-',
        path: '-',
        message: `${options.service}: invalid base URL`,
      });
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.baseUrl = base;
    this.headers = { accept: 'application/json', ...options.headers };
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retry = {
      retries: options.retry?.retries ?? 3,
      minTimeoutMs: options.retry?.minTimeoutMs ?? 250,
      maxTimeoutMs: options.retry?.maxTimeoutMs ?? 2_000,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 30_000,
      sleep: options.retry?.sleep ?? sleep,
      onRetry: options.retry?.onRetry,
    };
    if (this.retry.minTimeoutMs > this.retry.maxTimeoutMs) this.retry.maxTimeoutMs = this.retry.minTimeoutMs;
    // Secrets shorter than 4 characters would scrub ordinary words; such secrets are not secrets anyway.
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
    this.fetchImpl = options.fetch;
  }

  /** Resolves a path relative to the base URL (or checks an absolute URL is on the same origin). */
  url(path: string, query?: Record<string, QueryValue>): URL {
    const isAbsolute = /^https?:\/\//i.test(path);
    const url = isAbsolute ? new URL(path) : new URL(path.replace(/^\/+/, ''), this.baseUrl);
    if (url.origin !== this.baseUrl.origin) {
      throw new IntegrationError({
        service: this.service,
        code: 'config',
        method: '-',
        path: url.pathname,
        message: `${this.service}: refusing to follow a URL on another origin (${url.origin})`,
      });
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    return url;
  }

  get<T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<HttpResponse<T>> {
    return this.request<T>(path, { ...options, method: 'GET' });
  }

  post<T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<HttpResponse<T>> {
    return this.request<T>(path, { ...options, method: 'POST', body });
  }

  put<T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<HttpResponse<T>> {
    return this.request<T>(path, { ...options, method: 'PUT', body });
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const method = options.method ?? 'GET';
    const url = this.url(path, options.query);
    const { retries, minTimeoutMs, maxTimeoutMs } = this.retry;
    let attempts = 0;
    try {
      return await pRetry(
        async (attempt) => {
          attempts = attempt;
          try {
            return await this.once<T>(method, url, options);
          } catch (error) {
            // Only retryable IntegrationErrors go back to p-retry; everything else stops it.
            if (error instanceof IntegrationError && error.retryable) throw error;
            throw new AbortError(error instanceof Error ? error : new Error(String(error)));
          }
        },
        {
          retries,
          factor: 2,
          minTimeout: minTimeoutMs,
          maxTimeout: maxTimeoutMs,
          randomize: false,
          onFailedAttempt: async (failed) => {
            if (failed.retriesLeft <= 0 || !(failed instanceof IntegrationError)) return;
            const backoff = Math.min(Math.max(minTimeoutMs, 1) * 2 ** (failed.attemptNumber - 1), maxTimeoutMs);
            let waitMs = backoff;
            if (failed.retryAfterMs !== undefined) {
              if (failed.retryAfterMs > this.retry.maxRetryAfterMs) {
                // Waiting that long would block a customer's request: give up now (onFailedAttempt throwing aborts).
                throw failed;
              }
              // p-retry waits `backoff` anyway; wait the remainder of Retry-After here.
              const extra = failed.retryAfterMs - backoff;
              if (extra > 0) await this.retry.sleep(extra);
              waitMs = Math.max(backoff, failed.retryAfterMs);
            }
            this.retry.onRetry?.({ attempt: failed.attemptNumber, error: failed, waitMs });
          },
        },
      );
    } catch (error) {
      if (error instanceof IntegrationError) {
        error.attempts = Math.max(attempts, 1);
        throw error;
      }
      throw new IntegrationError({
        service: this.service,
        code: 'network',
        method,
        path: url.pathname,
        message: this.scrub(`${this.service} ${method} ${url.pathname} failed: ${errorText(error)}`),
      });
    }
  }

  private async once<T>(method: string, url: URL, options: RequestOptions): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...this.headers, ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const where = `${this.service} ${method} ${url.pathname}`;
    let response: Received;
    let text: string;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      if (this.fetchImpl) {
        const r = await this.fetchImpl(url, { method, headers, body, signal });
        text = await r.text();
        response = r;
      } else {
        ({ response, text } = await send(url, method, headers, body, signal));
      }
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new IntegrationError({
        service: this.service,
        code: timedOut ? 'timeout' : 'network',
        method,
        path: url.pathname,
        message: this.scrub(
          timedOut ? `${where} timed out after ${timeoutMs} ms` : `${where} failed: ${errorText(error)}`,
        ),
      });
    }

    let data: unknown = undefined;
    let parseFailed = false;
    if (text.trim() !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
    }

    const ok = response.status >= 200 && response.status < 300;
    if (!ok && !(options.allowStatuses ?? []).includes(response.status)) {
      const detail = parseFailed ? text.replace(/<[^>]*>/g, ' ') : errorDetail(data);
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const statusText = response.statusText ? ` ${response.statusText}` : '';
      throw new IntegrationError({
        service: this.service,
        code: 'http',
        method,
        path: url.pathname,
        status: response.status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        body: parseFailed ? undefined : this.scrubValue(data),
        message: this.scrub(
          `${where} failed: HTTP ${response.status}${statusText}${detail ? ` — ${truncate(detail, 300)}` : ''}`,
        ),
      });
    }
    if (parseFailed) {
      throw new IntegrationError({
        service: this.service,
        code: 'invalid_response',
        method,
        path: url.pathname,
        status: response.status,
        message: `${where}: the response is not valid JSON`,
      });
    }
    return { status: response.status, headers: response.headers, data: data as T };
  }

  private scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  private scrubValue(value: unknown): unknown {
    if (value === undefined || this.secrets.length === 0) return value;
    try {
      return JSON.parse(this.scrub(JSON.stringify(value))) as unknown;
    } catch {
      return undefined;
    }
  }
}

interface Received {
  status: number;
  statusText: string;
  headers: Headers;
}

// One keep-alive agent per scheme for every client in the process: a lookup reuses an open connection instead of
// paying a TCP connect (and the server a new socket) per request. An idle connection is kept no longer than the
// server's `Keep-Alive: timeout=N` allows, with a margin: Node's agent (like fetch's pool) keeps a second of margin
// and so never reuses a connection whose server announces one second or less (Node's own default server announces
// five; the integration stand-ins one) — there a request paid a new connection every time. Such a connection is
// kept for half the announced time instead.
function shortHintKeepAlive<A extends http.Agent>(agent: A): A {
  const keep = agent.keepSocketAlive.bind(agent);
  agent.keepSocketAlive = (duplex) => {
    const socket = duplex as Socket;
    const res = (socket as { _httpMessage?: { res?: http.IncomingMessage } })._httpMessage?.res;
    const hint = Number(/^timeout=(\d+)/.exec(String(res?.headers['keep-alive'] ?? ''))?.[1] ?? NaN);
    if (!(hint > 0 && hint <= 1)) return keep(socket);
    socket.setKeepAlive(true, 1000);
    socket.unref();
    socket.setTimeout((hint * 1000) / 2); // the agent destroys a free socket on timeout
    return true;
  };
  return agent;
}
const AGENTS = {
  'http:': shortHintKeepAlive(new http.Agent({ keepAlive: true })),
  'https:': shortHintKeepAlive(new https.Agent({ keepAlive: true })),
};

/** The request over node:http(s): status, headers and the body as text. Aborts with the signal's reason. */
function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<{ response: Received; text: string }> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'];
    const outgoing: Record<string, string | number> = { ...headers };
    if (body !== undefined) outgoing['content-length'] = Buffer.byteLength(body);
    const req = lib.request(url, { method, headers: outgoing, agent });
    const onAbort = () => {
      const reason = signal.reason instanceof Error ? signal.reason : Object.assign(new Error('aborted'), { name: 'AbortError' });
      req.destroy(reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const x of v) h.append(k, x);
          else if (v !== undefined) h.set(k, v);
        }
        resolve({ response: { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: h }, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(body);
  });
}

/** Basic auth header value. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? code : cause.message})`;
  }
  return error.message;
}

/** The human part of the error payloads these services send. */
function errorDetail(data: unknown): string {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return data;
  if (typeof data !== 'object') return String(data);
  const record = data as Record<string, unknown>;
  const parts: string[] = [];
  // Shopify: {errors: "..."} or {errors: {field: ["..."]}}
  if (record.errors !== undefined) {
    if (typeof record.errors === 'string') parts.push(record.errors);
    else if (Array.isArray(record.errors)) parts.push(record.errors.map(String).join('; '));
    else if (record.errors && typeof record.errors === 'object') {
      for (const [field, value] of Object.entries(record.errors as Record<string, unknown>)) {
        parts.push(`${field}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
      }
    }
  }
  // Zendesk: {error, description, details}; Mailchimp (problem+json): {title, detail}
  for (const key of ['error', 'title', 'description', 'detail']) {
    const value = record[key];
    if (typeof value === 'string' && !parts.includes(value)) parts.push(value);
    else if (value && typeof value === 'object' && key === 'error') {
      const inner = value as Record<string, unknown>;
      if (typeof inner.message === 'string') parts.push(inner.message);
    }
  }
  return parts.join(' — ');
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
