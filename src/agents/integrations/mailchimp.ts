// Mailchimp Marketing API 3.0 client: audiences and their members.

import { createHash } from 'node:crypto';
import { basicAuth, HttpClient, type RetryOptions } from './http.js';
import type { MailchimpListWire, MailchimpMemberWire } from './wire.js';

export interface MailchimpClientOptions {
  /** e.g. https://us21.api.mailchimp.com (defaults to the data centre suffix of the key), or a mock's URL. */
  baseUrl?: string;
  apiKey: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  fetch?: typeof fetch;
}

export interface MailchimpList {
  id: string;
  name: string;
  /** Subscribed members only (Mailchimp's stats.member_count). */
  memberCount: number;
  unsubscribeCount: number;
}

export type MailchimpStatus = 'subscribed' | 'unsubscribed' | 'cleaned' | 'pending' | 'transactional' | 'archived';

export interface MailchimpMember {
  /** The subscriber hash. */
  id: string;
  email: string;
  status: MailchimpStatus | string;
  language?: string;
  mergeFields: Record<string, unknown>;
  tags: string[];
  listId: string;
}

export interface MailchimpMemberFields {
  /** Status for an existing member (omit to leave it unchanged). */
  status?: MailchimpStatus;
  /** Status when the member is new (default: `status`, else "subscribed"). */
  statusIfNew?: MailchimpStatus;
  mergeFields?: Record<string, unknown>;
  language?: string;
}

/** Mailchimp's subscriber hash: md5 of the lowercase email. */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.trim().toLowerCase()).digest('hex');
}

export class MailchimpClient {
  private readonly http: HttpClient;

  constructor(options: MailchimpClientOptions) {
    const baseUrl = options.baseUrl ?? defaultMailchimpUrl(options.apiKey);
    const authorization = basicAuth('anystring', options.apiKey);
    this.http = new HttpClient({
      service: 'mailchimp',
      baseUrl,
      headers: { authorization },
      secrets: [options.apiKey, authorization.slice('Basic '.length)],
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async lists(): Promise<MailchimpList[]> {
    const lists: MailchimpList[] = [];
    const count = 1000;
    for (let offset = 0; ; offset += count) {
      const { data } = await this.http.get<{ lists?: MailchimpListWire[]; total_items?: number }>('/3.0/lists', {
        query: { count, offset },
      });
      const page = data?.lists ?? [];
      lists.push(...page.map(normalizeList));
      if (page.length < count || lists.length >= (data?.total_items ?? 0)) break;
    }
    return lists;
  }

  /** The member with this email in the list; null when the email is not on it. */
  async member(listId: string, email: string): Promise<MailchimpMember | null> {
    const { status, data } = await this.http.get<MailchimpMemberWire>(
      `/3.0/lists/${encodeURIComponent(listId)}/members/${subscriberHash(email)}`,
      { allowStatuses: [404] },
    );
    return status === 404 || !data ? null : normalizeMember(data, listId);
  }

  /** Adds or updates a member (PUT /lists/{id}/members/{hash}). */
  async upsertMember(listId: string, email: string, fields: MailchimpMemberFields = {}): Promise<MailchimpMember> {
    const body: Record<string, unknown> = {
      email_address: email.trim(),
      status_if_new: fields.statusIfNew ?? fields.status ?? 'subscribed',
    };
    if (fields.status) body.status = fields.status;
    if (fields.mergeFields) body.merge_fields = fields.mergeFields;
    if (fields.language) body.language = fields.language;
    const { data } = await this.http.put<MailchimpMemberWire>(
      `/3.0/lists/${encodeURIComponent(listId)}/members/${subscriberHash(email)}`,
      body,
    );
    return normalizeMember(data, listId);
  }
}

/** https://{dc}.api.mailchimp.com from a key like "abc123-us21". */
export function defaultMailchimpUrl(apiKey: string): string {
  const dc = /-([a-z]+\d+)$/i.exec(apiKey.trim())?.[1];
  return `https://${dc ?? 'us1'}.api.mailchimp.com`;
}

export function normalizeList(l: MailchimpListWire): MailchimpList {
  return {
    id: l.id,
    name: l.name ?? '',
    memberCount: l.stats?.member_count ?? 0,
    unsubscribeCount: l.stats?.unsubscribe_count ?? 0,
  };
}

export function normalizeMember(m: MailchimpMemberWire, listId: string): MailchimpMember {
  const member: MailchimpMember = {
    id: m.id ?? subscriberHash(m.email_address),
    email: m.email_address,
    status: m.status ?? 'subscribed',
    mergeFields: m.merge_fields ?? {},
    tags: (m.tags ?? []).map((t) => (typeof t === 'string' ? t : t.name)),
    listId: m.list_id ?? listId,
  };
  if (m.language) member.language = m.language;
  return member;
}
