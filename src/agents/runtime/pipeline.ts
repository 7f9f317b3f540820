// One customer message through the agents: critic.input → intent → knowledge → escalation → response →
// critic.output → reply. Every stage runs in a span; analytics hears about the turn on the event bus.
import { createHash } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { EventBus } from './bus.js';
import type {
  ChatRequest,
  ChatResponse,
  Customer,
  EscalationDecision,
  Intent,
  IntentResult,
  KnowledgeResult,
  Language,
  Order,
  ReturnDecision,
  SessionFacts,
  Shop,
} from './contracts.js';
import { AGENTS } from './contracts.js';
import type { PiiProtector } from './ports.js';
import type { AgentClient } from './services.js';
import type { Session, SessionStore } from './sessions.js';
import { startRoot, withSpan } from './tracing.js';
import { foldText } from '../escalation/lexicon.js';
import { ORDER_INTENTS } from '../knowledge/agent.js';
import { isQuestion } from '../intent/question.js';
import { evaluateReturn, type RmaIssuer } from '../policy/returns.js';

export interface PipelineDeps {
  /** The six agents, over the transport (inproc or NATS). */
  agents: AgentClient;
  pii: PiiProtector;
  bus: EventBus;
  sessions: SessionStore;
  tracer: Tracer;
  shop: Shop;
  /** The returns ledger: RMA numbers, and what was already approved for an order. */
  issueRma: RmaIssuer;
  now?: () => Date;
}

/** "Sorry, I meant order #…": the customer corrects the order the conversation is about. */
const CORRECTION =
  /\b(?:i meant|i mean|sorry|ignore my|wrong order|actually|je voulais dire|oubliez|oublie|plutot|desole|pardon|je me suis trompe|quise decir|olvida|olvide|perdon|me equivoque|en realidad)\b/;

const RETURN_INTENTS = new Set<Intent>(['return_request', 'exchange_request']);
/** "All of it", "toute la commande", "todo el pedido". */
const WHOLE_ORDER =
  /\b(?:(?:the )?whole (?:order|thing)|entire order|all of it|all of them|everything in it|both|toute la commande|la commande (?:au )?complete|tous les articles|les deux|todo el pedido|el pedido completo|todos los articulos|los dos|ambos)\b/;
/** What a reply naming the item to return is mistaken for, on its own. */
const ITEM_ANSWERS = new Set<Intent>(['product_info', 'product_comparison', 'product_recommendation', 'feedback', 'complaint', 'technical_support']);

const FALLBACK: Record<Language, string> = {
  en: "I'm sorry, I can't share that answer. A member of our team will follow up with you.",
  fr: "Je suis désolé, je ne peux pas vous transmettre cette réponse. Un membre de notre équipe fera le suivi avec vous.",
  es: 'Lo siento, no puedo compartir esa respuesta. Un miembro de nuestro equipo le dará seguimiento.',
};

type AgentName = (typeof AGENTS)[keyof typeof AGENTS];

export class Pipeline {
  /** Per session, the last turn taken in hand: a session's turns run one after the other. */
  private readonly lastTurn = new Map<string, Promise<unknown>>();

  constructor(private readonly d: PipelineDeps) {}

  private now(): Date {
    return this.d.now ? this.d.now() : new Date();
  }

  /**
   * Answers a message. Two messages of one session sent together (a double click) are answered in order, the second
   * knowing what the first did: the ticket it opened, the question it asked.
   */
  handle(req: ChatRequest): Promise<ChatResponse> {
    const id = req.session_id;
    if (!id) return this.turn(req);
    const before = this.lastTurn.get(id);
    const mine = before ? before.then(() => this.turn(req), () => this.turn(req)) : this.turn(req);
    this.lastTurn.set(id, mine);
    const forget = () => {
      if (this.lastTurn.get(id) === mine) this.lastTurn.delete(id);
    };
    mine.then(forget, forget);
    return mine;
  }

  private async turn(req: ChatRequest): Promise<ChatResponse> {
    const started = performance.now();
    const { d } = this;
    const session = d.sessions.get(req.session_id);
    if (req.customer_email) session.customerEmail = req.customer_email.trim().toLowerCase();
    const customerEmail = session.customerEmail;
    const masked = d.pii.mask(req.message);
    const { span: root, ctx } = startRoot(d.tracer, 'chat', { session_id: session.id, turn: session.turns + 1 });
    const traceId = root.spanContext().traceId;
    const involved = new Set<AgentName>();
    const stageMs: Record<string, number> = {};
    const stage = async <T>(
      agent: AgentName,
      action: string,
      inputs: unknown,
      fn: () => Promise<{ value: T; outputs?: unknown; reasoning?: string }> | { value: T; outputs?: unknown; reasoning?: string },
    ): Promise<T> => {
      involved.add(agent);
      const t0 = performance.now();
      try {
        return await withSpan(d.tracer, ctx, { agent, action, inputs }, fn);
      } finally {
        stageMs[`${agent}.${action}`] = performance.now() - t0;
      }
    };

    try {
      session.turns += 1;
      const contextId = session.id;
      const guard = await stage(AGENTS.critic, 'validate_input', { message: masked }, async () => {
        const r = await d.agents.validateInput({ text: req.message, customerEmail }, contextId);
        return { value: r, outputs: { is_safe: !r.tripwireTriggered, threats: r.info.categories }, reasoning: r.info.reason };
      });

      let intent = await stage(AGENTS.intent, 'classify_intent', { message: masked }, async () => {
        // A message that shows no language ("#10266", "ok") keeps the conversation's.
        const r = await d.agents.classify({ text: req.message, language: req.language ?? undefined, fallback: session.language }, contextId);
        return {
          value: r,
          outputs: { intent: r.intent, confidence: round(r.confidence), language: r.language, sentiment: r.sentiment.label },
          reasoning: `top ${r.intent} ${round(r.confidence)}; next ${r.alternatives.map((a) => `${a.intent} ${round(a.score)}`).join(', ')}`,
        };
      });
      const language: Language = req.language ?? intent.language;
      session.language = language;

      if (guard.tripwireTriggered) {
        return this.finish(session, req, started, traceId, involved, stageMs, {
          intent,
          language,
          text: await d.agents.refusal(language, contextId),
          blocked: true,
          escalation: { escalate: false },
        });
      }

      intent = this.carryOver(session, intent, req.message);
      const facts = sessionFacts(session);
      const { knowledge, destination } = await stage(
        AGENTS.knowledge,
        'retrieve',
        { intent: intent.intent, entities: redactEntities(intent) },
        async () => {
          const r = await d.agents.retrieve({ message: req.message, masked, intent, language, session: facts }, contextId);
          const k = r.knowledge;
          return {
            value: r,
            outputs: {
              kb: k.kb.map((h) => `${h.source}#${h.heading}`),
              orders: k.orders.map((o) => o.name),
              products: k.products.map((p) => p.title),
              notes: k.notes,
            },
          };
        },
      );
      const customer = knowledge.customer;

      let returnDecision: ReturnDecision | undefined;
      const toReturn = intent.intent === 'return_request' || intent.intent === 'exchange_request' ? orderToReturn(knowledge.orders, intent, facts) : undefined;
      // No item the order holds is named: ask which ones (or the whole order) before deciding on them all, unless this
      // message names the order itself ("I'd like to return order #10246") or says it is all of it. A question
      // about an order ("can I return something from #10246?") decides nothing either: the reply answers it.
      if (toReturn) {
        const named = namedItems(toReturn, intent);
        const whole = WHOLE_ORDER.test(foldText(req.message));
        const numbered = intent.entities.orderNumbers.length > 0 && session.awaiting !== 'order_reference';
        const question = named === 0 && !whole && isQuestion(req.message);
        const chooseItems = intent.intent === 'return_request' && named === 0 && !whole && toReturn.items.length > 1 && (!numbered || intent.entities.products.length > 0);
        if (chooseItems && !question) knowledge.notes.push('return_items');
        else if (!question) returnDecision = evaluateReturn(toReturn, d.shop.policy, this.now(), d.issueRma, intent.entities.products, d.shop.timeZone);
      }

      const escalation = await stage(AGENTS.escalation, 'decide', { intent: intent.intent, sentiment: intent.sentiment }, async () => {
        const decision = await d.agents.decide({ message: req.message, intent, orders: knowledge.orders, returnDecision, session: facts, customer }, contextId);
        if (decision.ticketId) {
          session.ticketId = decision.ticketId;
          if (decision.ticketPriority) session.ticketPriority = decision.ticketPriority;
          if (decision.ticketReasons) session.ticketReasons = decision.ticketReasons;
        }
        return { value: decision, outputs: decision, reasoning: decision.escalate ? `rule ${decision.reason}` : 'no rule matched' };
      });

      const reply = await stage(AGENTS.response, 'generate', { intent: intent.intent, language }, async () => {
        const r = await d.agents.compose(
          {
            language,
            message: req.message,
            intent,
            knowledge,
            escalation,
            shop: d.shop,
            customer,
            now: this.now().toISOString(),
            previousIntent: session.previousIntent,
            returnDecision,
            destination,
          },
          contextId,
        );
        return { value: r, outputs: { awaiting: r.awaiting ?? null, chars: r.text.length } };
      });

      const factParts = factPartsOf(knowledge, returnDecision, escalation, d.shop, customer, req.message);
      const checked = await stage(AGENTS.critic, 'validate_output', { chars: reply.text.length }, async () => {
        const r = await d.agents.validateOutput({ reply: reply.text, factParts, customerEmail }, contextId);
        return { value: r, outputs: { is_safe: !r.tripwireTriggered, threats: r.info.categories }, reasoning: r.info.reason };
      });

      session.awaiting = checked.tripwireTriggered ? undefined : reply.awaiting;
      session.previousIntent = intent.intent;
      return this.finish(session, req, started, traceId, involved, stageMs, {
        intent,
        language,
        text: checked.tripwireTriggered ? FALLBACK[language] : reply.text,
        blocked: false,
        escalation,
        outputBlocked: checked.tripwireTriggered ? checked.info.categories : undefined,
      });
    } catch (err) {
      root.recordException(err as Error);
      throw err;
    } finally {
      root.end();
    }
  }

  /**
   * A turn that answers our question ("which order?"), or corrects the order it is about ("sorry, I meant
   * #10280"), continues the previous intent.
   */
  private carryOver(session: Session, intent: IntentResult, message: string): IntentResult {
    const { orderNumbers, emails } = intent.entities;
    if (emails[0]) session.statedEmail = emails[0].toLowerCase();
    if (orderNumbers[0]) session.orderNumber = orderNumbers[0];
    const previous = session.previousIntent;
    if (!previous) return intent;
    const answersUs = (session.awaiting === 'order_reference' || session.awaiting === 'email') && (orderNumbers.length > 0 || emails.length > 0);
    const correctsOrder =
      ORDER_INTENTS.has(previous) && orderNumbers.length > 0 && (!ORDER_INTENTS.has(intent.intent) || CORRECTION.test(foldText(message)));
    // "The Pocket Espresso Press, it's too fiddly" after "I want to return something": which item, not a product question.
    const returning = session.awaiting === 'order_reference' || session.awaiting === 'return_items';
    const namesItem =
      returning && RETURN_INTENTS.has(previous) && intent.entities.products.length > 0 && ITEM_ANSWERS.has(intent.intent) && intent.confidence < 0.7;
    // The answer to "which items?": some of them, or "the whole order".
    const answersItems = session.awaiting === 'return_items' && (intent.entities.products.length > 0 || WHOLE_ORDER.test(foldText(message)));
    if (answersUs || correctsOrder || namesItem || answersItems) return { ...intent, intent: previous, confidence: Math.max(intent.confidence, 0.9) };
    return intent;
  }

  private finish(
    session: Session,
    req: ChatRequest,
    started: number,
    traceId: string,
    involved: Set<AgentName>,
    stageMs: Record<string, number>,
    r: { intent: IntentResult; language: Language; text: string; blocked: boolean; escalation: EscalationDecision; outputBlocked?: string[] },
  ): ChatResponse {
    const { d } = this;
    const processing = performance.now() - started;
    const escalated = r.escalation.escalate;
    d.sessions.record({ sessionId: session.id, role: 'customer', text: d.pii.tokenize(req.message), intent: r.intent.intent, language: r.language, traceId });
    d.sessions.record({ sessionId: session.id, role: 'assistant', text: d.pii.tokenize(r.text), language: r.language, traceId });
    involved.add(AGENTS.analytics);
    d.bus.publish('events.platform.conversations.turn', {
      session_id: session.id,
      trace_id: traceId,
      intent: r.intent.intent,
      confidence: round(r.intent.confidence),
      language: r.language,
      sentiment: r.intent.sentiment.score,
      blocked: r.blocked,
      output_blocked: r.outputBlocked ?? [],
      escalated,
      escalation_reason: r.escalation.reason ?? null,
      latency_ms: round(processing),
      stages_ms: Object.fromEntries(Object.entries(stageMs).map(([k, v]) => [k, round(v)])),
      cost_usd: 0,
    });
    if (escalated) {
      d.bus.publish('events.platform.escalations.created', {
        session_id: session.id,
        reason: r.escalation.reason,
        priority: r.escalation.priority,
        ticket_id: r.escalation.ticketId ?? null,
        ticket_error: r.escalation.ticketError ?? null,
      });
    }
    return {
      response: r.text,
      session_id: session.id,
      intent: r.intent.intent,
      confidence: round(r.intent.confidence),
      language: r.language,
      escalated,
      ...(escalated
        ? {
            escalation: {
              reason: r.escalation.reason ?? 'explicit_request',
              priority: r.escalation.priority ?? 'normal',
              ticket_id: r.escalation.ticketId ?? null,
              // What failed, not why: the cause (a host and port, Zendesk's validation text) stays in the trace.
              ...(r.escalation.ticketError ? { ticket_error: r.escalation.ticketError.split(':', 1)[0] } : {}),
            },
          }
        : {}),
      blocked: r.blocked,
      processing_time_ms: round(processing),
      agents_involved: [...involved],
      trace_id: traceId,
    };
  }
}

/** The facts as fragments, one per record: the shop, each KB passage, order and product, the customer, the return
 *  and escalation decisions, the customer's message (the output guardrail reads each distinct fragment once). */
export function factPartsOf(
  k: KnowledgeResult,
  ret: ReturnDecision | undefined,
  esc: EscalationDecision,
  shop: Shop,
  customer: Customer | undefined,
  message: string,
): string[] {
  const { kb, orders, products, tickets, ...rest } = k;
  const perTurn: unknown[] = [{ ...rest, customer: undefined }, ret, esc];
  return [
    recordPart(shop),
    ...kb.map(recordPart),
    ...orders.map(recordPart),
    ...products.map(recordPart),
    ...tickets.map(recordPart),
    ...(customer ? [recordPart(customer)] : []),
    ...perTurn.filter((p) => p !== undefined).map((p) => factPart(JSON.stringify(p))),
    factPart(message),
  ];
}

/**
 * The fragment of the shop, a KB passage or a commerce record (order, product, ticket, customer), made once per
 * object: the search and lookup caches hand the same objects to many turns, and none is ever changed in place (a
 * change is a new object from a new lookup). The same string each turn also spares the output guardrail re-hashing it.
 */
const recordParts = new WeakMap<object, string>();
function recordPart(record: object): string {
  let part = recordParts.get(record);
  if (part === undefined) recordParts.set(record, (part = factPart(JSON.stringify(record))));
  return part;
}

// Timestamps become dates: replies state days, never clock times. `\d\d\d\d` rather than `\d{4}`: V8 then
// rejects most starting positions with one quick check, ~5x faster over a fragment (same matches).
const factPart = (text: string) => text.replace(/(\d\d\d\d-\d\d-\d\d)T[\d:.]+(?:Z|[+-]\d\d:\d\d)?/g, '$1');

/**
 * The order a return or exchange is about: the one the message or the conversation names by number (the knowledge
 * stage looked it up and checked it is the customer's), else the only recent order holding a product the customer
 * named. None otherwise: "how long do I have to return something?" is a question, not a return of the latest order.
 */
/** How many of the order's lines hold a product the customer named. */
function namedItems(order: Order, intent: IntentResult): number {
  const named = intent.entities.products.map((p) => p.toLowerCase());
  return order.items.filter((item) => named.some((p) => item.title.toLowerCase().includes(p))).length;
}

function orderToReturn(orders: readonly Order[], intent: IntentResult, facts: SessionFacts): Order | undefined {
  if (intent.entities.orderNumbers[0] ?? facts.orderNumber) return orders[0];
  const named = intent.entities.products.map((p) => p.toLowerCase());
  if (named.length === 0) return undefined;
  const holding = orders.filter((o) => o.items.some((item) => named.some((p) => item.title.toLowerCase().includes(p))));
  return holding.length === 1 ? holding[0] : undefined;
}

function sessionFacts(s: Session): SessionFacts {
  return {
    id: s.id,
    orderNumber: s.orderNumber,
    customerEmail: s.customerEmail,
    statedEmail: s.statedEmail,
    ticketId: s.ticketId,
    ticketPriority: s.ticketPriority,
    ticketReasons: s.ticketReasons,
  };
}

function redactEntities(intent: IntentResult): Record<string, unknown> {
  const e = intent.entities;
  return { orderNumbers: e.orderNumbers, products: e.products, amounts: e.amounts, emails: e.emails.length, phones: e.phones.length };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A stable RMA number for an order (the same order always gets the same number). */
export function rmaFor(order: Order): string {
  const digest = createHash('sha256').update(`${order.id}`).digest();
  return `RMA-${order.orderNumber}-${(digest.readUInt16BE(0) % 9000) + 1000}`;
}
