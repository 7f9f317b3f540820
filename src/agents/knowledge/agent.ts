// The knowledge-retrieval agent: what the answer may rest on — knowledge-base passages (hybrid search), the
// customer, their orders (by number or by email, never someone else's), the products the message is about and, for
// a shipping question, the destination it names.
import type { Customer, Intent, KbHit, KnowledgeResult, Language, Order, RetrieveReply, RetrieveRequest } from '../runtime/contracts.js';
import type { Commerce, Helpdesk, KnowledgeSearch } from '../runtime/ports.js';
import type { Catalog } from './catalog.js';
import { DESTINATIONS, destinationOf, destinationOfCountry, type Destination } from './destinations.js';

/** Intents whose answer needs the customer's orders. */
export const ORDER_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['order_status', 'order_modification', 'return_request', 'refund_status', 'exchange_request', 'billing_issue']);
const PRODUCT_INTENTS = new Set<Intent>(['product_info', 'product_recommendation', 'product_comparison', 'technical_support']);
const NO_KB_INTENTS = new Set<Intent>(['greeting', 'out_of_scope']);

export interface KnowledgeAgent {
  retrieve(req: RetrieveRequest): Promise<RetrieveReply>;
}

/** `helpdesk`: where the customer's tickets are looked up. */
export function createKnowledgeAgent(d: { kb: KnowledgeSearch; catalog: Catalog; commerce: Commerce; helpdesk?: Helpdesk }): KnowledgeAgent {
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

  return {
    async retrieve(req) {
      const { intent, session } = req;
      const customer: Customer | undefined = session.customerEmail ? await d.commerce.customer(session.customerEmail) : undefined;
      // A shipping question about a place searches and answers for its country ("Ontario" → Canada); one that
      // names no place is about where the customer lives.
      const destination =
        intent.intent === 'shipping_question' ? (destinationOf(req.message) ?? destinationOfCountry(customer?.country)) : undefined;
      const notes: string[] = [];
      const kb = searchKb(req.masked, intent.intent, req.language, destination);
      const orders = await ordersFor(req, notes);
      let products = intent.entities.products.length > 0 ? d.catalog.byTitle(intent.entities.products) : [];
      if (products.length === 0 && PRODUCT_INTENTS.has(intent.intent)) products = d.catalog.search(req.message, 3);
      if (!customer && session.customerEmail) notes.push('customer_not_found');
      const knowledge: KnowledgeResult = { kb, orders, products, customer, tickets: [], notes };
      return destination ? { knowledge, destination } : { knowledge };
    },
  };
}
