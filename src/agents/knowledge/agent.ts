// The knowledge-retrieval agent: what the answer may rest on — knowledge-base passages (hybrid search), the
// customer, their orders (by number or by email, never someone else's), their helpdesk tickets when the turn is about
// an existing case, the products the message is about and, for a shipping question, the destination it names.
import type { Customer, Intent, KbHit, KnowledgeResult, Language, Order, RetrieveReply, RetrieveRequest, Ticket } from '../runtime/contracts.js';
import type { Commerce, Helpdesk, KnowledgeSearch } from '../runtime/ports.js';
import type { Catalog } from './catalog.js';
import { DESTINATIONS, destinationOf, destinationOfCountry, type Destination } from './destinations.js';
import { fold } from './text.js';

/** Intents whose answer needs the customer's orders. */
export const ORDER_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['order_status', 'order_modification', 'return_request', 'refund_status', 'exchange_request', 'billing_issue']);
const PRODUCT_INTENTS = new Set<Intent>(['product_info', 'product_recommendation', 'product_comparison', 'technical_support']);
const NO_KB_INTENTS = new Set<Intent>(['greeting', 'out_of_scope']);
/** Intents about a case the customer may already have open with the support team. */
const CASE_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['complaint', 'escalation_request', 'refund_status', 'technical_support']);
/** At most this many of the customer's tickets (the ones they name first, then the most recent). */
const MAX_TICKETS = 3;
/** A ticket lookup slower than this is given up (noted), so a slow helpdesk never holds the answer back for long. */
const TICKET_LOOKUP_MS = 4_000;

// On accent-folded lowercase text. The customer talks about their ticket/case/request: "my ticket", "the case",
// "mon dossier", "ma demande", "mi caso", "su solicitud"… A bare "ticket"/"caso" is not enough: in Spanish and
// French "ticket" is also a till receipt ("sin ticket", "ticket de caisse"), "en caso de" is "in case of".
const CASE_WORDS = [
  String.raw`\b(?:my|our|your|open|existing|previous|support|help)\s+(?:support\s+|help\s+|open\s+)?(?:tickets?|cases?|requests?|complaints?)\b`,
  String.raw`\b(?:the|this|that)\s+(?:support\s+|help\s+|open\s+)?tickets?\b`,
  String.raw`\b(?:mon|ma|mes|votre|vos|ce|cette|le|du)\s+(?:tickets?|dossiers?|billets?|requetes?)\b(?!\s+de\s+(?:caisse|metro|bus|cinema|concert|spectacle|avion|train))`,
  String.raw`\b(?:ma|mes|votre|vos|cette)\s+demandes?\b`,
  String.raw`\b(?:mi|mis|su|sus|este|ese)\s+(?:tickets?|casos?|solicitud(?:es)?|reclamos?|reclamaciones?|incidencias?)\b(?!\s+de\s+(?:compra|caja|regalo|metro|bus|avion|tren))`,
  String.raw`\b(?:tickets?|cases?|requests?|dossiers?|demandes?|billets?|casos?|solicitud(?:es)?|incidencias?)\s+(?:number|numero|status|statut|estado|update|suivi)\b`,
].join('|');
const CASE_MENTION = new RegExp(CASE_WORDS);
/**
 * "ticket 5106", "case #5106", "dossier n° 5106", "solicitud 5106": three digits or more, not an amount or a
 * quantity; "demande" and "request" are also verbs ("je demande 250 $"), so they need a "#" or "n°" before the number.
 */
const TICKET_NUMBER = new RegExp(
  String.raw`\b(?:(?:tickets?|cases?|dossiers?|billets?|requetes?|casos?|solicitud(?:es)?|incidencias?|reclamos?)\s*(?:(?:n|no|nr|num|number|numero)\.?\s*)?(?:[#:°º-]\s*)?` +
    String.raw`|(?:demandes?|requests?)\s*(?:(?:n|no|nr|num|number|numero)\.?\s*[#:°º-]?|[#°º])\s*)` +
    String.raw`(\d{3,12})\b(?!\s?(?:[$€£%]|(?:usd|cad|eur|mxn|dollars?|dolares|euros?|pesos|units?|unites?|unidades|pieces|piezas)\b))`,
  'g',
);
/** "#5106" (which the entity extractor reads as an order number: it may be a ticket's). */
const HASH_NUMBER = /#\s?(\d{1,12})\b/g;

/** Statuses of a ticket still being worked on (Zendesk: new, open, pending, hold). */
export function isOpenTicket(t: Ticket): boolean {
  return !/^(solved|closed)$/i.test(t.status);
}

/** What the message says about tickets: whether it is about one, and the numbers it names. */
function ticketMentions(message: string): { mentioned: boolean; named: string[]; hashed: string[] } {
  const text = fold(message);
  const named = [...text.matchAll(TICKET_NUMBER)].map((m) => String(Number(m[1])));
  const hashed = [...text.matchAll(HASH_NUMBER)].map((m) => String(Number(m[1])));
  return { mentioned: named.length > 0 || CASE_MENTION.test(text), named, hashed };
}

export interface KnowledgeAgent {
  retrieve(req: RetrieveRequest): Promise<RetrieveReply>;
}

/** `helpdesk`: where the customer's tickets are looked up (without one, no tickets). */
export function createKnowledgeAgent(d: {
  kb: KnowledgeSearch;
  catalog: Catalog;
  commerce: Commerce;
  helpdesk?: Helpdesk;
  /** Give a ticket lookup up after this long (default 4 s). */
  ticketLookupMs?: number;
}): KnowledgeAgent {
  function searchKb(masked: string, intent: Intent, language: Language, destination: Destination | undefined): KbHit[] {
    if (destination) {
      const place = DESTINATIONS[destination];
      const hits = d.kb.search(`${masked} ${place.label[language]}`, { k: 8, language });
      return [...hits.filter((h) => place.kb.test(h.heading)), ...hits.filter((h) => !place.kb.test(h.heading))].slice(0, 3);
    }
    return NO_KB_INTENTS.has(intent) ? [] : d.kb.search(masked, { k: 3, language });
  }

  async function ordersFor(req: RetrieveRequest, notes: string[]): Promise<Order[]> {
    const { intent, session } = req;
    if (!ORDER_INTENTS.has(intent.intent)) return [];
    const number = intent.entities.orderNumbers[0] ?? session.orderNumber;
    const owner = session.customerEmail ?? session.statedEmail;
    if (number) {
      const order = await d.commerce.orderByNumber(number);
      if (!owner) notes.push('needs_verification');
      // An order that is not the customer's is reported as not found: never confirm someone else's order.
      else if (!order || order.email.toLowerCase() !== owner) notes.push('order_not_found');
      else return [order];
      return [];
    }
    if (!session.customerEmail) {
      notes.push('anonymous');
      return [];
    }
    const orders = (await d.commerce.ordersByEmail(session.customerEmail)).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 3);
    if (orders.length === 0) notes.push('no_orders');
    return orders;
  }

  /**
   * The identified customer's tickets when the turn is about an existing case: a case intent, or a message about
   * their ticket/case/request or naming a "#number". Only for session.customerEmail (an email merely typed in the
   * chat proves nothing), only tickets that email requested, the ones the message names first, then the most recent.
   * A failed lookup is a note ("tickets_unavailable"), never an exception.
   */
  async function ticketsFor(req: RetrieveRequest, notes: string[]): Promise<{ tickets: Ticket[]; ids: Set<string> }> {
    const none = { tickets: [], ids: new Set<string>() };
    const { mentioned, named, hashed } = ticketMentions(req.message);
    const email = req.session.customerEmail?.trim().toLowerCase();
    if (!email) {
      if (mentioned) notes.push('ticket_question', 'tickets_need_sign_in');
      return none;
    }
    if (!(mentioned || hashed.length > 0 || CASE_INTENTS.has(req.intent.intent))) return none;
    if (!d.helpdesk) {
      if (mentioned) notes.push('ticket_question', 'tickets_unavailable');
      return none;
    }
    let all: Ticket[];
    try {
      all = await withTimeout(d.helpdesk.ticketsByRequesterEmail(email), d.ticketLookupMs ?? TICKET_LOOKUP_MS);
    } catch {
      if (mentioned) notes.push('ticket_question');
      notes.push('tickets_unavailable');
      return none;
    }
    const mine = all.filter((t) => t.requesterEmail?.trim().toLowerCase() === email);
    const at = new Map(mine.map((t) => [t, time(t.createdAt)]));
    mine.sort((a, b) => at.get(b)! - at.get(a)! || b.id - a.id);
    const ids = new Set(mine.map((t) => String(t.id)));
    const referenced = [...new Set([...named, ...hashed])].filter((n) => ids.has(n));
    if (mentioned || referenced.length > 0) notes.push('ticket_question');
    if (referenced.length > 0) notes.push('ticket_referenced');
    // A ticket number (said as such) that is not one of theirs: not found, and nothing about it.
    else if (named.length > 0) notes.push('ticket_not_found');
    if (mine.length === 0) notes.push('no_tickets');
    const first = mine.filter((t) => referenced.includes(String(t.id)));
    const tickets = [...first, ...mine.filter((t) => !first.includes(t))].slice(0, MAX_TICKETS);
    return { tickets, ids: new Set(referenced) };
  }

  return {
    async retrieve(req) {
      const { intent, session } = req;
      const orderNotes: string[] = [];
      const ticketNotes: string[] = [];
      const [customer, found, looked] = await Promise.all([
        session.customerEmail ? d.commerce.customer(session.customerEmail) : Promise.resolve(undefined as Customer | undefined),
        ticketsFor(req, ticketNotes),
        ordersFor(req, orderNotes),
      ]);
      // "#5107" naming one of the customer's tickets is not an order that could not be found.
      const orderNumber = intent.entities.orderNumbers[0] ?? session.orderNumber;
      const ticketNotOrder = looked.length === 0 && orderNumber !== undefined && found.ids.has(orderNumber);
      const orders = looked;
      const notes = [...(ticketNotOrder ? orderNotes.filter((n) => n !== 'order_not_found') : orderNotes), ...ticketNotes];
      // A shipping question about a place searches and answers for its country ("Ontario" → Canada); one that
      // names no place is about where the customer lives.
      const destination =
        intent.intent === 'shipping_question' ? (destinationOf(req.message) ?? destinationOfCountry(customer?.country)) : undefined;
      const kb = searchKb(req.masked, intent.intent, req.language, destination);
      let products = intent.entities.products.length > 0 ? d.catalog.byTitle(intent.entities.products) : [];
      if (products.length === 0 && PRODUCT_INTENTS.has(intent.intent)) products = d.catalog.search(req.message, 3);
      if (!customer && session.customerEmail) notes.push('customer_not_found');
      const knowledge: KnowledgeResult = { kb, orders, products, customer, tickets: found.tickets, notes };
      return destination ? { knowledge, destination } : { knowledge };
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  promise.catch(() => {}); // a late failure after the timeout is not an unhandled rejection
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function time(iso: string): number {
  const n = Date.parse(iso);
  return Number.isNaN(n) ? 0 : n;
}
