// The hand-off when the conversation's ticket could not be updated with a later, more serious request: said
// honestly (the ticket exists, this request is not on it), never as "marked urgent".
import { describe, expect, it } from 'vitest';
import { factsOf } from '../../../src/agents/response/azure-openai.js';
import { composeReply } from '../../../src/agents/response/compose.js';
import { LANGUAGES, type EscalationDecision, type Intent } from '../../../src/agents/runtime/contracts.js';
import { inventedNumbers } from './facts.js';
import { customer, makeCtx } from './fixtures.js';

const ava = customer('ava.martinez@example.net');
const reply = (ctx: Parameters<typeof composeReply>[0]) => composeReply(ctx).text.replace(/[\u00a0\u202f]/g, ' ');

const failedUpdate: EscalationDecision = {
  escalate: true,
  reason: 'safety',
  priority: 'urgent',
  team: 'support',
  ticketId: '5130',
  ticketError: 'ticket could not be updated: zendesk PUT /api/v2/tickets/5130.json failed with 503',
  ticketPriority: 'normal',
  ticketReasons: ['b2b'],
};

describe('escalation hand-off: the conversation’s ticket could not be updated', () => {
  it.each(LANGUAGES)('(%s) names the ticket, gives the support email, and does not say it was marked urgent or passed on', (language) => {
    for (const intent of ['technical_support', 'complaint', 'escalation_request', 'product_info'] as Intent[]) {
      const ctx = makeCtx({ language, intent, customer: ava, escalation: failedUpdate });
      const text = reply(ctx);
      expect(text, `${intent}/${language}`).toContain('#5130');
      expect(text, `${intent}/${language}`).toContain('support@cinderfell.example.com');
      expect(text, `${intent}/${language}`).not.toMatch(/marked this as urgent|comme urgente|como urgente/);
      expect(text, `${intent}/${language}`).not.toMatch(/passed (this|it) to our|transmise? à notre équipe|pasado su caso/);
      expect(text, `${intent}/${language}`).not.toMatch(/ticket number is|numéro de billet est|número de ticket es/);
      expect(inventedNumbers(text, ctx), `${intent}/${language}`).toEqual([]);
    }
  });

  it('the model strategy gets the error, not the ticket id as if the request were on it', () => {
    const facts = factsOf(makeCtx({ language: 'en', intent: 'technical_support', customer: ava, escalation: failedUpdate }));
    expect(facts.escalation).toEqual({
      escalate: true,
      reason: 'safety',
      priority: 'urgent',
      team: 'support',
      ticketError: 'this request could not be added to the conversation’s ticket',
    });
    // A creation that failed reads as before.
    const created = factsOf(makeCtx({ language: 'en', intent: 'technical_support', escalation: { ...failedUpdate, ticketId: null } }));
    expect(created.escalation).toMatchObject({ ticketError: 'the ticket could not be created' });
  });
});
