// Escalation end to end (POST /v1/chat, mock Zendesk): everyday questions are not safety or threat escalations, and
// a later, more serious request in the same conversation updates the conversation's ticket in Zendesk.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chat, demoPlatform } from './helpers.js';

let p: Awaited<ReturnType<typeof demoPlatform>>;
beforeAll(async () => {
  p = await demoPlatform();
});
afterAll(() => p.cleanup());
beforeEach(() => {
  p.mockState!.reset();
});

const AVA = 'ava.martinez@example.net'; // no tickets in the demo data

interface Reply {
  response: string;
  session_id: string;
  escalated: boolean;
  escalation?: { reason: string; priority: string; ticket_id: string | null; ticket_error?: string };
}

async function ask(message: string, sessionId?: string): Promise<Reply> {
  const r = await chat(p.url, { message, customer_email: AVA, ...(sessionId ? { session_id: sessionId } : {}) });
  expect(r.status).toBe(200);
  return r.json as unknown as Reply;
}

const zendeskWrites = () => p.mockState!.requests.filter((r) => r.service === 'zendesk' && r.method !== 'GET');

describe('everyday questions', () => {
  it.each([
    'How do I avoid a burnt taste with my moka pot?',
    'Do you sell a smoked tea?',
    'Is the Alpine Meadow tea OK if I am allergic to nuts?',
    'Puis-je poursuivre ma commande sans créer de compte ?',
    '¿El molino Summit tiene mucha demanda? ¿Cuándo vuelve a estar disponible?',
  ])('are not escalated as safety or threat, and open no ticket: %s', async (message) => {
    const r = await ask(message);
    expect(['safety', 'threat']).not.toContain(r.escalation?.reason);
    expect(zendeskWrites()).toEqual([]);
  });
});

describe('a later, more serious request in the same conversation', () => {
  it('raises the conversation’s ticket to urgent in Zendesk, with the new tags and an internal note', async () => {
    const first = await ask('Do you offer wholesale pricing for my cafe?');
    expect(first.escalation).toMatchObject({ reason: 'b2b', priority: 'normal' });
    const id = Number(first.escalation!.ticket_id);
    expect(p.mockState!.tickets.find((t) => t.id === id)?.priority).toBe('normal');

    const message = 'Unrelated: my Ember electric kettle sparked and burned my hand!';
    const second = await ask(message, first.session_id);
    expect(second.escalation).toMatchObject({ reason: 'safety', priority: 'urgent', ticket_id: String(id) });
    expect(second.escalation?.ticket_error).toBeUndefined();
    expect(second.response).toContain(`#${id}`);
    expect(second.response).toMatch(/urgent/);

    const ticket = p.mockState!.tickets.find((t) => t.id === id)!;
    expect(ticket.priority).toBe('urgent');
    expect(ticket.subject).toBe('[urgent] safety — technical support');
    expect(ticket.tags).toEqual(expect.arrayContaining(['reason_b2b', 'reason_safety', 'team_support']));
    expect(ticket.tags).not.toContain('team_sales');
    const notes = p.mockState!.commentsOf(id).filter((c) => !c.public);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain(message);
    expect(notes[0]!.body).toMatch(/safety.*normal to urgent/s);
    // One ticket for the conversation, updated once.
    expect(zendeskWrites().map((w) => w.method)).toEqual(['POST', 'PUT']);

    // The same kind of request again changes nothing more.
    await ask('It sparked again when I plugged it in', first.session_id);
    expect(zendeskWrites().map((w) => w.method)).toEqual(['POST', 'PUT']);
  });

  it('when the update fails, the reply does not say the ticket was escalated, and the next message tries again', async () => {
    const first = await ask('Do you offer wholesale pricing for my cafe?');
    const id = first.escalation!.ticket_id!;
    p.mockState!.faults.zendesk = { status: 503, method: 'PUT' };
    const second = await ask('The kettle caught fire this morning', first.session_id);
    expect(second.escalated).toBe(true);
    expect(second.escalation).toMatchObject({ reason: 'safety', ticket_id: id });
    expect(second.escalation?.ticket_error).toMatch(/could not be updated/);
    expect(second.response).not.toMatch(/marked this as urgent|passed this to our/);
    expect(second.response).toContain('support@cinderfell.example.com');
    expect(p.mockState!.tickets.find((t) => String(t.id) === id)?.priority).toBe('normal');

    delete p.mockState!.faults.zendesk;
    const third = await ask('Smoke came out of the kettle base too', first.session_id);
    expect(third.escalation).toMatchObject({ reason: 'safety', priority: 'urgent', ticket_id: id });
    expect(third.escalation?.ticket_error).toBeUndefined();
    expect(p.mockState!.tickets.find((t) => String(t.id) === id)?.priority).toBe('urgent');
  });
});
