// The escalation-handler agent: decides whether a person takes the conversation over (rules.ts) and, if so, opens
// one Zendesk ticket per conversation. A ticket that cannot be created is reported as such, never invented.
import type { EscalationDecision, EscalateRequest } from '../runtime/contracts.js';
import type { Helpdesk } from '../runtime/ports.js';
import { decideEscalation, type EscalationConfig } from './rules.js';

export interface EscalationAgent {
  decide(req: EscalateRequest): Promise<EscalationDecision>;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function createEscalationAgent(d: { helpdesk: Helpdesk; config?: EscalationConfig }): EscalationAgent {
  async function openTicket(decision: EscalationDecision, req: EscalateRequest): Promise<void> {
    const { session, intent, customer } = req;
    if (session.ticketId) {
      decision.ticketId = session.ticketId;
      return;
    }
    const email = session.customerEmail ?? session.statedEmail;
    try {
      const ticket = await d.helpdesk.createTicket({
        subject: `[${decision.priority}] ${decision.reason?.replace(/_/g, ' ')} — ${intent.intent.replace(/_/g, ' ')}`,
        comment: [`Customer message (${intent.language}):`, req.message, '', `Intent: ${intent.intent} (${round(intent.confidence)})`, `Session: ${session.id}`].join('\n'),
        priority: decision.priority ?? 'normal',
        tags: ['mac', `reason_${decision.reason}`, `intent_${intent.intent}`, `lang_${intent.language}`],
        requester: email ? { email, name: customer ? `${customer.firstName} ${customer.lastName}`.trim() : undefined } : undefined,
        group: decision.team,
      });
      decision.ticketId = String(ticket.id);
    } catch (err) {
      decision.ticketId = null;
      decision.ticketError = `ticket could not be created: ${(err as Error).message}`.slice(0, 200);
    }
  }

  return {
    async decide(req) {
      const decision = decideEscalation({ message: req.message, intent: req.intent, orders: req.orders, returnDecision: req.returnDecision }, d.config);
      if (decision.escalate) await openTicket(decision, req);
      return decision;
    },
  };
}
