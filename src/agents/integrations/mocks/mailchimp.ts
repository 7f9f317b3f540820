// Mailchimp Marketing API 3.0 mock: lists (audiences) and list members, errors as application/problem+json.

import { randomUUID } from 'node:crypto';
import { credentialAccepted, MAILCHIMP_API_KEY } from '../credential-formats.js';
import { subscriberHash } from '../mailchimp.js';
import type { MailchimpListSeed } from '../shop-data.js';
import type { MailchimpMemberWire } from '../wire.js';
import { intParam, json, type MockRequest, type MockResponse, type MockServiceDefinition } from './server.js';
import type { MockState } from './state.js';

const TITLES: Record<number, [string, string]> = {
  400: ['Invalid Resource', 'The resource submitted could not be validated.'],
  401: ['API Key Invalid', "Your API key may be invalid, or you've attempted to access the wrong datacenter."],
  403: ['Forbidden', "You don't have permission to access this resource."],
  404: ['Resource Not Found', 'The requested resource could not be found.'],
  405: ['Method Not Allowed', 'The requested method and resource are not compatible.'],
  413: ['Request Too Large', 'The request body is too large.'],
  429: ['Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.'],
  500: ['Internal Server Error', 'An unexpected internal error has occurred.'],
  502: ['Bad Gateway', 'The server received an invalid response.'],
  503: ['Service Unavailable', 'The service is temporarily unavailable.'],
  504: ['Gateway Timeout', 'The server did not answer in time.'],
};

function error(status: number, detail?: string, title?: string): MockResponse {
  const [defaultTitle, defaultDetail] = TITLES[status] ?? ['Error', 'An error occurred.'];
  return {
    status,
    contentType: 'application/problem+json; charset=utf-8',
    body: {
      type: 'https://mailchimp.com/developer/marketing/docs/errors/',
      title: title ?? defaultTitle,
      status,
      detail: detail ?? defaultDetail,
      instance: randomUUID(),
    },
  };
}

const STATUSES = ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional', 'archived'];

export const mailchimpMock: MockServiceDefinition = {
  name: 'mailchimp',
  error: (status, message) => error(status, message),
  handle(request) {
    const { state, method, path, req } = request;
    if (!authorized(req.headers.authorization, state)) return error(401);

    if (path === '/3.0/ping' || path === '/3.0/ping/') return json(200, { health_status: "Everything's Chimpy!" });
    if (path === '/3.0/lists' || path === '/3.0/lists/') {
      if (method !== 'GET') return error(405);
      const count = intParam(request.query, 'count', 10, 1000);
      const offset = Math.max(0, Number(request.query.get('offset') ?? 0) || 0);
      return json(200, {
        lists: state.lists.slice(offset, offset + count).map(listOut),
        total_items: state.lists.length,
        constraints: { may_create: true, max_instances: 100, current_total_instances: state.lists.length },
        _links: [],
      });
    }
    let m: RegExpExecArray | null;
    if ((m = /^\/3\.0\/lists\/([^/]+)\/?$/.exec(path))) {
      const list = state.list(decodeURIComponent(m[1] ?? ''));
      if (!list) return error(404);
      return method === 'GET' ? json(200, listOut(list)) : error(405);
    }
    if ((m = /^\/3\.0\/lists\/([^/]+)\/members\/?$/.exec(path))) {
      const list = state.list(decodeURIComponent(m[1] ?? ''));
      if (!list) return error(404);
      if (method === 'GET') return listMembers(request, list);
      if (method === 'POST') return addMember(request, list);
      return error(405);
    }
    if ((m = /^\/3\.0\/lists\/([^/]+)\/members\/([^/]+)\/?$/.exec(path))) {
      const list = state.list(decodeURIComponent(m[1] ?? ''));
      if (!list) return error(404);
      const key = decodeURIComponent(m[2] ?? '');
      const hash = key.includes('@') ? subscriberHash(key) : key.toLowerCase();
      if (method === 'GET') {
        const member = findMember(list, hash);
        return member ? json(200, memberOut(list, member)) : error(404);
      }
      if (method === 'PUT') return upsertMember(request, list, hash);
      return error(405);
    }
    return error(404);
  },
};

function authorized(header: string | undefined, state: MockState): boolean {
  if (!header) return false;
  const ok = (key: string | undefined) =>
    credentialAccepted(key, state.credentials.mailchimp.apiKey, MAILCHIMP_API_KEY, state.settings.acceptWellFormedCredentials);
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    return decoded.includes(':') && ok(password);
  }
  return scheme?.toLowerCase() === 'bearer' && ok(value);
}

function findMember(list: MailchimpListSeed, hash: string): MailchimpMemberWire | undefined {
  return list.members.find((m) => subscriberHash(m.email_address) === hash);
}

/** The list as the API returns it: no members array; stats derived from the current members. */
function listOut(list: MailchimpListSeed): Record<string, unknown> {
  const { members, ...rest } = list;
  const count = (status: string) => members.filter((m) => (m.status ?? 'subscribed') === status).length;
  return {
    ...rest,
    stats: {
      ...(list.stats ?? {}),
      member_count: count('subscribed'),
      unsubscribe_count: count('unsubscribed'),
      cleaned_count: count('cleaned'),
    },
  };
}

function memberOut(list: MailchimpListSeed, m: MailchimpMemberWire): Record<string, unknown> {
  const mergeFields = m.merge_fields ?? {};
  const fullName = [mergeFields.FNAME, mergeFields.LNAME].filter((v) => typeof v === 'string' && v).join(' ');
  const tags = (m.tags ?? []).map((t, i) => (typeof t === 'string' ? { id: i + 1, name: t } : { id: t.id ?? i + 1, name: t.name }));
  return {
    ...m,
    id: subscriberHash(m.email_address),
    email_address: m.email_address,
    unique_email_id: subscriberHash(`${list.id}:${m.email_address.toLowerCase()}`).slice(0, 10),
    full_name: fullName,
    email_type: 'html',
    status: m.status ?? 'subscribed',
    merge_fields: mergeFields,
    language: m.language ?? '',
    tags_count: tags.length,
    tags,
    list_id: list.id,
  };
}

function listMembers(request: MockRequest, list: MailchimpListSeed): MockResponse {
  const count = intParam(request.query, 'count', 10, 1000);
  const offset = Math.max(0, Number(request.query.get('offset') ?? 0) || 0);
  const status = request.query.get('status');
  const members = list.members.filter((m) => status === null || (m.status ?? 'subscribed') === status);
  return json(200, {
    members: members.slice(offset, offset + count).map((m) => memberOut(list, m)),
    list_id: list.id,
    total_items: members.length,
    _links: [],
  });
}

function validateBody(request: MockRequest): { body: Record<string, unknown> } | { error: MockResponse } {
  if (request.bodyError) return { error: error(400, 'We encountered an unspecified JSON parsing error.', 'JSON Parse Error') };
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { error: error(400, 'The request body must be a JSON object.') };
  }
  const record = body as Record<string, unknown>;
  for (const key of ['status', 'status_if_new'] as const) {
    if (record[key] !== undefined && !STATUSES.includes(String(record[key]))) {
      return { error: error(400, `Invalid value for ${key}: "${String(record[key])}".`) };
    }
  }
  if (record.merge_fields !== undefined && (typeof record.merge_fields !== 'object' || record.merge_fields === null)) {
    return { error: error(400, 'merge_fields must be an object.') };
  }
  return { body: record };
}

function upsertMember(request: MockRequest, list: MailchimpListSeed, hash: string): MockResponse {
  const checked = validateBody(request);
  if ('error' in checked) return checked.error;
  const { body } = checked;
  const email = body.email_address;
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    return error(400, 'Please provide a valid email address.');
  }
  if (subscriberHash(email) !== hash) {
    return error(400, "The email address doesn't match the subscriber hash in the URL.");
  }
  const existing = findMember(list, hash);
  const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
  if (existing) {
    if (body.status !== undefined) existing.status = String(body.status);
    if (body.merge_fields) existing.merge_fields = { ...existing.merge_fields, ...(body.merge_fields as object) };
    if (typeof body.language === 'string') existing.language = body.language;
    existing.email_address = email;
    existing['last_changed'] = stamp;
    return json(200, memberOut(list, existing));
  }
  const status = body.status ?? body.status_if_new;
  if (status === undefined) {
    return error(400, 'The resource submitted could not be validated. status_if_new is required for new members.');
  }
  const member: MailchimpMemberWire = {
    id: hash,
    email_address: email,
    status: String(status),
    language: typeof body.language === 'string' ? body.language : '',
    merge_fields: (body.merge_fields as Record<string, unknown> | undefined) ?? {},
    tags: [],
    timestamp_signup: stamp,
    last_changed: stamp,
  };
  list.members.push(member);
  return json(200, memberOut(list, member));
}

function addMember(request: MockRequest, list: MailchimpListSeed): MockResponse {
  const checked = validateBody(request);
  if ('error' in checked) return checked.error;
  const email = checked.body.email_address;
  if (typeof email !== 'string') return error(400, 'Please provide a valid email address.');
  if (findMember(list, subscriberHash(email))) {
    return error(400, `${email} is already a list member. Use PUT to insert or update list members.`, 'Member Exists');
  }
  if (checked.body.status === undefined) return error(400, 'status is required.');
  return upsertMember(
    { ...request, body: { ...checked.body, status_if_new: checked.body.status } },
    list,
    subscriberHash(email),
  );
}
