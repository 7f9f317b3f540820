import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HttpClient,
  IntegrationError,
  parseLinkHeader,
  parseRetryAfter,
} from '../../../src/agents/integrations/http.js';
import { fastRetry, requestsTo, startHarness, type Harness } from './helpers.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.mocks.close();
});
beforeEach(() => {
  h.mocks.state.reset();
  h.retry.waits.length = 0;
  h.retry.retried.length = 0;
});

describe('retries (p-retry) against the mocks', () => {
  it('retries a 429 after the Retry-After delay, then succeeds', async () => {
    h.mocks.state.faults.shopify = { status: 429, times: 1, retryAfter: '2.0' };
    const order = await h.shopify.orderByNumber(10252);
    expect(order?.name).toBe('#10252');
    const calls = requestsTo(h.mocks, 'shopify');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // Retry-After: 2.0 → 2000 ms honoured (the injected sleep records the wait beyond p-retry's 1 ms backoff).
    expect(h.retry.waits).toEqual([1999]);
    expect(h.retry.retried).toEqual([1]);
  });

  it('retries 502/503/504 up to 3 times', async () => {
    h.mocks.state.faults.zendesk = { status: 503, times: 3 };
    const tickets = await h.zendesk.ticketsByRequesterEmail('daniel.okafor@example.com');
    expect(tickets.map((t) => t.id)).toEqual([5101]);
    expect(requestsTo(h.mocks, 'zendesk').map((c) => c.status)).toEqual([503, 503, 503, 200]);
  });

  it('gives up after 3 retries with the last error', async () => {
    h.mocks.state.faults.mailchimp = { status: 502 };
    const error = await h.mailchimp.lists().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ service: 'mailchimp', status: 502, attempts: 4, retryable: true });
    expect(requestsTo(h.mocks, 'mailchimp')).toHaveLength(4);
  });

  it('retries network errors (connection reset) and then succeeds', async () => {
    h.mocks.state.faults.shopify = { down: true, times: 2 };
    const product = await h.shopify.product(8203141000103);
    expect(product?.title).toBe('Summit Hand Grinder');
    expect(requestsTo(h.mocks, 'shopify').map((c) => c.status)).toEqual([0, 0, 200]);
  });

  it('a service that is down fails with a network IntegrationError', async () => {
    h.mocks.state.faults.shopify = 'down';
    const error = await h.shopify.product(8203141000103).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'IntegrationError', service: 'shopify', code: 'network', status: undefined, attempts: 4 });
  });

  it('does not retry other 4xx', async () => {
    h.mocks.state.faults.shopify = { status: 422, times: 5 };
    const error = await h.shopify.product(8203141000103).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, attempts: 1 });
    expect(requestsTo(h.mocks, 'shopify')).toHaveLength(1);
  });

  it('fails fast when Retry-After is beyond the cap', async () => {
    const retry = { ...fastRetry(), maxRetryAfterMs: 5_000 };
    const client = new HttpClient({ service: 'shopify', baseUrl: h.mocks.urls.shopify, retry });
    h.mocks.state.faults.shopify = { status: 429, times: 1, retryAfter: 60 };
    const error = await client.get('/admin/api/2024-10/products.json').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 60_000 });
    expect(retry.waits).toEqual([]);
    expect(requestsTo(h.mocks, 'shopify')).toHaveLength(1);
  });

  it('a timeout is reported (code "timeout") and not retried', async () => {
    h.mocks.state.faults.ga4 = { delayMs: 3_000, times: 1 };
    const client = new HttpClient({ service: 'ga4', baseUrl: h.mocks.urls.ga4, timeoutMs: 100, retry: fastRetry() });
    const error = await client.post('/mp/collect', { client_id: 'x', events: [{ name: 'a' }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', service: 'ga4', attempts: 1 });
    expect((error as Error).message).toMatch(/timed out after 100 ms/);
  });
});

describe('secrets never reach error messages', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    // A hostile upstream that echoes the credentials back in its error payload.
    server = http.createServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `bad auth header ${req.headers.authorization ?? ''} for ${req.url ?? ''}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('scrubs tokens from the message and the body, and leaves the query string out', async () => {
    const client = new HttpClient({
      service: 'ga4',
      baseUrl: base,
      headers: { authorization: 'Bearer tok_super_secret_value' },
      secrets: ['tok_super_secret_value', 'api-secret-xyz'],
    });
    const error = await client
      .get('/mp/collect', { query: { api_secret: 'api-secret-xyz', email: 'olivia@example.com' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    const text = `${(error as Error).message} ${JSON.stringify((error as IntegrationError).body)}`;
    expect(text).not.toContain('tok_super_secret_value');
    expect(text).not.toContain('api-secret-xyz');
    expect((error as Error).message).toMatch(/^ga4 GET \/mp\/collect failed: HTTP 400/);
  });

  it('refuses to send credentials to another origin', async () => {
    const client = new HttpClient({ service: 'shopify', baseUrl: base, headers: { 'x-shopify-access-token': 't' } });
    await expect(client.get('https://elsewhere.example.com/admin/api/2024-10/products.json')).rejects.toMatchObject({
      code: 'config',
    });
  });
});

describe('header parsing', () => {
  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('2.0')).toBe(2000);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT'))).toBe(2000);
  });

  it('parses Shopify Link headers', () => {
    const header =
      '<https://x.myshopify.com/admin/api/2024-10/products.json?limit=50&page_info=abc>; rel="previous", ' +
      '<https://x.myshopify.com/admin/api/2024-10/products.json?limit=50&page_info=def>; rel="next"';
    expect(parseLinkHeader(header)).toEqual({
      previous: 'https://x.myshopify.com/admin/api/2024-10/products.json?limit=50&page_info=abc',
      next: 'https://x.myshopify.com/admin/api/2024-10/products.json?limit=50&page_info=def',
    });
    expect(parseLinkHeader(null)).toEqual({});
  });
});
