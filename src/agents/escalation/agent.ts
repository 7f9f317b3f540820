// The escalation-handler agent: decides whether a person takes the conversation over (rules.ts) and, if so, opens
// one Zendesk ticket per conversation. A later, more serious request in the same conversation (a higher priority, or
// a reason the ticket was not escalated for yet) updates that ticket: its priority, its tags, an internal note. A
// ticket that cannot be created or updated is reported as such, never invented.
import type { EscalateRequest, EscalationDecision, EscalationReason, Priority } from '../runtime/contracts.js';
import type { Helpdesk } from '../runtime/ports.js';
import { decideEscalation, type EscalationConfig } from './rules.js';

export interface EscalationAgent {
  decide(req: EscalateRequest): Promise<EscalationDecision>;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

const words = (s: string) => s.replace(/_/g, ' ');

export function createEscalationAgent(d: { helpdesk: Helpdesk; config?: EscalationConfig }): EscalationAgent {
  /** The customer's message as the ticket gets it (the same on creation and on update). */
  function conversation(req: EscalateRequest): string[] {
    const { session, intent } = req;
    return [`Customer message (${intent.language}):`, req.message, '', `Intent: ${intent.intent} (${round(intent.confidence)})`, `Session: ${session.id}`];
  }

  const tagsOf = (decision: EscalationDecision, req: EscalateRequest): string[] => [
    `reason_${decision.reason}`,
    `intent_${req.intent.intent}`,
    `lang_${req.intent.language}`,
  ];

  /** The ticket's subject: its priority, and the reason and intent of the most serious request in it. */
  const subjectOf = (decision: EscalationDecision, req: EscalateRequest, priority: Priority): string =>
    `[${priority}] ${words(decision.reason ?? '')} — ${words(req.intent.intent)}`;

  async function openTicket(decision: EscalationDecision, req: EscalateRequest): Promise<void> {
    const { session, customer } = req;
    if (session.ticketId) return followUp(decision, req, session.ticketId);
    const email = session.customerEmail ?? session.statedEmail;
    const priority = decision.priority ?? 'normal';
    try {
      const ticket = await d.helpdesk.createTicket({
        subject: subjectOf(decision, req, priority),
        comment: conversation(req).join('\n'),
        priority,
        tags: ['mac', ...tagsOf(decision, req)],
        requester: email ? { email, name: customer ? `${customer.firstName} ${customer.lastName}`.trim() : undefined } : undefined,
        group: decision.team,
      });
      decision.ticketId = String(ticket.id);
      decision.ticketPriority = priority;
      decision.ticketReasons = decision.reason ? [decision.reason] : [];
    } catch (err) {
      decision.ticketId = null;
      decision.ticketError = `ticket could not be created: ${(err as Error).message}`.slice(0, 200);
    }
  }

  /**
   * The conversation already has a ticket: a more urgent request raises its priority (and names it and hands it to
   * the team after the more serious reason, as a ticket opened for it would be); a new reason adds its tags; either
   * adds an internal note with the message. The same reason at the same or a lower priority changes nothing.
   */
  async function followUp(decision: EscalationDecision, req: EscalateRequest, ticketId: string): Promise<void> {
    const { session } = req;
    decision.ticketId = ticketId;
    const had = session.ticketPriority;
    const reasons: EscalationReason[] = session.ticketReasons ?? [];
    // Facts that do not say what the ticket was opened with (an older pipeline): nothing to compare, left as it was.
    if (!had) return;
    decision.ticketPriority = had;
    decision.ticketReasons = reasons;
    const priority = decision.priority ?? 'normal';
    const raise = RANK[priority] > RANK[had];
    const newReason = decision.reason !== undefined && !reasons.includes(decision.reason);
    if (!raise && !newReason) return;
    const id = Number(ticketId);
    if (!Number.isSafeInteger(id)) {
      decision.ticketError = `ticket could not be updated: ${ticketId} is not a ticket id`.slice(0, 200);
      return;
    }
    const why = raise
      ? `Escalated again in this conversation: ${words(decision.reason ?? 'unknown')}, priority raised from ${had} to ${priority}.`
      : `Escalated again in this conversation: ${words(decision.reason ?? 'unknown')} (${priority}); the ticket stays ${had}.`;
    try {
      await d.helpdesk.updateTicket(id, {
        ...(raise ? { subject: subjectOf(decision, req, priority), priority, ...(decision.team ? { group: decision.team } : {}) } : {}),
        addTags: tagsOf(decision, req),
        note: [why, '', ...conversation(req)].join('\n'),
      });
      if (raise) decision.ticketPriority = priority;
      if (decision.reason && newReason) decision.ticketReasons = [...reasons, decision.reason];
    } catch (err) {
      decision.ticketError = `ticket could not be updated: ${(err as Error).message}`.slice(0, 200);
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
