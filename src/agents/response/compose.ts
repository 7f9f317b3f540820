// The response generator's offline strategy: a reply in the customer's language (en, fr, es) built only from the
// facts in the ResponseContext. Pure, synchronous, no I/O.
//
// All decisions live here and are the same in every language; the words live in messages/<lang>.ts. The critic's
// output guardrail blocks any number that is not in the facts, so every number in a reply comes from ctx (order,
// fulfillment, refund, product, customer, shop policy, escalation, return decision, KB text in the customer's
// language). Nothing is computed into a new number: no "points to go", no derived deadlines.
import { LRUCache } from 'lru-cache';
import { DESTINATIONS, type Destination } from '../knowledge/destinations.js';
import { isQuestion } from '../intent/question.js';
import { withinReturnWindow } from '../policy/returns.js';
import type {
  Awaiting,
  ComposedReply,
  Customer,
  Fulfillment,
  Intent,
  Language,
  Order,
  Product,
  ResponseContext,
  ReturnDecision,
  Ticket,
  Variant,
} from '../runtime/contracts.js';
import { formatterFor, type Formatter } from './format.js';
import { kbQuote, type QuoteOptions } from './kb.js';
import { en } from './messages/en.js';
import { es } from './messages/es.js';
import { fr } from './messages/fr.js';
import {
  FINANCIAL_STATUSES,
  PRODUCT_REASONS,
  TICKET_STATUSES,
  type FinancialStatus,
  type Messages,
  type ProductReason,
  type TicketStatus,
} from './messages/types.js';

export const CATALOGUES: Readonly<Record<Language, Messages>> = { en, fr, es };

/** Below this intent confidence, with no entities, we ask what the customer means. */
export const LOW_CONFIDENCE = 0.45;
/** At or below this many units, stock is shown as "only N left". */
export const LOW_STOCK = 5;
const MAX_ORDERS = 3;

/** KB sources per topic (English, French and Spanish file names). */
const SOURCES = {
  contact: /contact|hours|horaire|horario/i,
  shipping: /shipping|livraison|envio|envío|delivery/i,
  returns: /return|retour|devoluci/i,
  exchanges: /exchange|echange|échange|cambio/i,
  subscription: /auto-delivery|subscription|abonnement|suscripci|entrega-automatica/i,
  gift: /gift|cadeau|regalo/i,
  account: /account|compte|cuenta/i,
  billing: /payment|billing|paiement|facturation|pago/i,
  technical: /technical|support|care|warranty|garantie|garant/i,
  comparison: /comparison|comparaison|comparaci/i,
  wholesale: /wholesale|b2b|gros|mayor/i,
} as const;

/** A KB sentence about how long the bank takes to show a refund. */
const BANK_DELAY = /(refund|rembours|reembols).*(bank|banque|banco)|(bank|banque|banco|institution financière).*(refund|rembours|reembols|reflej)/i;

/** The KB sentence saying when a return label comes with the RMA. */
const RETURN_LABEL = /label.*(attached|included|applies)|étiquette.*(jointe|incluse|s’applique|s'applique)|etiqueta.*(adjunt|incluye|corresponde)/i;

interface Turn {
  ctx: ResponseContext;
  intent: Intent;
  m: Messages;
  f: Formatter;
  customer?: Customer;
  firstName?: string;
  paragraphs: string[];
  awaiting?: Awaiting;
  /** The reply already says a person is taking over (so the hand-off paragraph only adds the ticket). */
  caseMentioned: boolean;
  handedOff: boolean;
  // Worked out once per reply, on first use: several handlers and checks need them.
  sorted?: readonly Order[];
  referenced?: readonly Order[];
}

export function composeReply(ctx: ResponseContext): ComposedReply {
  const m = CATALOGUES[ctx.language] ?? en;
  const customer = ctx.customer ?? ctx.knowledge.customer;
  const incident = isIncident(ctx);
  const t: Turn = {
    ctx,
    intent: incident ? 'technical_support' : effectiveIntent(ctx),
    m,
    f: formatterFor(m.locales, ctx.shop.currency || 'USD'),
    customer,
    firstName: customer?.firstName?.trim() || undefined,
    paragraphs: [],
    caseMentioned: false,
    handedOff: false,
    sorted: undefined,
    referenced: undefined,
  };

  // An intent outside the contract (bad input) gets a clarifying question rather than an exception.
  const handler = HANDLERS[t.intent] as ((turn: Turn) => void) | undefined;
  const unclear = !handler || (!incident && t.intent === ctx.intent.intent && isLowConfidence(ctx));
  // "What's happening with my ticket?": the customer's requests first; alone when that is all the turn is about.
  const ticketQuestion = hasNote(ctx, 'ticket_question');
  const ticketsOnly = ticketQuestion && (unclear || isTicketOnly(t));
  if (ticketQuestion) answerTickets(t, ticketsOnly);
  if (!ticketsOnly) {
    if (unclear || !handler) clarify(t);
    else handler(t);
  }

  // Escalation overrides: whatever the intent, the reply mentions the hand-off (and the ticket id or the error).
  handoff(t);
  // A request already open about the same thing is mentioned, never left out as if nothing existed.
  if (!ticketQuestion) mentionRelatedTicket(t);

  const reply: ComposedReply = { text: t.paragraphs.join('\n\n') };
  if (t.awaiting) reply.awaiting = t.awaiting;
  return reply;
}

// ---- intent handlers (one per intent: a missing one is a compile error) ----------------------------------------

const HANDLERS: Record<Intent, (t: Turn) => void> = {
  greeting(t) {
    const { m } = t;
    say(t, m.greeting.hello(t.firstName), m.greeting.intro(t.ctx.shop.name), m.greeting.offer);
  },

  general_inquiry(t) {
    const { m, ctx } = t;
    const quote = quoteKb(t, { source: SOURCES.contact, maxUnits: 3 });
    const vague = ctx.knowledge.kb.length === 0 && !hasEntities(ctx);
    if (quote) say(t, quote);
    else say(t, m.contact.reach(ctx.shop.name, ctx.shop.supportEmail), m.contact.assistant);
    if (ctx.shop.supportPhone && !quote?.includes(ctx.shop.supportPhone)) say(t, m.contact.phone(ctx.shop.supportPhone));
    if (vague) clarify(t);
    else say(t, m.contact.anythingElse);
  },

  order_status(t) {
    if (unresolvedReference(t)) return;
    const orders = targetOrders(t, MAX_ORDERS);
    if (orders.length === 0) return askForOrder(t);
    say(t, orders.length > 1 ? t.m.orders.introMany(t.firstName) : t.m.orders.intro(t.firstName));
    for (const o of orders) say(t, describeOrder(t, o));
  },

  order_modification(t) {
    if (unresolvedReference(t)) return;
    const { m, f, ctx } = t;
    const refs = referencedOrders(t);
    const all = sortedOrders(t);
    if (all.length === 0) return askForOrder(t);
    const unshipped = all.filter((o) => !o.cancelledAt && isUnshipped(o));
    const candidates = refs.length > 0 ? refs : all.length === 1 ? all : unshipped;
    if (candidates.length > 1) {
      say(t, m.orders.whichOrder(f.and(candidates.slice(0, MAX_ORDERS).map((o) => orderLabel(t, o)))));
      t.awaiting = 'order_reference';
      return;
    }
    const o = candidates[0] ?? all[0];
    if (!o) return askForOrder(t);
    const teamOnIt = escalatedOk(ctx);
    if (o.cancelledAt) say(t, m.modification.alreadyCancelled(o.name, f.date(o.cancelledAt)));
    else if (isUnshipped(o)) say(t, m.modification.canChange(o.name), teamOnIt ? m.modification.teamWillDoIt : m.modification.howTo);
    else if (isPartial(o)) say(t, m.modification.partial(o.name), teamOnIt ? m.modification.teamWillDoIt : m.modification.howTo);
    else {
      const delivered = deliveredAt(o);
      const windowDays = f.count(ctx.shop.policy.returnWindowDays);
      say(t, delivered ? m.modification.deliveredCannot(o.name, f.date(delivered), windowDays) : m.modification.shippedCannot(o.name, windowDays));
    }
    if (teamOnIt && !o.cancelledAt && (isUnshipped(o) || isPartial(o))) t.caseMentioned = true;
  },

  return_request(t) {
    const { m, f, ctx } = t;
    if (ctx.returnDecision) return describeReturn(t, ctx.returnDecision);
    const known = ctx.knowledge.orders[0];
    if (hasNote(ctx, 'return_items') && known) {
      say(t, m.returns.whichItems(known.name, f.or(known.items.map((i) => `${i.title} (${money(t, i.price)})`))));
      t.awaiting = 'return_items';
      return;
    }
    if (unresolvedReference(t)) return;
    const orders = sortedOrders(t);
    const policy = m.returns.policySummary(f.count(ctx.shop.policy.returnWindowDays), money(t, ctx.shop.policy.autoApproveReturnLimit));
    // "What is your return policy?", "can I return opened coffee?": the answer first, the return only if wanted.
    if (isQuestion(ctx.message)) {
      const quote = quoteKb(t, { source: SOURCES.returns, maxUnits: 4 });
      say(t, ...(quote ? [quote, policy] : [policy]));
      if (orders.length > 0) {
        say(t, m.returns.startWhich(f.and(orders.slice(0, MAX_ORDERS).map((o) => orderLabel(t, o)))));
        t.awaiting = 'order_reference';
      }
      return;
    }
    if (orders.length > 0) {
      say(t, m.returns.whichOrder(f.and(orders.slice(0, MAX_ORDERS).map((o) => orderLabel(t, o)))), policy);
      t.awaiting = 'order_reference';
      return;
    }
    askForOrder(t);
    say(t, policy);
  },

  refund_status(t) {
    if (unresolvedReference(t)) return;
    const { m, f, ctx } = t;
    const refs = referencedOrders(t);
    const withRefunds = sortedOrders(t).filter((o) => o.refunds.length > 0 || isRefundedStatus(o.financialStatus));
    const orders = refs.length > 0 ? refs.slice(0, MAX_ORDERS) : withRefunds.length > 0 ? withRefunds.slice(0, MAX_ORDERS) : targetOrders(t, 1);
    if (orders.length === 0) return askForOrder(t);
    let issued = false;
    let pending = false;
    for (const o of orders) {
      if (o.refunds.length > 0) {
        issued = true;
        say(t, ...o.refunds.map((r) => m.refunds.issued(o.name, f.money(r.amount, o.currency), f.date(r.createdAt))));
      } else if (isRefundedStatus(o.financialStatus)) {
        issued = true;
        say(t, m.refunds.markedRefunded(o.name, financialWords(t, o.financialStatus)));
      } else {
        pending = true;
        say(t, m.refunds.noneYet(o.name, financialWords(t, o.financialStatus)));
      }
    }
    if (issued) say(t, quoteKb(t, { source: SOURCES.returns, match: BANK_DELAY, maxUnits: 1 }) ?? m.refunds.bankDelay);
    if (pending) say(t, m.refunds.afterReturn);
  },

  exchange_request(t) {
    const { m, f, ctx } = t;
    const policy = ctx.shop.policy;
    say(t, m.exchanges.policy(f.count(policy.returnWindowDays), money(t, policy.autoApproveReturnLimit)));
    const decision = ctx.returnDecision;
    if (!decision && unresolvedReference(t)) return;
    const refs = referencedOrders(t);
    const all = sortedOrders(t);
    const o = decision?.order ?? refs[0] ?? all.find((x) => deliveredAt(x) !== undefined) ?? all[0];
    if (!o) return askForOrder(t);
    const delivered = deliveredAt(o);
    let eligible = false;
    if (o.cancelledAt) say(t, m.exchanges.cancelled(o.name));
    else if (decision?.status === 'approved' && decision.rma && ctx.intent.entities.products.length > 0) {
      // The customer named what to swap: the exchange is approved under a return authorisation.
      say(t, m.exchanges.approved(o.name, decision.rma));
    } else if (decision?.deadline && (decision.status === 'approved' || decision.reason === 'over_limit')) {
      eligible = true;
      say(t, m.exchanges.eligibleUntil(o.name, f.date(decision.deadline)));
    } else if (!delivered) say(t, m.exchanges.notDelivered(o.name, f.count(policy.returnWindowDays)));
    else if (withinReturnWindow(delivered, policy.returnWindowDays, ctx.now, ctx.shop.timeZone)) {
      eligible = true;
      say(t, m.exchanges.eligible(o.name, f.date(delivered)));
    } else say(t, m.exchanges.outside(o.name, f.count(policy.returnWindowDays), f.date(delivered)));
    if (eligible && !escalatedOk(ctx)) {
      say(t, m.exchanges.offer);
      t.awaiting = 'clarification';
    }
  },

  product_info(t) {
    const products = relevantProducts(t.ctx).slice(0, 2);
    if (products.length === 0) {
      say(t, t.m.products.askWhich);
      t.awaiting = 'clarification';
      return;
    }
    for (const p of products) say(t, ...describeProduct(t, p));
    if (products.some(isActive)) say(t, t.m.products.infoOutro);
  },

  product_recommendation(t) {
    const { m } = t;
    const products = relevantProducts(t.ctx).filter((p) => isActive(p) && orderable(p)).slice(0, 3);
    if (products.length === 0) {
      say(t, m.products.askNeeds);
      t.awaiting = 'clarification';
      return;
    }
    const lines = products.map((p) => {
      const why = reasonsOf(p).slice(0, 2).map((r) => m.reasons[r]);
      const blurb = why.length > 0 ? t.f.and(why) : t.ctx.language === 'en' ? keySentence(p) : undefined;
      return m.products.recommendLine(p.title, priceSpan(t, p), blurb);
    });
    t.paragraphs.push([m.products.recommendIntro, ...lines].join('\n'));
    say(t, m.products.recommendOutro);
  },

  product_comparison(t) {
    const { m, f } = t;
    const products = relevantProducts(t.ctx);
    const [a, b] = products;
    if (!a) {
      say(t, m.products.askWhich);
      t.awaiting = 'clarification';
      return;
    }
    if (!b) {
      say(t, ...describeProduct(t, a));
      say(t, m.products.compareAskSecond(a.title));
      t.awaiting = 'clarification';
      return;
    }
    const line = (p: Product): string => m.products.compareLine(p.title, priceSpan(t, p), stockSummary(t, p) ?? '');
    t.paragraphs.push([m.products.compareIntro(a.title, b.title), line(a), line(b)].join('\n'));
    const ra = reasonsOf(a);
    const rb = reasonsOf(b);
    const onlyA = ra.filter((r) => !rb.includes(r)).slice(0, 3);
    const onlyB = rb.filter((r) => !ra.includes(r)).slice(0, 3);
    const diffs: string[] = [];
    if (onlyA.length > 0) diffs.push(m.products.compareOnlyIn(a.title, f.and(onlyA.map((r) => m.reasons[r]))));
    if (onlyB.length > 0) diffs.push(m.products.compareOnlyIn(b.title, f.and(onlyB.map((r) => m.reasons[r]))));
    say(t, ...diffs);
    const names = [a, b].map((p) => distinctiveWord(p.title)).filter((w): w is string => w !== undefined);
    if (names.length > 0) {
      const match = new RegExp(`\\b(${names.map(escapeRegExp).join('|')})\\b`, 'i');
      const quote = quoteKb(t, { source: SOURCES.comparison, strict: true, match, maxUnits: 2 });
      if (quote) say(t, quote);
    }
    say(t, m.products.compareOutro);
  },

  shipping_question(t) {
    const { m, ctx } = t;
    const threshold = ctx.shop.policy.freeShippingThreshold;
    const place = ctx.destination ? DESTINATIONS[ctx.destination as Destination] : undefined;
    // A named destination gets its own terms from the guide: the threshold may not apply there (Mexico, Europe).
    if (threshold > 0 && !place) say(t, m.shipping.freeThreshold(money(t, threshold)));
    const quote =
      (place && quoteKb(t, { source: SOURCES.shipping, match: place.kb, maxUnits: 4 })) ||
      quoteKb(t, { source: SOURCES.shipping, maxUnits: 4 });
    if (quote) say(t, quote);
    else say(t, m.shipping.noKb, m.shipping.trackingHelp);
  },

  loyalty_program(t) {
    const { m, f, ctx } = t;
    const L = ctx.shop.policy.loyalty;
    const tiers = [...L.tiers].sort((x, y) => x.minPoints - y.minPoints);
    const rules = [
      m.loyalty.earn(f.count(L.pointsPerDollar), money(t, 1), L.pointsPerDollar !== 1),
      m.loyalty.redeem(f.count(L.redeemPoints), money(t, L.redeemValue)),
    ];
    if (tiers.length > 0)
      rules.push(m.loyalty.tiers(f.and(tiers.map((x) => m.loyalty.tierItem(m.tierName(x.name), f.count(x.minPoints), x.minPoints)))));
    const c = t.customer;
    if (!c) {
      say(t, ...rules);
      say(t, m.loyalty.askEmail);
      t.awaiting = 'email';
      return;
    }
    if (c.loyalty) {
      const { points, tier } = c.loyalty;
      const lines = [m.loyalty.balance(f.count(points), m.tierName(tier), points)];
      const next = tiers.find((x) => x.minPoints > points);
      if (next) lines.push(m.loyalty.nextTier(m.tierName(next.name), f.count(next.minPoints), next.minPoints));
      else if (tiers.length > 0) lines.push(m.loyalty.topTier);
      say(t, ...lines);
    } else say(t, m.loyalty.noBalance);
    say(t, ...rules);
  },

  subscription_management(t) {
    const { m, ctx } = t;
    const c = t.customer;
    if (c?.autoDelivery) {
      say(t, m.subscription.active(t.firstName));
      say(
        t,
        quoteKb(t, { source: SOURCES.subscription, strict: true, match: /skip|pause|frequen|cancel|sauter|annul|saltar|pausa/i, maxUnits: 3 }) ??
          m.subscription.options,
      );
      if (!escalatedOk(ctx)) {
        say(t, m.subscription.offer);
        t.awaiting = 'clarification';
      }
      return;
    }
    if (c) say(t, m.subscription.notActive);
    say(t, m.subscription.explain);
    const quote = quoteKb(t, { source: SOURCES.subscription, strict: true, maxUnits: 2 });
    if (quote) say(t, quote);
    if (!c) {
      say(t, m.subscription.askEmail);
      t.awaiting = 'email';
    }
  },

  gift_card(t) {
    const { m, ctx } = t;
    const { min, max } = ctx.shop.policy.giftCards;
    say(t, m.giftCards.range(money(t, min), money(t, max)), m.giftCards.noExpiry);
    say(t, quoteKb(t, { source: SOURCES.gift, strict: true, match: /balance|solde|saldo/i, maxUnits: 2 }) ?? m.giftCards.balance);
  },

  account_help(t) {
    const { m } = t;
    const quote = quoteKb(t, { source: SOURCES.account, maxUnits: 4 });
    if (quote) say(t, quote);
    else say(t, m.account.generic, m.account.emailChange);
    say(t, m.account.neverPassword);
  },

  billing_issue(t) {
    const { m, f, ctx } = t;
    const refs = referencedOrders(t);
    if (refs.length > 0)
      say(t, ...refs.slice(0, MAX_ORDERS).map((o) => m.billing.orderLine(o.name, f.money(o.total, o.currency), financialWords(t, o.financialStatus))));
    say(t, quoteKb(t, { source: SOURCES.billing, maxUnits: 3 }) ?? m.billing.generic);
    handoff(t);
    if (!ctx.escalation.escalate) say(t, m.billing.askDetails);
  },

  technical_support(t) {
    const { m, ctx } = t;
    // A safety hand-off comes first: no troubleshooting steps until our team has looked at it.
    const incident = isIncident(ctx);
    const product = ctx.intent.entities.products[0];
    say(t, incident ? m.technical.incident(product) : m.technical.sorry(product));
    if (!incident) say(t, quoteKb(t, { source: SOURCES.technical, maxUnits: 4 }) ?? m.technical.generic);
    handoff(t);
    if (!ctx.escalation.escalate) say(t, m.technical.nextSteps);
  },

  feedback(t) {
    const { m, ctx } = t;
    const label = ctx.intent.sentiment.label;
    say(t, label === 'positive' ? m.feedback.positive : label === 'negative' ? m.feedback.negative : m.feedback.neutral);
  },

  complaint(t) {
    const { m, ctx } = t;
    say(t, m.complaint.apology(t.firstName));
    for (const o of referencedOrders(t).slice(0, 1)) say(t, describeOrder(t, o));
    handoff(t);
    if (!ctx.escalation.escalate) {
      say(t, m.complaint.askDetails);
      t.awaiting = 'clarification';
    }
  },

  escalation_request(t) {
    const { m, ctx } = t;
    const e = ctx.escalation;
    if (e.escalate && !e.ticketError) say(t, m.escalationRequest.ack);
    handoff(t);
    if (!e.escalate) say(t, m.escalationRequest.contact(ctx.shop.supportEmail));
  },

  b2b_inquiry(t) {
    const { m } = t;
    say(t, m.b2b.thanks);
    say(t, quoteKb(t, { source: SOURCES.wholesale, strict: true, maxUnits: 3 }) ?? m.b2b.generic);
  },

  out_of_scope(t) {
    say(t, t.m.outOfScope.polite(t.ctx.shop.name));
  },
};

// ---- orders -----------------------------------------------------------------------------------------------------

function describeOrder(t: Turn, o: Order): string {
  const { m, f } = t;
  const items = f.and(o.items.map((i) => (i.quantity > 1 ? m.quantity(f.count(i.quantity), i.title) : i.title)));
  const header = m.orders.header(o.name, items, f.date(o.createdAt));
  const status: string[] = [];
  const tracking: string[] = [];
  if (o.cancelledAt) {
    status.push(m.orders.cancelled(f.date(o.cancelledAt)));
    for (const r of o.refunds) status.push(m.orders.refundIssued(f.money(r.amount, o.currency), f.date(r.createdAt)));
  } else if (o.fulfillments.length === 0) {
    status.push(isShippedStatus(o.fulfillmentStatus) ? m.orders.shippedNoDetail : m.orders.preparing);
  } else {
    if (isPartial(o)) status.push(m.orders.partial);
    const parcels = [...o.fulfillments].sort((a, b) => time(a.createdAt) - time(b.createdAt));
    for (const p of parcels) {
      const carrier = p.carrier?.trim() || undefined;
      status.push(parcelStatus(t, p, carrier));
      if (p.trackingNumber) tracking.push(m.orders.tracking(p.trackingNumber, carrier));
      if (p.trackingUrl) tracking.push(m.orders.trackingUrl(p.trackingUrl));
    }
  }
  return [header, status.join(' '), ...tracking].filter(Boolean).join('\n');
}

function parcelStatus(t: Turn, p: Fulfillment, carrier: string | undefined): string {
  const { m, f, ctx } = t;
  switch (normaliseStatus(p.shipmentStatus)) {
    case 'delivered':
      return m.orders.delivered(p.updatedAt ? f.date(p.updatedAt) : undefined);
    case 'out_for_delivery':
      return m.orders.outForDelivery(carrier);
    case 'in_transit':
      return m.orders.inTransit(f.date(p.createdAt), carrier);
    case 'confirmed':
    case 'label_printed':
    case 'label_purchased':
      return m.orders.labelCreated(f.date(p.createdAt), carrier);
    case 'attempted_delivery':
    case 'ready_for_pickup':
      return m.orders.attempted(carrier);
    case 'failure':
    case 'delivery_exception': {
      const opened = escalatedOk(ctx);
      if (opened) t.caseMentioned = true;
      return `${m.orders.failure(carrier)} ${opened ? m.orders.failureCaseOpened : ctx.escalation.escalate ? '' : m.orders.failureOffer}`.trim();
    }
    default:
      return m.orders.shipped(f.date(p.createdAt), carrier);
  }
}

function describeReturn(t: Turn, d: ReturnDecision): void {
  const { m, f, ctx } = t;
  const o = d.order;
  const policy = ctx.shop.policy;
  const teamOnIt = escalatedOk(ctx);
  switch (d.status) {
    case 'approved': {
      say(t, d.rma ? m.returns.approved(o.name, d.rma) : m.returns.approvedNoRma(o.name));
      say(
        t,
        m.returns.packing,
        quoteKb(t, { source: SOURCES.returns, strict: true, match: RETURN_LABEL, maxUnits: 1 }) ?? m.returns.labelFallback,
        d.deadline ? m.returns.deadline(f.date(d.deadline)) : undefined,
      );
      return;
    }
    case 'needs_review': {
      const review = ctx.escalation.ticketError ? undefined : m.returns.specialistReview;
      if (review && teamOnIt) t.caseMentioned = true;
      if (d.reason === 'outside_window') {
        const delivered = deliveredAt(o);
        say(
          t,
          m.returns.outsideWindow(
            o.name,
            f.count(policy.returnWindowDays),
            delivered ? f.date(delivered) : undefined,
            d.deadline ? f.date(d.deadline) : undefined,
          ),
          review,
          m.returns.outsideWindowNote,
        );
      } else {
        say(t, m.returns.overLimit(o.name, f.money(d.amount, o.currency), money(t, policy.autoApproveReturnLimit)), review, m.returns.overLimitNote);
      }
      return;
    }
    case 'not_eligible': {
      if (d.reason === 'cancelled' || o.cancelledAt) {
        say(t, m.returns.cancelled(o.name, o.cancelledAt ? f.date(o.cancelledAt) : undefined), ...refundLines(t, o));
      } else if (d.reason === 'already_refunded') {
        say(t, m.returns.alreadyRefunded(o.name), ...refundLines(t, o));
      } else if (isUnshipped(o)) {
        say(t, m.returns.notShippedYet(o.name));
      } else {
        say(t, m.returns.inTransitYet(o.name, f.count(policy.returnWindowDays)));
      }
      return;
    }
  }
}

function refundLines(t: Turn, o: Order): string[] {
  return o.refunds.map((r) => t.m.orders.refundIssued(t.f.money(r.amount, o.currency), t.f.date(r.createdAt)));
}

/** No order could be looked up: explain why, ask for what we need. Never confirms an order exists for someone else. */
function askForOrder(t: Turn): void {
  const { m, ctx } = t;
  const notes = ctx.knowledge.notes.map((n) => n.toLowerCase());
  const anonymous = !t.customer || notes.some((n) => /anonymous|unverified|not_verified|verification/.test(n));
  const gaveNumber = (ctx.intent.entities.orderNumbers ?? []).length > 0;
  t.awaiting = 'order_reference';
  if (notes.includes('order_not_found')) say(t, m.orders.notFound);
  else if (anonymous && gaveNumber) {
    say(t, m.orders.askEmail);
    t.awaiting = 'email';
  } else if (anonymous) say(t, m.orders.askNumberAndEmail);
  else if (gaveNumber) say(t, m.orders.notFound);
  else if (notes.some((n) => /no_orders|orders_not_found|customer_has_no_orders/.test(n))) say(t, m.orders.noneForCustomer);
  else say(t, m.orders.askNumber);
}

/**
 * The customer named an order that isn't among the orders we could look up for them: say so (without confirming
 * anything about it) and list the orders we do see. Returns true when it answered.
 */
function unresolvedReference(t: Turn): boolean {
  const { m, f, ctx } = t;
  if ((ctx.intent.entities.orderNumbers ?? []).length === 0 || referencedOrders(t).length > 0) return false;
  const orders = sortedOrders(t);
  if (orders.length === 0) return false;
  say(t, m.orders.notFound, m.orders.whichOrder(f.and(orders.slice(0, MAX_ORDERS).map((o) => orderLabel(t, o)))));
  t.awaiting = 'order_reference';
  return true;
}

function orderLabel(t: Turn, o: Order): string {
  return `${o.name} (${t.f.date(o.createdAt)})`;
}

function referencedOrders(t: Turn): readonly Order[] {
  if (!t.referenced) {
    const refs = new Set((t.ctx.intent.entities.orderNumbers ?? []).map(digitsOf).filter(Boolean));
    t.referenced = refs.size === 0 ? [] : sortedOrders(t).filter((o) => refs.has(String(o.orderNumber)) || refs.has(digitsOf(o.name)));
  }
  return t.referenced;
}

/** The customer's orders, most recent first. */
function sortedOrders(t: Turn): readonly Order[] {
  t.sorted ??= [...t.ctx.knowledge.orders].sort((a, b) => time(b.createdAt) - time(a.createdAt));
  return t.sorted;
}

/** The referenced orders, or the only order, or the open orders (most recent first), or the most recent one. */
function targetOrders(t: Turn, max: number): readonly Order[] {
  const refs = referencedOrders(t);
  if (refs.length > 0) return refs.slice(0, max);
  const all = sortedOrders(t);
  if (all.length <= 1) return all;
  const open = all.filter(isOpen);
  return open.length > 0 ? open.slice(0, max) : all.slice(0, 1);
}

function isOpen(o: Order): boolean {
  if (o.cancelledAt) return false;
  if (o.fulfillments.length === 0 || isPartial(o)) return true;
  return o.fulfillments.some((p) => normaliseStatus(p.shipmentStatus) !== 'delivered');
}

function isUnshipped(o: Order): boolean {
  return o.fulfillments.length === 0 && !isShippedStatus(o.fulfillmentStatus) && !isPartial(o);
}

function isPartial(o: Order): boolean {
  return (o.fulfillmentStatus ?? '').toLowerCase() === 'partial';
}

function isShippedStatus(s: string | null): boolean {
  return /^(fulfilled|shipped|delivered)$/i.test(s ?? '');
}

function deliveredAt(o: Order): string | undefined {
  let latest: string | undefined;
  for (const p of o.fulfillments) {
    if (normaliseStatus(p.shipmentStatus) !== 'delivered' || !p.updatedAt) continue;
    if (!latest || time(p.updatedAt) > time(latest)) latest = p.updatedAt;
  }
  return latest;
}

function normaliseStatus(s: string | undefined): string {
  return (s ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function isRefundedStatus(s: string): boolean {
  return /refunded/i.test(s);
}

function financialWords(t: Turn, status: string): string {
  const key = status.toLowerCase();
  return (FINANCIAL_STATUSES as readonly string[]).includes(key) ? t.m.financial[key as FinancialStatus] : status;
}

// ---- the customer's support requests (helpdesk tickets) ------------------------------------------------------------

/** Intents a question about a request replaces entirely (the request is what the customer is asking about). */
const TICKET_ONLY = new Set<Intent>(['order_status', 'general_inquiry', 'out_of_scope', 'greeting', 'feedback']);

function isTicketOnly(t: Turn): boolean {
  if (!TICKET_ONLY.has(t.intent)) return false;
  // "My ticket about order #10252": the order is part of the answer.
  return referencedOrders(t).length === 0;
}

function hasNote(ctx: ResponseContext, note: string): boolean {
  return ctx.knowledge.notes.includes(note);
}

/**
 * The customer asks about their request(s): the one they name, or their open ones, or the most recent one — number,
 * subject, date and status, in their language. `alone`: this is the whole answer, so say why nothing is shown too.
 */
function answerTickets(t: Turn, alone: boolean): void {
  const { m, ctx } = t;
  const tickets = ctx.knowledge.tickets ?? [];
  if (hasNote(ctx, 'tickets_need_sign_in')) {
    if (alone) say(t, m.tickets.signIn);
    return;
  }
  if (hasNote(ctx, 'tickets_unavailable')) {
    if (alone) say(t, m.tickets.unavailable(ctx.shop.supportEmail));
    return;
  }
  const notFound = hasNote(ctx, 'ticket_not_found');
  if (alone && notFound) say(t, m.tickets.notFound);
  if (tickets.length === 0) {
    if (alone && !notFound) say(t, m.tickets.none);
    return;
  }
  const open = tickets.filter(isOpenTicket);
  const shown = hasNote(ctx, 'ticket_referenced')
    ? tickets.slice(0, 1)
    : open.length > 0
      ? open
      : alone && !notFound
        ? tickets.slice(0, 1)
        : [];
  if (shown.length === 1) {
    const [x] = shown as [Ticket];
    say(t, m.tickets.one(ticketId(x), ticketSubject(x), ticketOpened(t, x), ticketStatus(t, x)), ticketNext(t, x));
  } else if (shown.length > 1) {
    const lines = shown.map((x) => `• ${m.tickets.item(ticketId(x), ticketSubject(x), ticketOpened(t, x), ticketStatus(t, x))}`);
    t.paragraphs.push([m.tickets.manyIntro, ...lines].join('\n'));
  }
}

/** Numbers of the orders this turn is about (named, or the one a return decision is about). */
function turnOrderNumbers(ctx: ResponseContext): Set<string> {
  const numbers = new Set((ctx.intent.entities.orderNumbers ?? []).map(digitsOf).filter(Boolean));
  if (ctx.returnDecision) numbers.add(String(ctx.returnDecision.order.orderNumber));
  return numbers;
}

/**
 * An open request about what this turn is about: the same order (tag `order_<n>` or the number in its subject),
 * the same kind of request (our escalation tickets' `intent_<intent>` tag), or a product the message names.
 */
function relatedTicket(t: Turn): Ticket | undefined {
  const { ctx } = t;
  const tickets = ctx.knowledge.tickets ?? [];
  if (tickets.length === 0) return undefined;
  const created = ctx.escalation.ticketId?.trim();
  const orders = turnOrderNumbers(ctx);
  const productWords = (ctx.intent.entities.products ?? [])
    .map((p) => distinctiveWord(p))
    .filter((w): w is string => w !== undefined)
    .map(foldWord);
  return tickets.find((x) => {
    if (!isOpenTicket(x) || String(x.id) === created) return false;
    const tags = x.tags.map((tag) => tag.toLowerCase());
    if (orders.size > 0) {
      const subjectNumbers = new Set((x.subject.match(/\d+/g) ?? []).map(digitsOf));
      if ([...orders].some((n) => tags.includes(`order_${n}`) || subjectNumbers.has(n))) return true;
    }
    if (tags.includes(`intent_${t.intent}`)) return true;
    if (productWords.length === 0) return false;
    const subject = foldWord(x.subject);
    return productWords.some((w) => new RegExp(`\\b${escapeRegExp(w)}\\b`).test(subject));
  });
}

function mentionRelatedTicket(t: Turn): void {
  const x = relatedTicket(t);
  if (x) say(t, t.m.tickets.related(ticketId(x), ticketSubject(x), ticketStatus(t, x)));
}

function isOpenTicket(x: Ticket): boolean {
  return !/^(solved|closed)$/i.test(x.status);
}

function ticketId(x: Ticket): string {
  return `#${x.id}`;
}

/** The subject as the helpdesk has it, without our own "[priority] " prefix, cut at a word if very long. */
function ticketSubject(x: Ticket): string | undefined {
  let s = x.subject.replace(/^\s*\[[^\]]*\]\s*/, '').replace(/\s+/g, ' ').trim();
  if (s.length > 100) s = `${s.slice(0, 100).replace(/\s+\S*$/, '')}…`;
  return s || undefined;
}

function ticketOpened(t: Turn, x: Ticket): string | undefined {
  return x.createdAt && !Number.isNaN(Date.parse(x.createdAt)) ? t.f.date(x.createdAt) : undefined;
}

function ticketStatusKey(x: Ticket): TicketStatus | undefined {
  const key = x.status.trim().toLowerCase();
  return (TICKET_STATUSES as readonly string[]).includes(key) ? (key as TicketStatus) : undefined;
}

function ticketStatus(t: Turn, x: Ticket): string {
  const key = ticketStatusKey(x);
  return key ? t.m.tickets.status[key] : x.status;
}

function ticketNext(t: Turn, x: Ticket): string | undefined {
  const key = ticketStatusKey(x);
  return key ? t.m.tickets.next[key] : undefined;
}

function foldWord(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

// ---- products ---------------------------------------------------------------------------------------------------

/** Products the customer named first (in the order the knowledge agent ranked them), then the others. */
function relevantProducts(ctx: ResponseContext): Product[] {
  const named = (ctx.intent.entities.products ?? []).map((n) => n.toLowerCase());
  const products = ctx.knowledge.products;
  if (named.length === 0) return [...products];
  const isNamed = (p: Product): boolean => named.some((n) => p.title.toLowerCase() === n || p.title.toLowerCase().includes(n));
  return [...products.filter(isNamed), ...products.filter((p) => !isNamed(p))];
}

function describeProduct(t: Turn, p: Product): string[] {
  const { m, f } = t;
  if (!isActive(p)) return [m.products.discontinued(p.title)];
  const lines: string[] = [];
  const prices = p.variants.map((v) => v.price);
  if (prices.length > 0) {
    const min = Math.min(...prices);
    const max = Math.max(...prices);
    lines.push(min === max ? m.products.priceOne(p.title, f.money(min)) : m.products.priceRange(p.title, f.money(min), f.money(max)));
  }
  if (t.ctx.language === 'en') {
    const key = keySentence(p);
    if (key) lines.push(key);
  }
  const stock = stockSummary(t, p);
  if (stock) lines.push(m.products.availability(stock));
  return lines.length > 0 ? lines : [p.title];
}

/** "in stock", or per option when options differ ("Graphite (in stock) and Birch White (out of stock…)"). */
function stockSummary(t: Turn, p: Product): string | undefined {
  const { m, f } = t;
  if (isGiftCard(p) || p.variants.length === 0) return undefined;
  const statuses = p.variants.map((v) => stockStatus(t, p, v));
  const first = statuses[0];
  if (first !== undefined && (p.variants.length === 1 || statuses.every((s) => s === first))) {
    // Same status everywhere; "only N left" is per option, so show it per option when there are several.
    if (p.variants.length === 1 || !p.variants.some((v) => v.inventory > 0 && v.inventory <= LOW_STOCK)) return first;
  }
  return f.and(p.variants.map((v, i) => m.products.variantStatus(v.title, statuses[i] ?? '')));
}

function stockStatus(t: Turn, p: Product, v: Variant): string {
  const { m, f } = t;
  if (v.inventory <= 0) return p.tags.some((x) => /backorder|pre-?order/i.test(x)) ? m.products.backorder : m.products.outOfStock;
  if (v.inventory <= LOW_STOCK) return m.products.onlyLeft(f.count(v.inventory));
  return m.products.inStock;
}

function orderable(p: Product): boolean {
  return p.variants.some((v) => v.inventory > 0) || p.tags.some((x) => /backorder|pre-?order/i.test(x));
}

function isActive(p: Product): boolean {
  return !p.status || p.status.toLowerCase() === 'active';
}

function isGiftCard(p: Product): boolean {
  return /gift.?card/i.test(p.type) || p.tags.some((x) => /gift.?card/i.test(x));
}

function priceSpan(t: Turn, p: Product): string {
  const prices = p.variants.map((v) => v.price);
  if (prices.length === 0) return '';
  const min = Math.min(...prices);
  const max = Math.max(...prices);
  return min === max ? t.f.money(min) : `${t.f.money(min)} – ${t.f.money(max)}`;
}

function reasonsOf(p: Product): ProductReason[] {
  const tags = new Set(p.tags.map((x) => x.trim().toLowerCase()));
  return PRODUCT_REASONS.filter((r) => tags.has(r));
}

// The catalogue's descriptions come back on every product question: each one is cleaned once.
const keySentences = new LRUCache<string, { first: string | undefined }>({ maxSize: 1 << 20, sizeCalculation: (_v, key) => key.length || 1 });

/** First sentence of the product description, without HTML (English catalogue text; used in English replies). */
function keySentence(p: Product): string | undefined {
  let cached = keySentences.get(p.description);
  if (!cached) {
    cached = { first: firstSentence(p.description) };
    keySentences.set(p.description, cached);
  }
  return cached.first;
}

function firstSentence(description: string): string | undefined {
  const text = description
    .replace(/<\/(p|li|h\d)>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  const first = /^.+?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  return first.length > 0 && first.length <= 240 ? first : undefined;
}

function distinctiveWord(title: string): string | undefined {
  return title.split(/\s+/).find((w) => /^[A-Za-zÀ-ÿ]{4,}$/.test(w));
}

// ---- clarifying, escalation ---------------------------------------------------------------------------------------

const NOT_A_TOPIC = new Set<Intent>(['greeting', 'general_inquiry', 'out_of_scope', 'feedback']);
const DEFAULT_TOPICS: Intent[] = ['order_status', 'return_request', 'product_info'];
/** Intents that, right after we asked the customer something, are more likely an answer than a new topic. */
const CARRY_OVER = new Set<Intent>(['general_inquiry', 'out_of_scope']);

function clarify(t: Turn): void {
  const { ctx, m, f } = t;
  const picks: Intent[] = [];
  const add = (i: Intent): void => {
    if (!NOT_A_TOPIC.has(i) && !picks.includes(i)) picks.push(i);
  };
  add(ctx.intent.intent);
  for (const a of [...ctx.intent.alternatives].sort((x, y) => y.score - x.score)) add(a.intent);
  for (const d of DEFAULT_TOPICS) add(d);
  say(t, m.clarify.question(f.or(picks.slice(0, 3).map((i) => m.topics[i]))));
  t.awaiting = 'clarification';
}

/** The hand-off paragraph: who follows up (by priority / team), the ticket id, or an honest error. Once per reply. */
function handoff(t: Turn): void {
  const { ctx, m } = t;
  const e = ctx.escalation;
  if (!e.escalate || t.handedOff) return;
  t.handedOff = true;
  const lines: string[] = [];
  if (e.reason === 'safety') lines.push(m.handoff.safety);
  if (e.reason === 'frustration' && t.intent !== 'complaint' && t.intent !== 'feedback') lines.push(m.handoff.frustration);
  if (e.ticketError) {
    // With a ticket id: the conversation's ticket exists, but this more serious request could not be added to it.
    const existing = e.ticketId?.trim();
    lines.push(existing ? m.handoff.updateError(/^\d+$/.test(existing) ? `#${existing}` : existing, ctx.shop.supportEmail) : m.handoff.error(ctx.shop.supportEmail));
  } else {
    if (!t.caseMentioned) lines.push(e.team === 'sales' ? m.handoff.sales : m.handoff.byPriority[e.priority ?? 'normal']);
    const id = e.ticketId?.trim();
    if (id) lines.push(m.handoff.ticket(/^\d+$/.test(id) ? `#${id}` : id));
  }
  say(t, ...lines);
}

/** Escalated and the ticket (if any) was opened: we can say a person is on it. */
function escalatedOk(ctx: ResponseContext): boolean {
  return ctx.escalation.escalate && !ctx.escalation.ticketError;
}

// ---- helpers ----------------------------------------------------------------------------------------------------

/** A fire, an injury or a reaction: answered as the incident it is, whatever else the message asked. */
function isIncident(ctx: ResponseContext): boolean {
  return ctx.escalation.escalate && ctx.escalation.reason === 'safety';
}

function effectiveIntent(ctx: ResponseContext): Intent {
  const { intent, confidence } = ctx.intent;
  const prev = ctx.previousIntent;
  // The customer is answering our question (an order number, an email…): keep helping with what they asked before.
  if (prev && prev !== intent && (confidence < LOW_CONFIDENCE || CARRY_OVER.has(intent))) return prev;
  return intent;
}

function isLowConfidence(ctx: ResponseContext): boolean {
  return ctx.intent.confidence < LOW_CONFIDENCE && !hasEntities(ctx);
}

function hasEntities(ctx: ResponseContext): boolean {
  const e = ctx.intent.entities;
  return (
    (e.orderNumbers?.length ?? 0) + (e.emails?.length ?? 0) + (e.phones?.length ?? 0) + (e.amounts?.length ?? 0) + (e.products?.length ?? 0) >
    0
  );
}

/** A KB quote in the customer's language: one sentence inline, or an introduced list. */
function quoteKb(t: Turn, opts: QuoteOptions): string | undefined {
  // One shape for every call (not a spread of each handler's own), so kbQuote reads its options quickly.
  const quote = kbQuote(t.ctx.knowledge.kb, t.ctx.language, {
    source: opts.source,
    match: opts.match,
    strict: opts.strict,
    avoid: t.m.kbAvoid ?? opts.avoid,
    maxUnits: opts.maxUnits,
    maxChars: opts.maxChars,
  });
  if (!quote) return undefined;
  if (quote.units.length === 1) return quote.units[0];
  // A title with a digit could be a number the guardrail doesn't know about: leave it out.
  let text = t.m.kbIntro(/\d/.test(quote.title) || !quote.title.trim() ? undefined : quote.title.trim());
  for (const u of quote.units) text += `\n• ${u}`;
  return text;
}

function money(t: Turn, amount: number): string {
  return t.f.money(amount, t.ctx.shop.currency || 'USD');
}

/** One paragraph from the given sentences (empty ones skipped). */
function say(t: Turn, ...sentences: (string | undefined)[]): void {
  let text = '';
  for (const s of sentences) if (typeof s === 'string' && s.trim().length > 0) text = text ? `${text} ${s}` : s;
  if (text) t.paragraphs.push(text);
}

function digitsOf(s: string): string {
  return s.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
}

function time(iso: string): number {
  const n = Date.parse(iso);
  return Number.isNaN(n) ? 0 : n;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
