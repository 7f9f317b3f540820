// The customer's support requests (Zendesk tickets) in the offline replies, in en/fr/es: number, subject and status
// in the customer's language, only numbers from the facts (checked by the critic's real output guardrail).
import { describe, expect, it } from 'vitest';
import { createCriticAgent } from '../../../src/agents/critic/agent.js';
import { composeReply } from '../../../src/agents/response/compose.js';
import { TICKET_STATUSES } from '../../../src/agents/response/messages/types.js';
import { LANGUAGES, type Language, type ResponseContext, type Ticket } from '../../../src/agents/runtime/contracts.js';
import { factPartsOf } from '../../../src/agents/runtime/pipeline.js';
import { SHOP, customer, makeCtx, type CtxOptions } from './fixtures.js';

const priya = customer('priya.natarajan@example.org');
const critic = createCriticAgent();

const ticket = (t: Partial<Ticket> & { id: number }): Ticket => ({
  subject: 'Lumen espresso machine won’t heat',
  status: 'open',
  priority: 'normal',
  requesterEmail: priya.email,
  tags: [],
  createdAt: '2026-11-23T19:26:15Z',
  ...t,
});

function ctxWith(o: Partial<CtxOptions> & { tickets?: Ticket[]; notes?: string[] }): ResponseContext {
  const ctx = makeCtx({ language: 'en', intent: 'order_status', customer: priya, ...o });
  ctx.knowledge.tickets = o.tickets ?? [];
  return ctx;
}

/** The reply, after the output guardrail has checked it against the facts the pipeline gives it. */
function checked(ctx: ResponseContext, message = 'What’s happening with my ticket?'): string {
  const text = composeReply(ctx).text;
  const factParts = factPartsOf(ctx.knowledge, ctx.returnDecision, ctx.escalation, SHOP, ctx.customer, message);
  const verdict = critic.outputGuardrail(text, { facts: factParts.join('\n'), factParts, customerEmail: priya.email });
  expect(verdict.tripwireTriggered, `${verdict.info.reason}\n${text}`).toBe(false);
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

const STATUS_WORDS: Record<Language, RegExp> = {
  en: /is open\b/,
  fr: /est ouverte\b/,
  es: /está abierta\b/,
};

describe('a question about their request', () => {
  for (const language of LANGUAGES) {
    it(`${language}: number, subject, date and status, in every status, numbers only from the facts`, () => {
      const open = checked(ctxWith({ language, tickets: [ticket({ id: 5106 })], notes: ['ticket_question'] }));
      expect(open).toContain('#5106');
      expect(open).toContain('Lumen espresso machine won’t heat');
      expect(open).toMatch(STATUS_WORDS[language]);
      expect(open).toMatch(/23/);
      for (const status of TICKET_STATUSES) {
        const text = checked(ctxWith({ language, tickets: [ticket({ id: 5106, status })], notes: ['ticket_question'] }));
        expect(text, status).toContain('#5106');
      }
    });
  }

  it('several open requests are listed; solved ones only when nothing is open', () => {
    const tickets = [ticket({ id: 5120, subject: 'Where is order #10283?', createdAt: '2026-11-25T10:00:00Z' }), ticket({ id: 5106 }), ticket({ id: 5090, status: 'solved', subject: 'Old one' })];
    const text = checked(ctxWith({ tickets, notes: ['ticket_question'] }));
    expect(text).toContain('Here are your support requests:');
    expect(text).toContain('• #5120 “Where is order #10283?”');
    expect(text).toContain('• #5106');
    expect(text).not.toContain('#5090');
    const solved = checked(ctxWith({ tickets: [ticket({ id: 5090, status: 'solved', subject: 'Old one' })], notes: ['ticket_question'] }));
    expect(solved).toMatch(/#5090 “Old one”.* is solved\./);
  });

  it('our own "[priority] " prefix is not part of the subject; an unknown status is shown as the helpdesk has it', () => {
    const text = checked(ctxWith({ tickets: [ticket({ id: 5115, subject: '[high] defect — technical support', status: 'escalated' })], notes: ['ticket_question'] }));
    expect(text).toContain('#5115 “defect — technical support”');
    expect(text).toContain('is escalated.');
  });

  it('what is said when nothing can be shown: no requests, not theirs, helpdesk down, not signed in', () => {
    expect(checked(ctxWith({ notes: ['ticket_question', 'no_tickets'] }))).toMatch(/don’t see any support request/);
    const notTheirs = checked(ctxWith({ tickets: [ticket({ id: 5106 })], notes: ['ticket_question', 'ticket_not_found'] }), 'Any news on ticket #5101?');
    expect(notTheirs).toMatch(/couldn’t find a request with that number/);
    expect(notTheirs).not.toContain('5101');
    expect(checked(ctxWith({ notes: ['ticket_question', 'tickets_unavailable'] }))).toMatch(/can’t look up your support requests just now/);
    const anonymous = makeCtx({ language: 'fr', intent: 'order_status', notes: ['ticket_question', 'tickets_need_sign_in'] });
    expect(composeReply(anonymous).text).toMatch(/connecté avec l’adresse courriel/);
  });

  it('with a question of its own (a refund), the open request comes first and the refund answer still follows', () => {
    const ctx = ctxWith({ intent: 'refund_status', tickets: [ticket({ id: 5106 })], notes: ['ticket_question'] });
    ctx.knowledge.orders = [];
    const text = composeReply(ctx).text;
    expect(text.startsWith('Your request #5106')).toBe(true);
    expect(text.split('\n\n').length).toBeGreaterThan(1);
    // Nothing open and nothing named: no "I don't see any request" in the middle of a refund answer.
    const none = composeReply(ctxWith({ intent: 'refund_status', notes: ['ticket_question', 'no_tickets'] })).text;
    expect(none).not.toMatch(/don’t see any support request/);
  });
});

describe('an open request about the same thing', () => {
  it('is mentioned next to a new escalation about that order, and the new ticket is not mentioned twice', () => {
    const ctx = ctxWith({
      intent: 'complaint',
      orderNumbers: ['10252'],
      tickets: [ticket({ id: 5101, subject: 'Where is my order #10252?', tags: ['order_10252'] })],
      escalation: { escalate: true, reason: 'explicit_request', priority: 'normal', ticketId: '5116' },
    });
    const text = checked(ctx, 'Order #10252 never came, I want someone to look into it');
    expect(text).toContain('#5116');
    expect(text).toContain('You already have a request open with us about this: #5101 “Where is my order #10252?” (open).');
  });

  it('by product; never a solved one, an unrelated one, or the ticket just opened', () => {
    const grinder = ticket({ id: 5105, subject: 'Mi molino Summit hace un chasquido' });
    const ctx = ctxWith({ language: 'es', intent: 'technical_support', productNames: ['Summit Hand Grinder'], tickets: [grinder] });
    expect(checked(ctx, 'Mi molino Summit hace ruido')).toContain('Ya tiene una solicitud abierta con nosotros sobre esto: #5105');
    const solved = ctxWith({ intent: 'technical_support', productNames: ['Summit Hand Grinder'], tickets: [{ ...grinder, status: 'solved' }] });
    expect(composeReply(solved).text).not.toContain('#5105');
    const other = ctxWith({ intent: 'technical_support', productNames: ['Ember Electric Kettle'], tickets: [grinder] });
    expect(composeReply(other).text).not.toContain('#5105');
    const same = ctxWith({
      intent: 'technical_support',
      productNames: ['Summit Hand Grinder'],
      tickets: [grinder],
      escalation: { escalate: true, reason: 'defect', priority: 'high', ticketId: '5105' },
    });
    expect(composeReply(same).text.match(/#5105/g)).toHaveLength(1);
  });
});
