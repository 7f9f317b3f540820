// Zendesk Support API v2 mock: create/show/update/list tickets, their comments, and the search API (tickets and
// users), with side-loading.

import { ZENDESK_API_TOKEN } from '../credential-formats.js';
import { basicAuth } from '../http.js';
import type { ZendeskTicketWire, ZendeskUserWire } from '../wire.js';
import { intParam, json, parseSearchQuery, type MockRequest, type MockResponse, type MockServiceDefinition } from './server.js';
import type { MockState, ZendeskCommentRecord } from './state.js';

const ERRORS: Record<number, { error: string; description?: string }> = {
  400: { error: 'InvalidEndpoint', description: 'Bad request' },
  401: { error: "Couldn't authenticate you" },
  403: { error: 'Forbidden', description: 'You do not have access to this page.' },
  404: { error: 'RecordNotFound', description: 'Not found' },
  413: { error: 'RequestTooLarge', description: 'Request body too large' },
  422: { error: 'RecordInvalid', description: 'Record validation errors' },
  429: { error: 'TooManyRequests', description: 'Number of allowed API requests per minute exceeded' },
  500: { error: 'InternalServerError', description: 'Internal server error' },
  502: { error: 'BadGateway', description: 'Bad gateway' },
  503: { error: 'ServiceUnavailable', description: 'Service temporarily unavailable' },
  504: { error: 'GatewayTimeout', description: 'Gateway timeout' },
};

function error(status: number, message?: string): MockResponse {
  const known = ERRORS[status] ?? { error: 'Error' };
  return json(status, message !== undefined ? { ...known, description: message } : known);
}

function invalid(field: string, description: string): MockResponse {
  return json(422, {
    error: 'RecordInvalid',
    description: 'Record validation errors',
    details: { [field]: [{ description, error: 'InvalidValue' }] },
  });
}

/** Basic `{email}/token:{apiToken}` for the configured agent; the token exact, or well-formed when the settings allow. */
function authorized(header: string | undefined, state: MockState): boolean {
  const { email, apiToken } = state.credentials.zendesk;
  if (header === basicAuth(`${email}/token`, apiToken)) return true;
  if (!state.settings.acceptWellFormedCredentials || header === undefined) return false;
  const user = `${email}/token:`;
  const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
  const token = decoded.startsWith(user) ? decoded.slice(user.length) : '';
  // Re-encoding must give the header back: a canonical `Basic …` of exactly this user and token.
  return ZENDESK_API_TOKEN.test(token) && header === basicAuth(`${email}/token`, token);
}

const STATUS_ORDER = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'];

export const zendeskMock: MockServiceDefinition = {
  name: 'zendesk',
  error,
  handle(request) {
    const { state, method, path, req } = request;
    if (!authorized(req.headers.authorization, state)) return error(401);

    let m: RegExpExecArray | null;
    if (path === '/api/v2/tickets.json' && method === 'POST') return createTicket(request);
    if (path === '/api/v2/tickets.json' && method === 'GET') return listTickets(request);
    if ((m = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(path)) && method === 'GET') {
      const ticket = state.tickets.find((t) => String(t.id) === m?.[1]);
      if (!ticket) return error(404);
      const body: Record<string, unknown> = { ticket };
      if (includes(request, 'users')) body.users = usersOf(state, [ticket]);
      return json(200, body);
    }
    if ((m = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(path)) && method === 'PUT') return updateTicket(request, Number(m[1]));
    if ((m = /^\/api\/v2\/tickets\/(\d+)\/comments\.json$/.exec(path)) && method === 'GET') {
      const id = Number(m[1]);
      if (!state.tickets.some((t) => t.id === id)) return error(404);
      const comments = state.commentsOf(id);
      return json(200, { comments, next_page: null, previous_page: null, count: comments.length });
    }
    if ((m = /^\/api\/v2\/users\/(\d+)\.json$/.exec(path)) && method === 'GET') {
      const user = state.users.find((u) => String(u.id) === m?.[1]);
      return user ? json(200, { user }) : error(404);
    }
    if (path === '/api/v2/search.json' && method === 'GET') return search(request);
    return json(404, { error: 'InvalidEndpoint', description: 'Not found' });
  },
};

function includes(request: MockRequest, what: string): boolean {
  const include = request.query.get('include') ?? '';
  return include.split(',').some((part) => part.trim() === what || part.trim() === `tickets(${what})`);
}

function usersOf(state: MockState, tickets: ZendeskTicketWire[]): ZendeskUserWire[] {
  const ids = new Set<number>();
  for (const t of tickets) {
    for (const id of [t.requester_id, t.submitter_id, t.assignee_id]) if (typeof id === 'number') ids.add(id);
  }
  return state.users.filter((u) => ids.has(u.id));
}

function createTicket(request: MockRequest): MockResponse {
  const { state, body, origin } = request;
  if (request.bodyError) return error(400, `Invalid JSON: ${request.bodyError}`);
  // Idempotency-Key: a repeat of a key answers with the ticket it created, and creates nothing.
  const key = request.req.headers['idempotency-key'];
  const earlier = typeof key === 'string' ? state.tickets.find((t) => t.id === state.ticketsByIdempotencyKey.get(key)) : undefined;
  if (earlier) return json(201, { ticket: earlier }, { 'x-idempotency-lookup': 'hit' });
  const input = (body as { ticket?: Record<string, unknown> } | undefined)?.ticket;
  if (!input || typeof input !== 'object') return error(400, 'ticket parameter is missing');

  const comment = input.comment as { body?: unknown; html_body?: unknown; public?: unknown } | undefined;
  const text = typeof comment?.body === 'string' ? comment.body : typeof comment?.html_body === 'string' ? comment.html_body : '';
  if (text.trim() === '') return invalid('base', 'Description: cannot be blank');
  const priority = input.priority ?? null;
  if (priority !== null && (typeof priority !== 'string' || !PRIORITY_ORDER.includes(priority))) {
    return invalid('priority', `Priority: is not included in the list`);
  }
  const tags = input.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) return invalid('tags', 'Tags: must be a list');

  const agent = state.userByEmail(state.credentials.zendesk.email);
  let requesterId: number | undefined;
  const requester = input.requester as { email?: unknown; name?: unknown } | undefined;
  if (requester !== undefined) {
    if (typeof requester.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(requester.email)) {
      return invalid('requester', 'Requester: Email is invalid');
    }
    let user = state.userByEmail(requester.email);
    if (!user) {
      const name =
        typeof requester.name === 'string' && requester.name.trim()
          ? requester.name.trim()
          : (requester.email.split('@')[0] ?? requester.email);
      user = {
        id: state.nextIds.user++,
        url: `${origin}/api/v2/users/${state.nextIds.user - 1}.json`,
        name,
        email: requester.email,
        role: 'end-user',
        created_at: now(),
      };
      state.users.push(user);
    }
    requesterId = user.id;
  } else if (typeof input.requester_id === 'number') {
    if (!state.users.some((u) => u.id === input.requester_id)) return invalid('requester', 'Requester: is invalid');
    requesterId = input.requester_id;
  } else {
    requesterId = agent?.id;
  }

  const id = state.nextIds.ticket++;
  const stamp = now();
  const ticket: ZendeskTicketWire = {
    id,
    url: `${origin}/api/v2/tickets/${id}.json`,
    external_id: null,
    subject: typeof input.subject === 'string' ? input.subject : text.slice(0, 80),
    raw_subject: typeof input.subject === 'string' ? input.subject : text.slice(0, 80),
    description: text,
    status: typeof input.status === 'string' ? input.status : 'new',
    priority: priority as string | null,
    type: typeof input.type === 'string' ? input.type : null,
    requester_id: requesterId ?? null,
    submitter_id: agent?.id ?? requesterId ?? null,
    assignee_id: typeof input.assignee_id === 'number' ? input.assignee_id : null,
    group_id: typeof input.group_id === 'number' ? input.group_id : null,
    organization_id: null,
    tags: [...new Set(tags as string[])],
    custom_fields: Array.isArray(input.custom_fields) ? (input.custom_fields as { id: number; value: unknown }[]) : [],
    via: { channel: 'api' },
    created_at: stamp,
    updated_at: stamp,
  };
  state.tickets.push(ticket);
  if (typeof key === 'string') state.ticketsByIdempotencyKey.set(key, id);
  state.ticketComments.set(id, [{ id: id * 1000 + 2, type: 'Comment', author_id: ticket.submitter_id ?? null, body: text, public: comment?.public !== false, created_at: stamp }]);
  return json(
    201,
    {
      ticket,
      audit: {
        id: id * 1000 + 1,
        ticket_id: id,
        created_at: stamp,
        author_id: ticket.submitter_id,
        events: [{ id: id * 1000 + 2, type: 'Comment', body: text, public: comment?.public !== false }],
      },
    },
    { location: `${origin}/api/v2/tickets/${id}.json` },
  );
}

function addComment(state: MockState, ticketId: number, authorId: number | null, body: string, isPublic: boolean, at: string): ZendeskCommentRecord {
  const comments = state.commentsOf(ticketId).slice();
  const comment: ZendeskCommentRecord = { id: ticketId * 1000 + 2 * (comments.length + 1), type: 'Comment', author_id: authorId, body, public: isPublic, created_at: at };
  comments.push(comment);
  state.ticketComments.set(ticketId, comments);
  return comment;
}

/**
 * PUT /api/v2/tickets/{id}.json: `priority`, `status`, `subject`, `group_id`, `tags` (replaces them),
 * `additional_tags` / `remove_tags` (adds / removes some), and `comment` ({body, public}: public by default).
 */
function updateTicket(request: MockRequest, id: number): MockResponse {
  const { state, body } = request;
  if (request.bodyError) return error(400, `Invalid JSON: ${request.bodyError}`);
  const ticket = state.tickets.find((t) => t.id === id);
  if (!ticket) return error(404);
  const input = (body as { ticket?: Record<string, unknown> } | undefined)?.ticket;
  if (!input || typeof input !== 'object') return error(400, 'ticket parameter is missing');

  const priority = input.priority;
  if (priority !== undefined && priority !== null && (typeof priority !== 'string' || !PRIORITY_ORDER.includes(priority))) {
    return invalid('priority', 'Priority: is not included in the list');
  }
  const status = input.status;
  if (status !== undefined && (typeof status !== 'string' || !STATUS_ORDER.includes(status))) return invalid('status', 'Status: is not included in the list');
  const tagLists: Record<string, unknown> = { tags: input.tags, additional_tags: input.additional_tags, remove_tags: input.remove_tags };
  for (const [field, list] of Object.entries(tagLists)) {
    if (list !== undefined && (!Array.isArray(list) || list.some((t) => typeof t !== 'string'))) return invalid(field, 'Tags: must be a list');
  }
  const comment = input.comment as { body?: unknown; html_body?: unknown; public?: unknown } | undefined;
  let text: string | undefined;
  if (comment !== undefined) {
    text = typeof comment?.body === 'string' ? comment.body : typeof comment?.html_body === 'string' ? comment.html_body : '';
    if (text.trim() === '') return invalid('comment', 'Comment: cannot be blank');
  }

  const stamp = now();
  if (priority !== undefined) ticket.priority = priority as string | null;
  if (status !== undefined) ticket.status = status as string;
  if (typeof input.subject === 'string') ticket.subject = input.subject;
  if (typeof input.group_id === 'number') ticket.group_id = input.group_id;
  let tags = [...(ticket.tags ?? [])];
  if (input.tags !== undefined) tags = [...(input.tags as string[])];
  if (input.additional_tags !== undefined) tags.push(...(input.additional_tags as string[]));
  if (input.remove_tags !== undefined) tags = tags.filter((t) => !(input.remove_tags as string[]).includes(t));
  ticket.tags = [...new Set(tags)];
  ticket.updated_at = stamp;
  const agent = state.userByEmail(state.credentials.zendesk.email);
  const events: Record<string, unknown>[] = [];
  // Audit ids just below their comment's, as for a created ticket.
  let auditId = id * 1000 + 2 * (state.commentsOf(id).length + 1) - 1;
  if (text !== undefined) {
    const added = addComment(state, id, agent?.id ?? null, text, comment?.public !== false, stamp);
    events.push({ id: added.id, type: 'Comment', body: text, public: added.public });
    auditId = added.id - 1;
  }
  return json(200, { ticket, audit: { id: auditId, ticket_id: id, created_at: stamp, author_id: agent?.id ?? null, events } });
}

function listTickets(request: MockRequest): MockResponse {
  const { state, query, origin } = request;
  const perPage = intParam(query, 'per_page', 100, 100);
  const page = intParam(query, 'page', 1, Number.MAX_SAFE_INTEGER);
  const all = [...state.tickets].sort((a, b) => a.id - b.id);
  const slice = all.slice((page - 1) * perPage, page * perPage);
  const more = page * perPage < all.length;
  return json(200, {
    tickets: slice,
    next_page: more ? `${origin}/api/v2/tickets.json?page=${page + 1}&per_page=${perPage}` : null,
    previous_page: page > 1 ? `${origin}/api/v2/tickets.json?page=${page - 1}&per_page=${perPage}` : null,
    count: all.length,
  });
}

function search(request: MockRequest): MockResponse {
  const { state, query, origin } = request;
  const q = query.get('query');
  if (q === null || q.trim() === '') {
    return json(400, { error: 'InvalidQuery', description: 'Query is required' });
  }
  const terms = parseSearchQuery(q);
  const typeTerm = terms.find((t) => t.key === 'type');
  const type = typeTerm?.value.toLowerCase();
  const rest = terms.filter((t) => t !== typeTerm);

  type Result = (ZendeskTicketWire | ZendeskUserWire) & { result_type: string };
  let results: Result[] = [];
  if (type === undefined || type === 'ticket') {
    // Users by id (the first of an id, as a scan finds), built once per search rather than a scan per ticket.
    const users = new Map<number, ZendeskUserWire>();
    for (const u of state.users) if (!users.has(u.id)) users.set(u.id, u);
    results.push(
      ...state.tickets
        .filter((t) => rest.every((term) => ticketMatches(users, t, term)))
        .map((t) => ({ ...t, result_type: 'ticket' })),
    );
  }
  if (type === undefined || type === 'user') {
    results.push(
      ...state.users
        .filter((u) => rest.every((term) => userMatches(u, term)))
        .map((u) => ({ ...u, result_type: 'user' })),
    );
  }

  const sortBy = query.get('sort_by');
  const ascending = query.get('sort_order') === 'asc';
  if (sortBy) {
    const key = (r: Result): number | string => {
      if (sortBy === 'created_at' || sortBy === 'updated_at') return Date.parse(String(r[sortBy] ?? '')) || 0;
      if (sortBy === 'status') return STATUS_ORDER.indexOf(String(r.status ?? ''));
      if (sortBy === 'priority') return PRIORITY_ORDER.indexOf(String(r.priority ?? ''));
      if (sortBy === 'ticket_type') return String(r.type ?? '');
      return r.id;
    };
    results = results.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : 0;
      return ascending ? c : -c;
    });
  }

  const perPage = intParam(query, 'per_page', 100, Math.min(100, state.settings.zendeskMaxPerPage));
  const page = intParam(query, 'page', 1, Number.MAX_SAFE_INTEGER);
  const slice = results.slice((page - 1) * perPage, page * perPage);
  const pageUrl = (p: number) => {
    const params = new URLSearchParams(query);
    params.set('page', String(p));
    params.set('per_page', String(perPage));
    return `${origin}/api/v2/search.json?${params.toString()}`;
  };
  const body: Record<string, unknown> = {
    results: slice,
    facets: null,
    next_page: page * perPage < results.length ? pageUrl(page + 1) : null,
    previous_page: page > 1 ? pageUrl(page - 1) : null,
    count: results.length,
  };
  if (includes(request, 'users')) {
    body.users = usersOf(
      state,
      slice.filter((r) => r.result_type === 'ticket'),
    );
  }
  return json(200, body);
}

type Term = ReturnType<typeof parseSearchQuery>[number];

function ticketMatches(users: Map<number, ZendeskUserWire>, t: ZendeskTicketWire, term: Term): boolean {
  const value = term.value.toLowerCase();
  let hit: boolean;
  switch (term.key) {
    case 'requester':
    case 'submitter':
    case 'assignee': {
      const id = term.key === 'requester' ? t.requester_id : term.key === 'submitter' ? t.submitter_id : t.assignee_id;
      if (value === 'none') {
        hit = id == null;
        break;
      }
      const user = typeof id === 'number' ? users.get(id) : undefined;
      hit =
        user !== undefined &&
        (String(user.id) === value || (user.email ?? '').toLowerCase() === value || (user.name ?? '').toLowerCase() === value);
      break;
    }
    case 'status':
      hit = compareOrdinal(STATUS_ORDER, String(t.status ?? ''), value, term.op);
      break;
    case 'priority':
      hit = compareOrdinal(PRIORITY_ORDER, String(t.priority ?? ''), value, term.op);
      break;
    case 'tags':
    case 'tag':
      hit = (t.tags ?? []).some((tag) => tag.toLowerCase() === value);
      break;
    case 'subject':
      hit = (t.subject ?? '').toLowerCase().includes(value);
      break;
    case 'ticket_type':
      hit = (t.type ?? '') === value;
      break;
    case 'created':
    case 'updated': {
      const at = Date.parse(String(term.key === 'created' ? t.created_at : t.updated_at));
      const bound = Date.parse(term.value);
      hit =
        term.op === '>' ? at > bound : term.op === '<' ? at < bound : term.op === '>=' ? at >= bound : term.op === '<=' ? at <= bound : new Date(at).toISOString().slice(0, 10) === term.value;
      break;
    }
    case undefined:
      hit = `${t.subject ?? ''} ${t.description ?? ''} ${(t.tags ?? []).join(' ')}`.toLowerCase().includes(value);
      break;
    default:
      hit = false;
  }
  return term.negate ? !hit : hit;
}

function userMatches(u: ZendeskUserWire, term: Term): boolean {
  const value = term.value.toLowerCase();
  let hit: boolean;
  switch (term.key) {
    case 'email':
      hit = (u.email ?? '').toLowerCase() === value;
      break;
    case 'name':
      hit = (u.name ?? '').toLowerCase().includes(value);
      break;
    case 'role':
      hit = (u.role ?? '') === value;
      break;
    case undefined:
      hit = `${u.name ?? ''} ${u.email ?? ''}`.toLowerCase().includes(value);
      break;
    default:
      hit = false;
  }
  return term.negate ? !hit : hit;
}

function compareOrdinal(order: string[], actual: string, wanted: string, op: string): boolean {
  const a = order.indexOf(actual);
  const w = order.indexOf(wanted);
  if (op === ':' || w < 0) return actual === wanted;
  if (op === '<') return a < w;
  if (op === '>') return a > w;
  if (op === '<=') return a <= w;
  return a >= w;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
