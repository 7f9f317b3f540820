// The escalation agent and the conversation's one ticket: a later, more serious request updates it in the helpdesk
// (priority, tags, an internal note), and a failed update is not reported as an escalation.
import { describe, expect, it } from 'vitest';
import { createEscalationAgent } from '../../../src/agents/escalation/agent.js';
import type { EscalateRequest, Intent, Language, NewTicket, SessionFacts, Ticket, TicketUpdate } from '../../../src/agents/runtime/contracts.js';
import type { Helpdesk } from '../../../src/agents/runtime/ports.js';
import { intentResult } from './fixtures.js';


function fakeHelpdesk(opts: { failUpdates?: boolean } = {}) {
  const created: NewTicket[] = [];
  const updates: { id: number; update: TicketUpdate }[] = [];
  const helpdesk: Helpdesk = {
    async createTicket(t) {
      created.push(t);
      return { id: 5200 + created.length, subject: t.subject, status: 'new', priority: t.priority, tags: t.tags, createdAt: '2026-11-26T18:00:00Z' };
    },
    async updateTicket(id, update): Promise<Ticket> {
      if (opts.failUpdates) throw new Error('zendesk PUT /api/v2/tickets/5201.json failed with 503');
      updates.push({ id, update });
      return { id, subject: 's', status: 'open', priority: update.priority ?? 'normal', tags: update.addTags ?? [], createdAt: '2026-11-26T18:00:00Z' };
    },
    async ticketsByRequesterEmail() {
      return [];
    },
  };
  return { helpdesk, created, updates };
}

/** Two turns of one conversation, the session keeping what the first decision said about its ticket. */
async function conversation(turns: [string, Intent][], helpdesk: Helpdesk, language: Language = 'en') {
  const agent = createEscalationAgent({ helpdesk });
  const session: SessionFacts = { id: 'sess-1', customerEmail: 'ava.martinez@example.net' };
  const decisions = [];
  for (const [message, name] of turns) {
    const req: EscalateRequest = { message, intent: intentResult(name, { language }), orders: [], session: { ...session } };
    const decision = await agent.decide(req);
    decisions.push(decision);
    // What the pipeline keeps (pipeline.ts, after the escalation stage).
    if (decision.ticketId) {
      session.ticketId = decision.ticketId;
      if (decision.ticketPriority) session.ticketPriority = decision.ticketPriority;
      if (decision.ticketReasons) session.ticketReasons = decision.ticketReasons;
    }
  }
  return decisions;
}

describe('escalation agent: one ticket per conversation', () => {
  it('a first escalation opens the ticket and says what it was opened with', async () => {
    const fake = fakeHelpdesk();
    const [d] = await conversation([['Do you offer wholesale pricing for my cafe?', 'b2b_inquiry']], fake.helpdesk);
    expect(d).toMatchObject({ escalate: true, reason: 'b2b', priority: 'normal', ticketId: '5201', ticketPriority: 'normal', ticketReasons: ['b2b'] });
    expect(fake.created).toHaveLength(1);
    expect(fake.updates).toHaveLength(0);
  });

  it('a later safety incident raises the ticket to urgent, hands it to support, tags it and adds an internal note', async () => {
    const fake = fakeHelpdesk();
    const message = 'Unrelated: my Ember electric kettle sparked and burned my hand!';
    const [, d] = await conversation(
      [
        ['Do you offer wholesale pricing for my cafe?', 'b2b_inquiry'],
        [message, 'technical_support'],
      ],
      fake.helpdesk,
    );
    expect(d).toMatchObject({ escalate: true, reason: 'safety', priority: 'urgent', ticketId: '5201', ticketPriority: 'urgent', ticketReasons: ['b2b', 'safety'] });
    expect(d!.ticketError).toBeUndefined();
    expect(fake.created).toHaveLength(1); // no second ticket
    expect(fake.updates).toHaveLength(1);
    const { id, update } = fake.updates[0]!;
    expect(id).toBe(5201);
    expect(update.priority).toBe('urgent');
    expect(update.subject).toBe('[urgent] safety — technical support'); // as a ticket opened for it would be named
    expect(update.group).toBe('support');
    expect(update.addTags).toEqual(expect.arrayContaining(['reason_safety', 'intent_technical_support']));
    // The note carries the new reason and the customer's message as the ticket's first comment carried the first.
    expect(update.note).toMatch(/safety.*normal to urgent/s);
    expect(update.note).toContain(message);
    expect(update.note).toContain('Session: sess-1');
    expect(fake.created[0]!.comment).toContain('Do you offer wholesale pricing for my cafe?');
  });

  it('French and Spanish: a legal threat after a lost parcel raises the ticket from high to urgent', async () => {
    for (const [language, lost, threat] of [
      ['fr', 'Mon colis n’est jamais arrivé, il est perdu', 'Je vais vous poursuivre en justice'],
      ['es', 'Mi paquete nunca llegó', 'Voy a presentar una demanda contra ustedes'],
    ] as const) {
      const fake = fakeHelpdesk();
      const [first, second] = await conversation(
        [
          [lost, 'order_status'],
          [threat, 'complaint'],
        ],
        fake.helpdesk,
        language,
      );
      expect(first, language).toMatchObject({ reason: 'lost_or_stolen', priority: 'high', ticketPriority: 'high' });
      expect(second, language).toMatchObject({ reason: 'threat', priority: 'urgent', ticketId: first!.ticketId, ticketPriority: 'urgent' });
      expect(fake.updates.map((u) => u.update.priority), language).toEqual(['urgent']);
      expect(fake.updates[0]!.update.note, language).toContain(threat);
    }
  });

  it('the same reason again changes nothing; a new, less urgent reason is noted and tagged without lowering the priority', async () => {
    const fake = fakeHelpdesk();
    const [first, again, b2b] = await conversation(
      [
        ['The kettle caught fire', 'technical_support'],
        ['Smoke came out of the kettle base again', 'technical_support'],
        ['Also, do you sell wholesale?', 'b2b_inquiry'],
      ],
      fake.helpdesk,
    );
    expect(first).toMatchObject({ reason: 'safety', ticketPriority: 'urgent' });
    expect(again).toMatchObject({ reason: 'safety', ticketId: first!.ticketId, ticketPriority: 'urgent', ticketReasons: ['safety'] });
    expect(b2b).toMatchObject({ reason: 'b2b', priority: 'normal', ticketId: first!.ticketId, ticketPriority: 'urgent', ticketReasons: ['safety', 'b2b'] });
    expect(fake.updates).toHaveLength(1); // for the new reason only
    const { update } = fake.updates[0]!;
    expect(update.priority).toBeUndefined(); // urgent stays urgent
    expect(update.subject).toBeUndefined();
    expect(update.group).toBeUndefined(); // and with the team that has it
    expect(update.addTags).toContain('reason_b2b');
    expect(update.note).toContain('Also, do you sell wholesale?');
  });

  it('a failed update is reported as a ticket error, keeps the existing ticket id and the priority the ticket has', async () => {
    const fake = fakeHelpdesk({ failUpdates: true });
    const [, d] = await conversation(
      [
        ['Do you offer wholesale pricing for my cafe?', 'b2b_inquiry'],
        ['my kettle sparked and burned my hand', 'technical_support'],
      ],
      fake.helpdesk,
    );
    expect(d).toMatchObject({ escalate: true, reason: 'safety', ticketId: '5201', ticketPriority: 'normal', ticketReasons: ['b2b'] });
    expect(d!.ticketError).toMatch(/^ticket could not be updated: .*503/);
  });
});
