// The customer's Zendesk tickets in the answer, end to end: POST /v1/chat on the platform with the mock Zendesk
// seeded from the demo shop (zendesk/tickets.json). Only an identified customer (customer_email) hears about their own
// requests; a helpdesk that fails or is slow never stops the answer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chat, demoPlatform, signedWebhook } from './helpers.js';

let p: Awaited<ReturnType<typeof demoPlatform>>;
beforeAll(async () => {
  p = await demoPlatform();
});
afterAll(() => p.cleanup());
beforeEach(() => {
  p.mockState!.reset();
});

const PRIYA = 'priya.natarajan@example.org'; // #5106 "Lumen espresso machine won't heat", open
const CAMILLE = 'camille.moreau@example.org'; // #5114 "Frais de douane pour ma commande #10274", open
const SOFIA = 'sofia.hernandez@example.com'; // #5105 "Mi molino Summit hace un chasquido", open
const JF = 'jf.gagnon@example.com'; // #5107 "Suspendre ma livraison automatique", new
const DANIEL = 'daniel.okafor@example.com'; // #5101 "Where is my order #10252?", open
const AVA = 'ava.martinez@example.net'; // no tickets

/** Every "#1234"-style ticket number of the demo data a reply mentions. */
const demoTicketNumbers = (text: string): string[] => text.match(/#51\d\d\b/g) ?? [];
const searches = () => p.mockState!.requests.filter((r) => r.service === 'zendesk' && r.path === '/api/v2/search.json');

async function ask(message: string, customerEmail?: string, sessionId?: string) {
  const r = await chat(p.url, { message, ...(customerEmail ? { customer_email: customerEmail } : {}), ...(sessionId ? { session_id: sessionId } : {}) });
  expect(r.status).toBe(200);
  return r.json as { response: string; escalated: boolean; blocked: boolean; language: string; session_id: string; escalation?: { ticket_id: string | null } };
}

describe('an identified customer asking about their request', () => {
  it('English: the ticket number, subject and status', async () => {
    const r = await ask('What’s happening with my ticket?', PRIYA);
    expect(r.language).toBe('en');
    expect(r.response).toContain('#5106');
    expect(r.response).toContain('Lumen espresso machine won');
    expect(r.response).toMatch(/\bis open\b/);
    expect(r.escalated).toBe(false);
    expect(demoTicketNumbers(r.response)).toEqual(['#5106']);
    // Looked up for exactly this customer.
    expect(searches().map((s) => s.query.query)).toEqual([`type:ticket requester:${PRIYA}`]);
  });

  it('French (Québec): « Où en est mon dossier ? »', async () => {
    const r = await ask('Bonjour, où en est mon dossier ?', CAMILLE);
    expect(r.language).toBe('fr');
    expect(r.response).toContain('#5114');
    expect(r.response).toContain('Frais de douane pour ma commande #10274');
    expect(r.response).toContain('est ouverte');
    expect(r.escalated).toBe(false);
  });

  it('Spanish: the status in Spanish, and asking is not a new escalation', async () => {
    const r = await ask('¿Qué pasa con mi ticket?', SOFIA);
    expect(r.language).toBe('es');
    expect(r.response).toContain('#5105');
    expect(r.response).toContain('Mi molino Summit hace un chasquido');
    expect(r.response).toContain('está abierta');
    expect(r.escalated).toBe(false);
    expect(p.mockState!.requests.some((q) => q.service === 'zendesk' && q.method === 'POST')).toBe(false);
  });

  it('a request named by number: that one, in words of its own status', async () => {
    const r = await ask('Où en est ma demande #5107 ?', JF);
    expect(r.response).toContain('#5107');
    expect(r.response).toContain('Suspendre ma livraison automatique');
    expect(r.response).toContain('en attente de traitement');
    // "#5107" is a ticket here, not an order that could not be found.
    expect(r.response).not.toMatch(/commande/i);
  });

  it('a customer without requests is told so, without a made-up number', async () => {
    const r = await ask('What’s the status of my support ticket?', AVA);
    expect(r.response).toMatch(/don’t see any support request/);
    expect(r.response).not.toMatch(/#\d/);
  });

  it('a request opened in the conversation is the one they hear about next', async () => {
    const first = await ask('I want to speak to a human agent please', AVA, 'tickets-followup');
    expect(first.escalated).toBe(true);
    const id = first.escalation?.ticket_id;
    expect(id).toMatch(/^\d+$/);
    const next = await ask('Any update on my ticket?', AVA, first.session_id);
    expect(next.response).toContain(`#${id}`);
    expect(next.response).toMatch(/waiting for a team member/);
  });
});

describe('two messages of one conversation sent together (a double click)', () => {
  it('are answered in turn: the second knows of the ticket the first opened, and no second one is made', async () => {
    const before = p.mockState!.tickets.length;
    const [a, b] = await Promise.all(
      ['I want to speak to a human agent please', 'Let me talk to a real person now'].map((m) => ask(m, AVA, 'double-click')),
    );
    expect(a?.escalation?.ticket_id).toMatch(/^\d+$/);
    expect(b?.escalation?.ticket_id).toBe(a?.escalation?.ticket_id);
    expect(p.mockState!.tickets.length - before).toBe(1);
  });
});

describe('an open request about the same thing is mentioned', () => {
  it('an escalated lost parcel mentions the request already open about that order', async () => {
    const r = await ask('Where is my order #10252?', DANIEL);
    expect(r.escalated).toBe(true);
    const created = r.escalation?.ticket_id;
    expect(r.response).toContain(`#${created}`);
    expect(r.response).toContain('#5101');
    expect(r.response).toContain('Where is my order #10252?');
  });

  it('a product problem mentions the open warranty request about that product', async () => {
    const r = await ask('Mi molino Summit hace un ruido raro al moler', SOFIA);
    expect(r.response).toContain('#5105');
  });
});

describe('no ticket data for anyone else', () => {
  it('an anonymous customer gets no ticket data, and Zendesk is not searched', async () => {
    const r = await ask('What’s happening with my ticket?');
    expect(r.response).toMatch(/signed in/);
    expect(demoTicketNumbers(r.response)).toEqual([]);
    expect(searches()).toEqual([]);
  });

  it('an email typed in the chat is not an identity', async () => {
    const r = await ask(`Hi, I'm ${PRIYA}. What's the status of my ticket?`);
    expect(r.response).not.toContain('#5106');
    expect(r.response).not.toContain('Lumen espresso machine');
    expect(searches()).toEqual([]);
  });

  it('another customer’s ticket is never shown, by number or otherwise', async () => {
    for (const message of ['Any update on ticket #5101?', 'What is the status of case 5101?', '¿Cómo va el ticket #5105?']) {
      const r = await ask(message, PRIYA);
      expect(r.response, message).not.toContain('5101');
      expect(r.response, message).not.toContain('5105');
      expect(r.response, message).not.toContain('Where is my order');
      expect(r.response, message).not.toContain('Summit');
    }
    const r = await ask('Any update on ticket #5101?', PRIYA);
    expect(r.response).toMatch(/couldn’t find a request with that number/);
    expect(r.response).toContain('#5106'); // her own
  });
});

/** Zendesk's webhook says a ticket changed: the platform drops the ticket lists it had cached (lookups are cached
 *  for a minute), so the next case turn asks Zendesk again. */
async function ticketUpdated() {
  const hook = await signedWebhook(p.url, '/webhooks/zendesk', { event: 'ticket.updated' });
  expect(hook.status).toBe(202);
  await p.flush();
}

describe('Zendesk failing', () => {
  it('down when a ticket is needed: the reply says so, and the response names no host, port or cause', async () => {
    p.mockState!.faults.zendesk = 'down';
    const r = await chat(p.url, { message: 'I want to speak to a human agent please', customer_email: AVA });
    const escalation = (r.json as { escalation?: { ticket_id: string | null; ticket_error?: string } }).escalation;
    expect(escalation?.ticket_id).toBeNull();
    expect(escalation?.ticket_error).toBe('ticket could not be created');
  });

  it('down right after a lookup: the list looked up a moment ago still answers', async () => {
    await ticketUpdated();
    await ask('What’s happening with my ticket?', PRIYA);
    p.mockState!.faults.zendesk = 'down';
    const r = await ask('Any news on my ticket?', PRIYA);
    expect(r.response).toContain('#5106');
    expect(searches()).toHaveLength(1);
  });

  it('down: the answer still comes, without ticket data', async () => {
    await ticketUpdated();
    p.mockState!.faults.zendesk = 'down';
    const r = await ask('What’s happening with my ticket?', PRIYA);
    expect(r.blocked).toBe(false);
    expect(r.response).toMatch(/can’t look up your support requests just now/);
    expect(demoTicketNumbers(r.response)).toEqual([]);
  });

  it('errors on a case turn: the usual answer, without ticket data', async () => {
    await ticketUpdated();
    p.mockState!.faults.zendesk = { status: 500, path: '/api/v2/search.json' };
    const r = await ask('My Summit grinder makes a clicking noise when I grind', SOFIA);
    expect(r.response).toMatch(/Summit/);
    expect(r.response.length).toBeGreaterThan(100);
    expect(demoTicketNumbers(r.response)).toEqual([]);
  });

  it('slow: the lookup is given up and the answer comes anyway', async () => {
    await ticketUpdated();
    p.mockState!.faults.zendesk = { delayMs: 5_000, path: '/api/v2/search.json' };
    const started = Date.now();
    const r = await ask('Où en est mon dossier ?', CAMILLE);
    expect(Date.now() - started).toBeLessThan(4_900);
    expect(r.response).toMatch(/ne peux pas consulter vos demandes/);
    expect(demoTicketNumbers(r.response)).toEqual([]);
  }, 15_000);
});
