// Response helpers shared by the fake's route modules: JSON bodies, ARM and Entra error shapes.
import { randomUUID } from 'node:crypto';
import type { FakeResponse } from './server.js';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, body, headers };
}

export function empty(status: number, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers };
}

/** The ARM error envelope (`CloudError`): `{ error: { code, message } }`. */
export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers, body: { error: { code, message } } };
}

/** The Entra ID (AAD v2) OAuth error shape that MSAL parses. */
export function entraError(status: number, error: string, code: number, description: string): FakeResponse {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description}`,
      error_codes: [code],
      timestamp: new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

const FAULT_CODES: Record<number, [string, string]> = {
  408: ['RequestTimeout', 'The request timed out (injected by the Azure fake).'],
  429: ['TooManyRequests', 'The request is being throttled (injected by the Azure fake).'],
  500: ['InternalServerError', 'An internal server error occurred (injected by the Azure fake).'],
  502: ['BadGateway', 'Bad gateway (injected by the Azure fake).'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable (injected by the Azure fake).'],
  504: ['GatewayTimeout', 'The gateway timed out (injected by the Azure fake).'],
};

/** Default ARM-shaped body for an injected fault without its own body. */
export function faultBody(status: number): unknown {
  const [code, message] = FAULT_CODES[status] ?? ['InjectedFault', `Status ${status} injected by the Azure fake.`];
  return { error: { code, message } };
}
