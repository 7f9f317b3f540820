import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteBus } from '../../../src/agents/runtime/bus.js';
import { cachedHelpdesk } from '../../../src/agents/runtime/cached-commerce.js';
import type { NewTicket, Ticket, TicketUpdate } from '../../../src/agents/runtime/contracts.js';
import type { Helpdesk } from '../../../src/agents/runtime/ports.js';

/** A helpdesk in memory that counts the lookups reaching it. */
function fakeHelpdesk() {
  const tickets: Ticket[] = [{ id: 1, subject: 'Late parcel', status: 'open', priority: 'normal', tags: [], createdAt: '2026-01-01T00:00:00Z', requesterEmail: 'ana@example.com' }];
  let lookups = 0;
  const helpdesk: Helpdesk = {
    async ticketsByRequesterEmail(email) {
      lookups++;
      // Copies, newest first, as the Zendesk client returns them.
      const mine = tickets.filter((t) => t.requesterEmail === email.trim().toLowerCase()).map((t) => ({ ...t }));
      return mine.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    },
    async createTicket(t: NewTicket) {
      const ticket: Ticket = { id: tickets.length + 1, subject: t.subject, status: 'new', priority: t.priority, tags: t.tags, createdAt: '2026-01-02T00:00:00Z', requesterEmail: t.requester?.email.toLowerCase() };
      tickets.push(ticket);
      return { ...ticket };
    },
    // As Zendesk answers an update: the ticket without its requester's email.
    async updateTicket(id: number, u: TicketUpdate) {
      const ticket = tickets.find((t) => t.id === id);
      if (!ticket) throw new Error(`zendesk PUT /api/v2/tickets/${id}.json failed with 404`);
      if (u.priority) ticket.priority = u.priority;
      ticket.tags = [...new Set([...ticket.tags, ...(u.addTags ?? [])])];
      const { requesterEmail: _, ...answer } = ticket;
      return { ...answer, tags: [...ticket.tags] };
    },
  };
  return { helpdesk, tickets, lookups: () => lookups };
}

const newTicket = (email: string): NewTicket => ({ subject: 'Refund', comment: 'Please refund', priority: 'high', tags: [], requester: { email } });

/** A helpdesk whose search sees only the seeded ticket, as Zendesk's does for a moment after a ticket is created. */
function searchLagging(helpdesk: Helpdesk): Helpdesk {
  return { ...helpdesk, ticketsByRequesterEmail: async (email) => (await helpdesk.ticketsByRequesterEmail(email)).filter((t) => t.id === 1) };
}

describe('cachedHelpdesk', () => {
  it('answers a repeated lookup (any case or spacing of the email) from the cache', async () => {
    const fake = fakeHelpdesk();
    const cached = cachedHelpdesk(fake.helpdesk, createSqliteBus(new Database(':memory:')));
    expect(await cached.ticketsByRequesterEmail('ana@example.com')).toHaveLength(1);
    expect(await cached.ticketsByRequesterEmail(' Ana@Example.com ')).toHaveLength(1);
    expect(fake.lookups()).toBe(1);
  });

  it('adds a ticket created through it to the requester’s cached tickets, newest first, without a new search', async () => {
    const fake = fakeHelpdesk();
    const cached = cachedHelpdesk(fake.helpdesk, createSqliteBus(new Database(':memory:')));
    await cached.ticketsByRequesterEmail('ana@example.com');
    await cached.ticketsByRequesterEmail('bo@example.com');
    await cached.createTicket(newTicket('Ana@example.com'));
    expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => t.id)).toEqual([2, 1]);
    expect((await cached.ticketsByRequesterEmail('bo@example.com')).map((t) => t.id)).toEqual([]);
    expect(fake.lookups()).toBe(2); // ana once, bo once
  });

  it('keeps a ticket it created in the requester’s tickets while Zendesk’s search has not indexed it yet', async () => {
    const fake = fakeHelpdesk();
    const lagging = searchLagging(fake.helpdesk);
    const bus = createSqliteBus(new Database(':memory:'));
    const cached = cachedHelpdesk(lagging, bus);
    await cached.createTicket(newTicket('ana@example.com'));
    bus.publish('events.zendesk.tickets.created', { id: 2 }); // the webhook drops the cached search
    await bus.drain();
    expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => t.id)).toEqual([2, 1]);
    expect(fake.lookups()).toBe(1);
  });

  it('adds a created ticket for ttlMs only: after that, what the search says is the list', async () => {
    const fake = fakeHelpdesk();
    const lagging = searchLagging(fake.helpdesk);
    const cached = cachedHelpdesk(lagging, createSqliteBus(new Database(':memory:')), { ttlMs: 30 });
    await cached.createTicket(newTicket('ana@example.com'));
    expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => t.id)).toEqual([2, 1]);
    await new Promise((r) => setTimeout(r, 80));
    expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => t.id)).toEqual([1]);
    expect(fake.lookups()).toBe(2);
  });

  it('prefers what the search says of a ticket it created (its status moved on)', async () => {
    const fake = fakeHelpdesk();
    const cached = cachedHelpdesk(fake.helpdesk, createSqliteBus(new Database(':memory:')));
    await cached.createTicket(newTicket('ana@example.com'));
    fake.tickets[1]!.status = 'solved';
    expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => [t.id, t.status])).toEqual([
      [2, 'solved'],
      [1, 'open'],
    ]);
  });

  it('asks Zendesk again after a creation that failed (the ticket may exist all the same)', async () => {
    const fake = fakeHelpdesk();
    const lostAnswer: Helpdesk = {
      ...fake.helpdesk,
      createTicket: async (t) => {
        await fake.helpdesk.createTicket(t);
        throw new Error('zendesk POST /api/v2/tickets.json timed out');
      },
    };
    const cached = cachedHelpdesk(lostAnswer, createSqliteBus(new Database(':memory:')));
    await cached.ticketsByRequesterEmail('ana@example.com');
    await expect(cached.createTicket(newTicket('ana@example.com'))).rejects.toThrow('timed out');
    expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => t.id)).toEqual([2, 1]);
    expect(fake.lookups()).toBe(2);
  });

  it.each(['events.zendesk.tickets.created', 'events.zendesk.tickets.updated', 'events.zendesk.tickets.solved', 'events.zendesk.users.created'])(
    'drops every cached lookup on %s',
    async (subject) => {
      const fake = fakeHelpdesk();
      const bus = createSqliteBus(new Database(':memory:'));
      const cached = cachedHelpdesk(fake.helpdesk, bus);
      await cached.ticketsByRequesterEmail('ana@example.com');
      fake.tickets.push({ ...fake.tickets[0]!, id: 9, status: 'new' }); // made elsewhere (the Zendesk UI)
      bus.publish(subject, { id: 9 });
      await bus.drain();
      expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => t.id)).toEqual([1, 9]);
      expect(fake.lookups()).toBe(2);
    },
  );

  it('with ticketsOpenedElsewhere (the escalation-handler runs in another process) drops them on an escalation event too', async () => {
    const fake = fakeHelpdesk();
    const bus = createSqliteBus(new Database(':memory:'));
    const here = cachedHelpdesk(fake.helpdesk, bus);
    const elsewhere = cachedHelpdesk(fake.helpdesk, bus, { subscriber: 'knowledge', ticketsOpenedElsewhere: true });
    await here.ticketsByRequesterEmail('ana@example.com');
    await elsewhere.ticketsByRequesterEmail('ana@example.com');
    await fake.helpdesk.createTicket(newTicket('ana@example.com')); // by the other process's own client
    bus.publish('events.platform.escalations.created', { ticket_id: '2' });
    await bus.drain();
    expect((await elsewhere.ticketsByRequesterEmail('ana@example.com')).map((t) => t.id)).toEqual([2, 1]);
    expect((await here.ticketsByRequesterEmail('ana@example.com')).map((t) => t.id)).toEqual([1]); // its own tickets go through createTicket
  });

  it('an updated ticket replaces its copy in the cached lookup, without a new search (the index may lag)', async () => {
    const fake = fakeHelpdesk();
    const cached = cachedHelpdesk(fake.helpdesk, createSqliteBus(new Database(':memory:')));
    await cached.ticketsByRequesterEmail('ana@example.com');
    await cached.ticketsByRequesterEmail('bo@example.com');
    const updated = await cached.updateTicket(1, { priority: 'urgent', addTags: ['reason_safety'], note: 'The kettle caught fire.' });
    expect(updated).toMatchObject({ id: 1, priority: 'urgent', tags: ['reason_safety'] });
    expect(await cached.ticketsByRequesterEmail('ana@example.com')).toEqual([
      { id: 1, subject: 'Late parcel', status: 'open', priority: 'urgent', tags: ['reason_safety'], createdAt: '2026-01-01T00:00:00Z', requesterEmail: 'ana@example.com' },
    ]);
    expect(fake.lookups()).toBe(2); // ana once, bo once: none after the update
  });

  it('a ticket it created and then updated is listed as updated while the search has not indexed it', async () => {
    const fake = fakeHelpdesk();
    const lagging = searchLagging(fake.helpdesk);
    const bus = createSqliteBus(new Database(':memory:'));
    const cached = cachedHelpdesk(lagging, bus);
    const created = await cached.createTicket(newTicket('ana@example.com'));
    await cached.updateTicket(created.id, { priority: 'urgent', note: 'Worse now.' });
    bus.publish('events.zendesk.tickets.updated', { id: created.id }); // the webhook drops the cached search
    await bus.drain();
    expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => [t.id, t.priority, t.requesterEmail])).toEqual([
      [2, 'urgent', 'ana@example.com'],
      [1, 'normal', 'ana@example.com'],
    ]);
  });

  it('drops the lookup holding a ticket whose update failed (it may have been applied all the same)', async () => {
    const fake = fakeHelpdesk();
    const lostAnswer: Helpdesk = {
      ...fake.helpdesk,
      updateTicket: async (id, u) => {
        await fake.helpdesk.updateTicket(id, u);
        throw new Error(`zendesk PUT /api/v2/tickets/${id}.json timed out`);
      },
    };
    const cached = cachedHelpdesk(lostAnswer, createSqliteBus(new Database(':memory:')));
    await cached.ticketsByRequesterEmail('ana@example.com');
    await expect(cached.updateTicket(1, { priority: 'high', note: 'x' })).rejects.toThrow('timed out');
    expect((await cached.ticketsByRequesterEmail('ana@example.com')).map((t) => t.priority)).toEqual(['high']);
    expect(fake.lookups()).toBe(2);
  });

  it('does not remember a failed lookup', async () => {
    const fake = fakeHelpdesk();
    let fail = true;
    const flaky: Helpdesk = {
      ...fake.helpdesk,
      ticketsByRequesterEmail: (email) => (fail ? Promise.reject(new Error('zendesk down')) : fake.helpdesk.ticketsByRequesterEmail(email)),
    };
    const cached = cachedHelpdesk(flaky, createSqliteBus(new Database(':memory:')));
    await expect(cached.ticketsByRequesterEmail('ana@example.com')).rejects.toThrow('zendesk down');
    fail = false;
    expect(await cached.ticketsByRequesterEmail('ana@example.com')).toHaveLength(1);
  });
});
