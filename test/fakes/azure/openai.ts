// The Azure OpenAI wire fake: an HTTPS server on 127.0.0.1 that the real `openai` package's AzureOpenAI client talks
// to, serving the data-plane chat completions route as Azure does:
//
//   POST /openai/deployments/{deployment}/chat/completions?api-version=2024-10-21   (header api-key)
//
//   const fake = await startAzureOpenAIFake();
//   new AzureOpenAI({ endpoint: fake.endpoint, apiKey: fake.apiKey, apiVersion, deployment: 'gpt-4o-mini' });
//   fake.model = (req) => 'Hello!';                       // what the "model" writes (default: a reply from the FACTS)
//   fake.faults.push(rateLimited({ retryAfterSeconds: 1 })); // 429 + retry-after, then normal again
//   expect(fake.calls[0].body).not.toContain('olivia.bennett@example.com');
//
// Shapes follow the Azure OpenAI REST reference (2024-10-21): a completion has choices[].message.content,
// finish_reason, content_filter_results and prompt_filter_results, and usage; errors are `{error: {code, message}}`
// (401 for a wrong key, 404 DeploymentNotFound, 429 with retry-after and retry-after-ms, 400 code content_filter
// with innererror ResponsibleAIPolicyViolation when the prompt is filtered).
// TLS: the certificate of the vitest globalSetup test/setup/tls.ts (MAC_TEST_TLS_DIR), trusted by the test workers
// through NODE_EXTRA_CA_CERTS — the same one the Azure fake (server.ts) serves; the client verifies it normally.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readBody } from './server.js';

export interface ChatMessage {
  role: string;
  content: string | null;
}

export interface ChatBody {
  messages?: ChatMessage[];
  model?: string;
  temperature?: number;
  max_tokens?: number;
  [key: string]: unknown;
}

export interface ChatCall {
  seq: number;
  /** Date.now() when the request arrived (retry delays are asserted on it). */
  at: number;
  method: string;
  path: string;
  deployment: string;
  apiVersion: string | null;
  /** Request headers; `api-key` and `authorization` are redacted. */
  headers: Record<string, string>;
  /** Whether the api-key header carried the fake's key. */
  keyValid: boolean;
  /** The request body exactly as sent (for "contains no PII" assertions). */
  body: string;
  json?: ChatBody;
  status: number;
  fault?: boolean;
}

/** What the model answers: content, and optionally how the completion ended. */
export type ModelTurn = string | { content: string | null; finishReason?: 'stop' | 'length' | 'content_filter' };

export interface OpenAIFault {
  /** Which calls it applies to (default: every chat completion). */
  match?: (call: ChatCall) => boolean;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching calls it answers (default 1; Infinity for all). */
  times?: number;
  /** Wait this long before answering (a slow service). */
  delayMs?: number;
}

export interface AzureOpenAIFake {
  /** https://127.0.0.1:<port>: the resource endpoint (the client adds /openai). */
  endpoint: string;
  apiKey: string;
  deployments: Set<string>;
  /** api-version values the fake accepts. */
  apiVersions: Set<string>;
  calls: ChatCall[];
  faults: OpenAIFault[];
  /** The "model": what it writes for a request (default: a short reply built from the FACTS the request carries). */
  model: (body: ChatBody) => ModelTurn | Promise<ModelTurn>;
  /** Delay every successful answer (a slow model). */
  latencyMs: number;
  /** Tokens counted over all successful completions. */
  usage: { prompt: number; completion: number };
  close(): Promise<void>;
}

export interface AzureOpenAIFakeOptions {
  apiKey?: string;
  deployments?: string[];
  apiVersions?: string[];
}

const MAX_BODY = 1024 * 1024;

function loadTestTls(): { cert: string; key: string } {
  const dir = process.env.MAC_TEST_TLS_DIR;
  if (!dir) throw new Error('MAC_TEST_TLS_DIR is not set: the Azure OpenAI fake needs the certificate of the vitest globalSetup test/setup/tls.ts.');
  return { cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'), key: readFileSync(path.join(dir, 'key.pem'), 'utf8') };
}

export async function startAzureOpenAIFake(o: AzureOpenAIFakeOptions = {}): Promise<AzureOpenAIFake> {
  const { cert, key } = loadTestTls();
  const spent = new WeakMap<OpenAIFault, number>();
  let seq = 0;
  const server = https.createServer({ cert, key }, (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'FakeCrashed', message: String(err) } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: AzureOpenAIFake = {
    endpoint,
    apiKey: o.apiKey ?? randomUUID().replace(/-/g, ''),
    deployments: new Set(o.deployments ?? ['gpt-4o-mini', 'gpt-4o']),
    apiVersions: new Set(o.apiVersions ?? ['2024-06-01', '2024-10-21', '2025-01-01-preview']),
    calls: [],
    faults: [],
    model: factsModel,
    latencyMs: 0,
    usage: { prompt: 0, completion: 0 },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_BODY);
    const url = new URL(req.url ?? '/', endpoint);
    const route = /^\/openai\/deployments\/(?<deployment>[^/]+)\/chat\/completions$/.exec(url.pathname);
    const given = req.headers['api-key'];
    const call: ChatCall = {
      seq: ++seq,
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      deployment: decodeURIComponent(route?.groups?.deployment ?? ''),
      apiVersion: url.searchParams.get('api-version'),
      headers: redactHeaders(req),
      keyValid: given === fake.apiKey,
      body,
      status: 0,
    };
    fake.calls.push(call);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      call.status = status;
      send(res, status, payload, headers);
    };

    if (!route || req.method !== 'POST') return answer(404, { error: { code: '404', message: 'Resource not found' } });
    if (!call.apiVersion || !fake.apiVersions.has(call.apiVersion)) return answer(404, { error: { code: '404', message: 'Resource not found' } });
    if (!call.keyValid) {
      return answer(401, {
        error: {
          code: '401',
          message:
            'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        },
      });
    }
    if (!fake.deployments.has(call.deployment)) {
      return answer(404, {
        error: {
          code: 'DeploymentNotFound',
          message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        },
      });
    }
    try {
      call.json = JSON.parse(body) as ChatBody;
    } catch {
      return answer(400, { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null } });
    }
    if (!Array.isArray(call.json.messages) || call.json.messages.length === 0) {
      return answer(400, { error: { message: "'messages' is a required property", type: 'invalid_request_error', param: null, code: null } });
    }

    const fault = takeFault(call);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      call.fault = true;
      return answer(fault.status, fault.body ?? faultBody(fault.status), fault.headers);
    }

    if (fake.latencyMs) await sleep(fake.latencyMs);
    const turn = await fake.model(call.json);
    const { content, finishReason } = typeof turn === 'string' ? { content: turn, finishReason: 'stop' as const } : { content: turn.content, finishReason: turn.finishReason ?? 'stop' };
    const promptTokens = tokens(call.json.messages.map((m) => m.content ?? '').join('\n'));
    const completionTokens = tokens(content ?? '');
    fake.usage.prompt += promptTokens;
    fake.usage.completion += completionTokens;
    answer(200, completion(call.deployment, content, finishReason, promptTokens, completionTokens), {
      'x-ratelimit-remaining-requests': '199',
      'x-ratelimit-remaining-tokens': String(Math.max(0, 200_000 - promptTokens - completionTokens)),
    });
  }

  function takeFault(call: ChatCall): OpenAIFault | undefined {
    for (const fault of fake.faults) {
      if (fault.match && !fault.match(call)) continue;
      const used = (spent.get(fault) ?? 0) + 1;
      spent.set(fault, used);
      if (used >= (fault.times ?? 1)) fake.faults.splice(fake.faults.indexOf(fault), 1);
      return fault;
    }
    return undefined;
  }

  return fake;
}

// ---- faults ---------------------------------------------------------------------------------------------------

/** 429 as Azure OpenAI sends it when a deployment's tokens-per-minute are spent. */
export function rateLimited(o: { retryAfterSeconds?: number; times?: number } = {}): OpenAIFault {
  const seconds = o.retryAfterSeconds ?? 1;
  return {
    status: 429,
    times: o.times,
    headers: { 'retry-after': String(seconds), 'retry-after-ms': String(seconds * 1000), 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '0' },
    body: {
      error: {
        code: '429',
        message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds} second${seconds === 1 ? '' : 's'}. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
      },
    },
  };
}

/** 500: a server error. `retryAfterMs` sets retry-after-ms so that the SDK's retries do not slow a test down. */
export function serverError(o: { times?: number; retryAfterMs?: number } = {}): OpenAIFault {
  return { status: 500, times: o.times, headers: o.retryAfterMs !== undefined ? { 'retry-after-ms': String(o.retryAfterMs) } : {} };
}

/** 400 content_filter: the prompt tripped the content filter (no completion is made). */
export function promptFiltered(o: { times?: number } = {}): OpenAIFault {
  return {
    status: 400,
    times: o.times,
    body: {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: { ...SAFE_RESULTS, violence: { filtered: true, severity: 'high' } },
        },
      },
    },
  };
}

/** A completion the content filter cut: finish_reason content_filter, content null. */
export const filteredCompletion: ModelTurn = { content: null, finishReason: 'content_filter' };

function faultBody(status: number): unknown {
  if (status === 500) return { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } };
  if (status === 503) return { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' } };
  if (status === 408) return { error: { code: 'Timeout', message: 'The operation was timeout.' } };
  return { error: { code: String(status), message: `Status ${status} injected by the Azure OpenAI fake.` } };
}

// ---- completions ----------------------------------------------------------------------------------------------

const SAFE = { filtered: false, severity: 'safe' } as const;
const SAFE_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };

function completion(deployment: string, content: string | null, finishReason: string, promptTokens: number, completionTokens: number): unknown {
  const filtered = finishReason === 'content_filter';
  return {
    id: `chatcmpl-${randomUUID().replace(/-/g, '').slice(0, 29)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: deployment === 'gpt-4o' ? 'gpt-4o-2024-08-06' : 'gpt-4o-mini-2024-07-18',
    system_fingerprint: 'fp_04751d0b65',
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: { ...SAFE_RESULTS, jailbreak: { filtered: false, detected: false } } }],
    choices: [
      {
        index: 0,
        finish_reason: finishReason,
        logprobs: null,
        message: { role: 'assistant', content, refusal: null },
        content_filter_results: filtered
          ? { ...SAFE_RESULTS, violence: { filtered: true, severity: 'medium' } }
          : { ...SAFE_RESULTS, protected_material_code: { filtered: false, detected: false }, protected_material_text: { filtered: false, detected: false } },
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

/** About four characters a token. */
const tokens = (s: string): number => Math.max(1, Math.ceil(s.length / 4));

// ---- the default model ------------------------------------------------------------------------------------------

/** The FACTS JSON of the user message, when the request carries one. */
export function factsIn(body: ChatBody): Record<string, any> | undefined {
  const user = body.messages?.find((m) => m.role === 'user' && m.content?.startsWith('FACTS:'))?.content ?? '';
  const at = user.indexOf('{');
  if (at < 0) return undefined;
  try {
    return JSON.parse(user.slice(at)) as Record<string, any>;
  } catch {
    return undefined;
  }
}

const WORDS = {
  English: { hello: 'Hello', order: (n: string, s: string) => `Your order ${n} is ${s}.`, track: 'Tracking number', mail: 'We will write to you at', help: 'How can I help you today?' },
  French: { hello: 'Bonjour', order: (n: string, s: string) => `Votre commande ${n} : ${s}.`, track: 'Numéro de suivi', mail: 'Nous vous écrirons à', help: 'Comment puis-je vous aider ?' },
  Spanish: { hello: 'Hola', order: (n: string, s: string) => `Su pedido ${n}: ${s}.`, track: 'Número de seguimiento', mail: 'Le escribiremos a', help: '¿En qué puedo ayudarle?' },
} as const;

/** A stand-in for the model: greets the customer by first name, states the first order and its tracking number, and
 *  says where we will write — copying values (or their tokens) from the FACTS, as the system prompt asks. */
export function factsModel(body: ChatBody): string {
  const facts = factsIn(body) ?? {};
  const w = WORDS[(facts.language as keyof typeof WORDS) ?? 'English'] ?? WORDS.English;
  const c = typeof facts.customer === 'object' ? facts.customer : undefined;
  const lines = [c?.firstName ? `${w.hello} ${c.firstName}!` : `${w.hello}!`];
  const order = Array.isArray(facts.orders) ? facts.orders[0] : undefined;
  if (order) {
    const shipment = order.shipments?.[0];
    lines.push(w.order(order.order, shipment?.status ?? order.fulfillment));
    if (shipment?.trackingNumber) lines.push(`${w.track}: ${shipment.carrier ? `${shipment.carrier} ` : ''}${shipment.trackingNumber}.`);
  }
  if (c?.email) lines.push(`${w.mail} ${c.email}.`);
  if (!order) lines.push(w.help);
  return lines.join(' ');
}

// ---- plumbing -----------------------------------------------------------------------------------------------------

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'apim-request-id': randomUUID(),
    'x-request-id': randomUUID(),
    'x-ms-region': 'East US',
    ...headers,
  });
  res.end(text);
}

function redactHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = name === 'api-key' || name === 'authorization' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
