import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, IntegrationError } from '../../../src/agents/integrations/http.js';
import { ZendeskClient } from '../../../src/agents/integrations/zendesk.js';
import type { NewTicket } from '../../../src/agents/runtime/contracts.js';
import { requestsTo, startHarness, type Harness } from './helpers.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.mocks.close();
});
beforeEach(() => {
  h.mocks.state.reset();
});

const lostParcel: NewTicket = {
  subject: 'Parcel for #10252 still missing',
  comment: 'Customer: my French press never arrived. Agent: escalating.',
  priority: 'high',
  tags: ['lost_or_stolen', 'order_10252'],
  requester: { email: 'daniel.okafor@example.com', name: 'Daniel Okafor' },
  group: 'support',
};

describe('ZendeskClient against the mock (demo shop)', () => {
  it('finds a customer’s existing tickets by requester email, newest first', async () => {
    const tickets = await h.zendesk.ticketsByRequesterEmail('hannah.lindqvist@example.com');
    expect(tickets).toEqual([
      {
        id: 5103,
        subject: expect.any(String),
        status: 'solved',
        priority: 'normal',
        requesterEmail: 'hannah.lindqvist@example.com',
        tags: ['return', 'rma', 'defective', 'order_10229'],
        createdAt: '2026-10-05T14:48:30Z',
      },
    ]);
    const [search] = requestsTo(h.mocks, 'zendesk', '/search.json');
    expect(search?.query.query).toBe('type:ticket requester:hannah.lindqvist@example.com');
    expect(await h.zendesk.ticketsByRequesterEmail('nobody@example.com')).toEqual([]);
  });

  it('creates a ticket (201, id above the highest existing) and then finds it by search', async () => {
    const created = await h.zendesk.createTicket(lostParcel);
    expect(created).toMatchObject({
      id: 5115,
      subject: 'Parcel for #10252 still missing',
      status: 'new',
      priority: 'high',
      requesterEmail: 'daniel.okafor@example.com',
      tags: ['lost_or_stolen', 'order_10252', 'team_support'],
    });
    const [post] = requestsTo(h.mocks, 'zendesk', '/tickets.json');
    expect(post).toMatchObject({ method: 'POST', status: 201 });
    expect(post?.body).toEqual({
      ticket: {
        subject: lostParcel.subject,
        comment: { body: lostParcel.comment },
        priority: 'high',
        tags: ['lost_or_stolen', 'order_10252', 'team_support'],
        requester: { email: 'daniel.okafor@example.com', name: 'Daniel Okafor' },
      },
    });

    const found = await h.zendesk.ticketsByRequesterEmail('daniel.okafor@example.com');
    expect(found.map((t) => t.id)).toEqual([5115, 5101]);
    expect(await h.zendesk.ticket(5115)).toEqual(created);

    const second = await h.zendesk.createTicket({ ...lostParcel, subject: 'Second' });
    expect(second.id).toBe(5116);
  });

  it('a new requester becomes a Zendesk end-user and their ticket is searchable', async () => {
    const created = await h.zendesk.createTicket({
      subject: 'Wholesale enquiry',
      comment: 'We run three cafés and would like a price list.',
      priority: 'normal',
      tags: ['b2b'],
      requester: { email: 'buyer@cafe.example.org' },
    });
    expect(h.mocks.state.userByEmail('buyer@cafe.example.org')).toMatchObject({ role: 'end-user', name: 'buyer' });
    expect((await h.zendesk.ticketsByRequesterEmail('buyer@cafe.example.org')).map((t) => t.id)).toEqual([created.id]);
  });

  it('maps the group to group_id when configured', async () => {
    const client = new ZendeskClient({
      baseUrl: h.mocks.urls.zendesk,
      ...h.mocks.credentials.zendesk,
      groupIds: { sales: 360000111 },
    });
    const created = await client.createTicket({ ...lostParcel, group: 'sales' });
    expect(created.tags).not.toContain('team_sales');
    expect(h.mocks.state.tickets.find((t) => t.id === created.id)?.group_id).toBe(360000111);
  });

  it('ticket(id) resolves the requester email; unknown id → null', async () => {
    expect(await h.zendesk.ticket(5111)).toMatchObject({
      id: 5111,
      status: 'new',
      requesterEmail: 'marcus.reid@example.net',
      tags: ['billing', 'duplicate_charge', 'order_10290'],
    });
    expect(await h.zendesk.ticket(42)).toBeNull();
  });

  it('a transient 503 on create is retried and creates exactly one ticket', async () => {
    h.mocks.state.faults.zendesk = { status: 503, times: 1, method: 'POST' };
    const created = await h.zendesk.createTicket(lostParcel);
    expect(created.id).toBe(5115);
    expect(h.mocks.state.tickets.filter((t) => t.subject === lostParcel.subject)).toHaveLength(1);
  });

  it('a create whose answer is lost is retried with the same Idempotency-Key: one ticket, the one Zendesk made', async () => {
    const before = h.mocks.state.tickets.length;
    h.mocks.state.faults.zendesk = { lostReply: true, times: 1, method: 'POST', path: '/api/v2/tickets.json' };
    const created = await h.zendesk.createTicket(lostParcel);
    expect(h.mocks.state.tickets.length).toBe(before + 1);
    expect(created.id).toBe(h.mocks.state.tickets.at(-1)!.id);
    const posts = requestsTo(h.mocks, 'zendesk', '/api/v2/tickets.json').filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
  });

  it('when Zendesk is down the ticket cannot be created: IntegrationError, no ticket, no invented id', async () => {
    h.mocks.state.faults.zendesk = 'down';
    const error = await h.zendesk.createTicket(lostParcel).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ service: 'zendesk', code: 'network', attempts: 4 });
    delete h.mocks.state.faults.zendesk;
    expect(h.mocks.state.tickets).toHaveLength(14);
  });

  it('a persistent 503 surfaces as IntegrationError(503)', async () => {
    h.mocks.state.faults.zendesk = { status: 503 };
    await expect(h.zendesk.createTicket(lostParcel)).rejects.toMatchObject({ status: 503, attempts: 4 });
  });

  it('wrong credentials → 401 in Zendesk’s shape, token not in the message', async () => {
    const token = 'zd_wrong_token_abcdef';
    const client = new ZendeskClient({ baseUrl: h.mocks.urls.zendesk, email: h.mocks.credentials.zendesk.email, apiToken: token });
    const error = await client.ticket(5101).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, body: { error: "Couldn't authenticate you" } });
    expect((error as Error).message).toContain("Couldn't authenticate you");
    expect((error as Error).message).not.toContain(token);
    expect((error as Error).message).not.toContain(Buffer.from(`${h.mocks.credentials.zendesk.email}/token:${token}`).toString('base64'));
  });

  it('the mock validates tickets like Zendesk (422 RecordInvalid)', async () => {
    await expect(h.zendesk.createTicket({ ...lostParcel, comment: '  ' })).rejects.toMatchObject({
      status: 422,
      body: { error: 'RecordInvalid' },
    });
  });
});

describe('ZendeskClient.updateTicket against the mock: PUT /api/v2/tickets/{id}.json', () => {
  const comments = async (id: number) => {
    const res = await fetch(new URL(`/api/v2/tickets/${id}/comments.json`, h.mocks.urls.zendesk), {
      headers: { authorization: basicAuth(`${h.mocks.credentials.zendesk.email}/token`, h.mocks.credentials.zendesk.apiToken) },
    });
    return { status: res.status, body: (await res.json()) as { comments?: { body: string; public: boolean }[]; count?: number } };
  };

  it('raises the priority, adds tags (keeping the others), moves the team tag and adds an internal note', async () => {
    const created = await h.zendesk.createTicket({ ...lostParcel, group: 'sales' });
    const note = 'Escalated again in this conversation: safety, priority raised from high to urgent.\n\nCustomer message (en):\nthe kettle caught fire';
    const subject = '[urgent] safety — technical support';
    const updated = await h.zendesk.updateTicket(created.id, { subject, priority: 'urgent', addTags: ['reason_safety', 'intent_technical_support'], group: 'support', note });
    expect(updated).toMatchObject({ id: created.id, subject, priority: 'urgent', status: 'new' });
    expect(updated.tags).toEqual(['lost_or_stolen', 'order_10252', 'reason_safety', 'intent_technical_support', 'team_support']);

    const put = requestsTo(h.mocks, 'zendesk', `/tickets/${created.id}.json`).find((r) => r.method === 'PUT');
    expect(put).toMatchObject({ status: 200 });
    expect(put?.body).toEqual({
      ticket: {
        comment: { body: note, public: false },
        subject,
        priority: 'urgent',
        additional_tags: ['reason_safety', 'intent_technical_support', 'team_support'],
        remove_tags: ['team_sales'],
      },
    });
    // The ticket as Zendesk has it now, and its comments: the public description, then the private note.
    expect(await h.zendesk.ticket(created.id)).toMatchObject({ priority: 'urgent', requesterEmail: 'daniel.okafor@example.com' });
    const listed = await comments(created.id);
    expect(listed.status).toBe(200);
    expect(listed.body.comments?.map((c) => [c.body, c.public])).toEqual([
      [lostParcel.comment, true],
      [note, false],
    ]);
  });

  it('a seeded ticket keeps its description as first comment; the group maps to group_id; no priority leaves it as is', async () => {
    const client = new ZendeskClient({ baseUrl: h.mocks.urls.zendesk, ...h.mocks.credentials.zendesk, groupIds: { sales: 360000111 } });
    const before = await h.zendesk.ticket(5111);
    const updated = await client.updateTicket(5111, { addTags: ['reason_b2b'], group: 'sales', note: 'Also asks about wholesale.' });
    expect(updated.priority).toBe(before?.priority);
    expect(updated.subject).toBe(before?.subject);
    expect(updated.tags).toEqual([...before!.tags, 'reason_b2b']);
    expect(h.mocks.state.tickets.find((t) => t.id === 5111)?.group_id).toBe(360000111);
    const listed = await comments(5111);
    expect(listed.body.count).toBe(2);
    expect(listed.body.comments?.[1]).toMatchObject({ body: 'Also asks about wholesale.', public: false });
  });

  it('an unknown ticket is a 404 IntegrationError; the mock validates an update like Zendesk (422)', async () => {
    const error = await h.zendesk.updateTicket(42, { priority: 'urgent', note: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ service: 'zendesk', status: 404, method: 'PUT' });
    expect(h.mocks.state.tickets.some((t) => t.id === 42)).toBe(false);
    await expect(h.zendesk.updateTicket(5101, { note: '  ' })).rejects.toMatchObject({ status: 422, body: { error: 'RecordInvalid' } });
    expect((await comments(42)).status).toBe(404);
  });

  it('a persistent 503 surfaces as IntegrationError(503) and leaves the ticket as it was', async () => {
    h.mocks.state.faults.zendesk = { status: 503, method: 'PUT' };
    await expect(h.zendesk.updateTicket(5101, { priority: 'urgent', note: 'x' })).rejects.toMatchObject({ status: 503, attempts: 4 });
    delete h.mocks.state.faults.zendesk;
    expect((await h.zendesk.ticket(5101))?.priority).not.toBe('urgent');
  });
});
