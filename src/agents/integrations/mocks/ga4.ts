// GA4 Measurement Protocol mock. Like the real service, /mp/collect always answers 204 and silently drops what it
// cannot accept (bad payload, unknown measurement id or wrong api_secret); /debug/mp/collect reports the problems.
// (The real validation server does not check api_secret; this mock reports it, to catch misconfiguration.)

import { credentialAccepted, GA4_API_SECRET } from '../credential-formats.js';
import { json, MAX_RECORDED, type MockRequest, type MockResponse, type MockServiceDefinition } from './server.js';
import type { Ga4StoredEvent } from './state.js';

interface ValidationMessage {
  fieldPath: string;
  description: string;
  validationCode: string;
}

const RESERVED_NAMES = new Set([
  'ad_activeview',
  'ad_click',
  'ad_exposure',
  'ad_impression',
  'ad_query',
  'ad_reward',
  'adunit_exposure',
  'app_background',
  'app_clear_data',
  'app_exception',
  'app_remove',
  'app_store_refund',
  'app_store_subscription_cancel',
  'app_store_subscription_convert',
  'app_store_subscription_renew',
  'app_update',
  'app_upgrade',
  'dynamic_link_app_open',
  'dynamic_link_app_update',
  'dynamic_link_first_open',
  'error',
  'first_open',
  'first_visit',
  'in_app_purchase',
  'notification_dismiss',
  'notification_foreground',
  'notification_open',
  'notification_receive',
  'os_update',
  'session_start',
  'session_start_with_rollout',
  'user_engagement',
]);
const RESERVED_PREFIXES = ['_', 'firebase_', 'ga_', 'google_', 'gtag.'];
const NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_EVENTS = 25;
const MAX_PARAMS = 25;
const MAX_NAME = 40;
const MAX_PARAM_VALUE = 100;

function error(status: number, message?: string): MockResponse {
  return json(status, { error: { code: status, message: message ?? 'Error', status: 'ERROR' } });
}

export const ga4Mock: MockServiceDefinition = {
  name: 'ga4',
  error,
  handle(request) {
    const { method, path } = request;
    if (method !== 'POST') return error(405, 'Method not allowed');
    if (path === '/mp/collect') return collect(request, 'collect');
    if (path === '/debug/mp/collect') return collect(request, 'debug');
    return error(404, 'Not found');
  },
};

function collect(request: MockRequest, endpoint: 'collect' | 'debug'): MockResponse {
  const { state, query } = request;
  const measurementId = query.get('measurement_id');
  const apiSecret = query.get('api_secret');
  const messages: ValidationMessage[] = [];

  if (measurementId !== state.credentials.ga4.measurementId) {
    messages.push({
      fieldPath: 'measurement_id',
      description: `Measurement ID ${measurementId ?? '(missing)'} is not known to this property.`,
      validationCode: 'VALUE_INVALID',
    });
  }
  if (!credentialAccepted(apiSecret ?? undefined, state.credentials.ga4.apiSecret, GA4_API_SECRET, state.settings.acceptWellFormedCredentials)) {
    messages.push({ fieldPath: 'api_secret', description: 'The api_secret is invalid.', validationCode: 'VALUE_INVALID' });
  }

  const body = request.body as { client_id?: unknown; user_id?: unknown; events?: unknown } | undefined;
  let events: { name: string; params: Record<string, unknown> }[] = [];
  if (request.bodyError || !body || typeof body !== 'object') {
    messages.push({ fieldPath: '', description: 'Unable to parse the request body as JSON.', validationCode: 'VALUE_INVALID' });
  } else {
    if (typeof body.client_id !== 'string' || body.client_id === '') {
      messages.push({ fieldPath: 'client_id', description: 'client_id is required.', validationCode: 'VALUE_REQUIRED' });
    }
    if (!Array.isArray(body.events) || body.events.length === 0) {
      messages.push({ fieldPath: 'events', description: 'At least one event is required.', validationCode: 'VALUE_REQUIRED' });
    } else {
      if (body.events.length > MAX_EVENTS) {
        messages.push({
          fieldPath: 'events',
          description: `A request can have a maximum of ${MAX_EVENTS} events; it has ${body.events.length}.`,
          validationCode: 'EXCEEDED_MAX_ENTITIES',
        });
      }
      events = body.events.map((raw: unknown, i: number) => {
        const e = (raw ?? {}) as { name?: unknown; params?: unknown };
        const name = typeof e.name === 'string' ? e.name : '';
        const params = e.params && typeof e.params === 'object' ? (e.params as Record<string, unknown>) : {};
        messages.push(...validateEvent(name, params, i));
        return { name, params };
      });
    }
  }

  const userId = typeof body?.user_id === 'string' ? body.user_id : undefined;
  const clientId = typeof body?.client_id === 'string' ? body.client_id : null;
  const accepted = messages.length === 0;
  const receivedAt = new Date().toISOString();
  state.ga4.requests.push({
    endpoint,
    measurementId,
    clientId,
    ...(userId !== undefined ? { userId } : {}),
    events,
    accepted,
    reasons: messages.map((m) => m.description),
    receivedAt,
  });

  trim(state.ga4.requests);
  if (endpoint === 'debug') return json(200, { validationMessages: messages });
  if (accepted && clientId !== null) {
    state.ga4.events.push(
      ...events.map(
        (e): Ga4StoredEvent => ({ clientId, ...(userId !== undefined ? { userId } : {}), name: e.name, params: e.params, receivedAt }),
      ),
    );
    trim(state.ga4.events);
  }
  return { status: 204 };
}

function validateEvent(name: string, params: Record<string, unknown>, index: number): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  const where = `events[${index}]`;
  if (!name) {
    messages.push({ fieldPath: `${where}.name`, description: `Event at index: [${index}] has no name.`, validationCode: 'VALUE_REQUIRED' });
    return messages;
  }
  if (!NAME_RE.test(name) || name.length > MAX_NAME) {
    messages.push({
      fieldPath: `${where}.name`,
      description: `Event at index: [${index}] has invalid name [${name}]. Names must start with an alphabetic character, contain only alphanumeric characters and underscores, and be at most ${MAX_NAME} characters.`,
      validationCode: 'NAME_INVALID',
    });
  } else if (RESERVED_NAMES.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) {
    messages.push({
      fieldPath: `${where}.name`,
      description: `Event at index: [${index}] has name [${name}] which is reserved.`,
      validationCode: 'NAME_RESERVED',
    });
  }
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMS) {
    messages.push({
      fieldPath: `${where}.params`,
      description: `Event at index: [${index}] has ${keys.length} params; the maximum is ${MAX_PARAMS}.`,
      validationCode: 'EXCEEDED_MAX_ENTITIES',
    });
  }
  for (const key of keys) {
    if (!NAME_RE.test(key) || key.length > MAX_NAME || RESERVED_PREFIXES.some((p) => key.startsWith(p))) {
      messages.push({
        fieldPath: `${where}.params.${key}`,
        description: `Event at index: [${index}] has invalid param [${key}].`,
        validationCode: 'NAME_INVALID',
      });
    }
    const value = params[key];
    if (typeof value === 'string' && value.length > MAX_PARAM_VALUE) {
      messages.push({
        fieldPath: `${where}.params.${key}`,
        description: `Event at index: [${index}] has param [${key}] with a value longer than ${MAX_PARAM_VALUE} characters.`,
        validationCode: 'VALUE_OUT_OF_BOUNDS',
      });
    }
  }
  return messages;
}

function trim(list: unknown[]): void {
  if (list.length > MAX_RECORDED) list.splice(0, list.length - MAX_RECORDED);
}
