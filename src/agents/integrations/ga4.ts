// Google Analytics 4 Measurement Protocol client.
//
// Note: the real /mp/collect answers 2xx even for malformed events or a wrong api_secret (events are silently
// dropped); only /debug/mp/collect reports problems. Use `validate` when wiring things up.

import { HttpClient, type RetryOptions } from './http.js';

export const GA4_MAX_EVENTS_PER_REQUEST = 25;

export interface Ga4ClientOptions {
  baseUrl?: string;
  measurementId: string;
  apiSecret: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  fetch?: typeof fetch;
}

export interface Ga4Event {
  name: string;
  params?: Record<string, unknown>;
}

export interface Ga4SendOptions {
  userId?: string;
  timestampMicros?: number;
  userProperties?: Record<string, { value: unknown }>;
}

export interface Ga4ValidationMessage {
  fieldPath?: string;
  description: string;
  validationCode: string;
}

export class Ga4Client {
  private readonly http: HttpClient;
  private readonly measurementId: string;
  private readonly apiSecret: string;

  constructor(options: Ga4ClientOptions) {
    this.measurementId = options.measurementId;
    this.apiSecret = options.apiSecret;
    this.http = new HttpClient({
      service: 'ga4',
      baseUrl: options.baseUrl ?? 'https://www.google-analytics.com',
      secrets: [options.apiSecret],
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Sends events in batches of at most 25 per request. */
  async sendEvents(
    clientId: string,
    events: Ga4Event[],
    options: Ga4SendOptions = {},
  ): Promise<{ requests: number; events: number }> {
    let requests = 0;
    for (const batch of chunk(events, GA4_MAX_EVENTS_PER_REQUEST)) {
      await this.http.post('/mp/collect', this.payload(clientId, batch, options), { query: this.query() });
      requests++;
    }
    return { requests, events: events.length };
  }

  /** Sends the same batches to the validation server; returns every message (empty = valid). */
  async validate(clientId: string, events: Ga4Event[], options: Ga4SendOptions = {}): Promise<Ga4ValidationMessage[]> {
    const messages: Ga4ValidationMessage[] = [];
    const batches = events.length === 0 ? [[]] : chunk(events, GA4_MAX_EVENTS_PER_REQUEST);
    for (const batch of batches) {
      const { data } = await this.http.post<{ validationMessages?: Ga4ValidationMessage[] }>(
        '/debug/mp/collect',
        this.payload(clientId, batch, options),
        { query: this.query() },
      );
      messages.push(...(data?.validationMessages ?? []));
    }
    return messages;
  }

  private query(): Record<string, string> {
    return { measurement_id: this.measurementId, api_secret: this.apiSecret };
  }

  private payload(clientId: string, events: Ga4Event[], options: Ga4SendOptions): Record<string, unknown> {
    const body: Record<string, unknown> = {
      client_id: clientId,
      events: events.map((e) => ({ name: e.name, params: e.params ?? {} })),
    };
    if (options.userId) body.user_id = options.userId;
    if (options.timestampMicros !== undefined) body.timestamp_micros = options.timestampMicros;
    if (options.userProperties) body.user_properties = options.userProperties;
    return body;
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
