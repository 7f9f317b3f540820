// Zendesk Support API v2 client: create and update tickets for escalations, look up a customer's tickets.

import { randomUUID } from 'node:crypto';
import type { NewTicket, Priority, Ticket, TicketUpdate } from '../runtime/contracts.js';
import { basicAuth, HttpClient, IntegrationError, type RetryOptions } from './http.js';
import type { ZendeskTicketWire, ZendeskUserWire } from './wire.js';

export interface ZendeskClientOptions {
  /** e.g. https://cinderfell.zendesk.com, or a mock's URL. */
  baseUrl: string;
  /** The agent's email; authenticates as `{email}/token:{apiToken}`. */
  email: string;
  apiToken: string;
  /** Zendesk group ids for NewTicket.group; without a mapping the group travels as a tag `team_<group>`. */
  groupIds?: Partial<Record<'support' | 'sales', number>>;
  timeoutMs?: number;
  retry?: RetryOptions;
  fetch?: typeof fetch;
  /** Safety stop for search pagination (default 10 pages of 100). */
  maxPages?: number;
}

const PRIORITIES = new Set<string>(['urgent', 'high', 'normal', 'low']);
const TEAMS = ['support', 'sales'] as const;

export class ZendeskClient {
  private readonly http: HttpClient;
  private readonly groupIds: Partial<Record<'support' | 'sales', number>>;
  private readonly maxPages: number;

  constructor(options: ZendeskClientOptions) {
    const authorization = basicAuth(`${options.email}/token`, options.apiToken);
    this.groupIds = options.groupIds ?? {};
    this.maxPages = options.maxPages ?? 10;
    this.http = new HttpClient({
      service: 'zendesk',
      baseUrl: options.baseUrl,
      headers: { authorization },
      secrets: [options.apiToken, authorization.slice('Basic '.length)],
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Creates a ticket; resolves with the created ticket (id assigned by Zendesk) or throws IntegrationError. */
  async createTicket(t: NewTicket): Promise<Ticket> {
    const tags = [...t.tags];
    const ticket: Record<string, unknown> = {
      subject: t.subject,
      comment: { body: t.comment },
      priority: t.priority,
      tags,
    };
    if (t.requester) {
      const email = t.requester.email.trim();
      // A new end-user needs a name; fall back to the mailbox part.
      ticket.requester = { email, name: t.requester.name?.trim() || email.split('@')[0] || email };
    }
    if (t.group) {
      const groupId = this.groupIds[t.group];
      if (groupId !== undefined) ticket.group_id = groupId;
      else if (!tags.includes(`team_${t.group}`)) tags.push(`team_${t.group}`);
    }
    // One key for every attempt: a retry after an answer that was lost (a reset, a 502/504) does not open a second
    // ticket; Zendesk answers it with the first.
    const { data } = await this.http.post<{ ticket?: ZendeskTicketWire }>('/api/v2/tickets.json', { ticket }, { headers: { 'Idempotency-Key': randomUUID() } });
    if (!data?.ticket || typeof data.ticket.id !== 'number') {
      throw new IntegrationError({
        service: 'zendesk',
        code: 'invalid_response',
        method: 'POST',
        path: '/api/v2/tickets.json',
        message: 'zendesk POST /api/v2/tickets.json: the response has no ticket',
      });
    }
    return normalizeTicket(data.ticket, t.requester?.email.trim());
  }

  /**
   * Updates a ticket: subject, priority, tags added (`additional_tags`: the ticket keeps its own), group, and an
   * internal note (a private comment). Resolves with the ticket as Zendesk has it now (without the requester's email),
   * or throws IntegrationError (404 when it is gone).
   */
  async updateTicket(id: number, u: TicketUpdate): Promise<Ticket> {
    const path = `/api/v2/tickets/${id}.json`;
    const tags = [...(u.addTags ?? [])];
    const ticket: Record<string, unknown> = { comment: { body: u.note, public: false } };
    if (u.subject) ticket.subject = u.subject;
    if (u.priority) ticket.priority = u.priority;
    if (u.group) {
      const groupId = this.groupIds[u.group];
      if (groupId !== undefined) ticket.group_id = groupId;
      else {
        // The team travels as a tag: the ticket changes hands, so the other team's tag goes.
        if (!tags.includes(`team_${u.group}`)) tags.push(`team_${u.group}`);
        ticket.remove_tags = TEAMS.filter((t) => t !== u.group).map((t) => `team_${t}`);
      }
    }
    if (tags.length > 0) ticket.additional_tags = tags;
    const { data } = await this.http.put<{ ticket?: ZendeskTicketWire }>(path, { ticket });
    if (!data?.ticket || typeof data.ticket.id !== 'number') {
      throw new IntegrationError({
        service: 'zendesk',
        code: 'invalid_response',
        method: 'PUT',
        path,
        message: `zendesk PUT ${path}: the response has no ticket`,
      });
    }
    return normalizeTicket(data.ticket);
  }

  /** Tickets requested by this email, newest first (Zendesk search; new tickets may take a moment to be indexed). */
  async ticketsByRequesterEmail(email: string): Promise<Ticket[]> {
    const requester = email.trim();
    const tickets: Ticket[] = [];
    let next: string | undefined = '/api/v2/search.json';
    let query: Record<string, string> | undefined = {
      query: `type:ticket requester:${requester}`,
      sort_by: 'created_at',
      sort_order: 'desc',
      include: 'tickets(users)',
    };
    for (let page = 0; next && page < this.maxPages; page++) {
      const response: { data: { results?: ZendeskTicketWire[]; users?: ZendeskUserWire[]; next_page?: string | null } } =
        await this.http.get(next, query ? { query } : {});
      const users = new Map((response.data?.users ?? []).map((u) => [u.id, u]));
      for (const result of response.data?.results ?? []) {
        if (result.result_type !== undefined && result.result_type !== 'ticket') continue;
        const sideLoaded = result.requester_id != null ? users.get(result.requester_id)?.email : undefined;
        tickets.push(normalizeTicket(result, sideLoaded ?? requester));
      }
      next = response.data?.next_page ?? undefined;
      query = undefined;
    }
    return tickets.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  /** One ticket with its requester's email; null when it does not exist. */
  async ticket(id: number): Promise<Ticket | null> {
    const { status, data } = await this.http.get<{ ticket?: ZendeskTicketWire; users?: ZendeskUserWire[] }>(
      `/api/v2/tickets/${id}.json`,
      { query: { include: 'users' }, allowStatuses: [404] },
    );
    if (status === 404 || !data?.ticket) return null;
    const requester = (data.users ?? []).find((u) => u.id === data.ticket?.requester_id);
    return normalizeTicket(data.ticket, requester?.email ?? undefined);
  }
}

export function normalizeTicket(t: ZendeskTicketWire, requesterEmail?: string): Ticket {
  const priority = typeof t.priority === 'string' && PRIORITIES.has(t.priority) ? (t.priority as Priority) : null;
  const ticket: Ticket = {
    id: t.id,
    subject: t.subject ?? '',
    status: t.status ?? 'new',
    priority,
    tags: Array.isArray(t.tags) ? t.tags.map(String) : [],
    createdAt: t.created_at ?? '',
  };
  if (requesterEmail) ticket.requesterEmail = requesterEmail;
  return ticket;
}
