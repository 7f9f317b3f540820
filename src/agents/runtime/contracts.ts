// Message contracts shared by the agents, whatever the transport (inproc or NATS).
// The runtime never imports the CLI side; these types are the only language the agents share.

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const INTENTS = [
  'greeting',
  'general_inquiry',
  'order_status',
  'order_modification',
  'return_request',
  'refund_status',
  'exchange_request',
  'product_info',
  'product_recommendation',
  'product_comparison',
  'shipping_question',
  'loyalty_program',
  'subscription_management',
  'gift_card',
  'account_help',
  'billing_issue',
  'technical_support',
  'feedback',
  'complaint',
  'escalation_request',
  'b2b_inquiry',
  'out_of_scope',
] as const;
export type Intent = (typeof INTENTS)[number];

export const AGENTS = {
  critic: 'critic-supervisor',
  intent: 'intent-classifier',
  knowledge: 'knowledge-retrieval',
  escalation: 'escalation-handler',
  response: 'response-generator',
  analytics: 'analytics-processor',
} as const;

// ---- requests and replies on the gateway --------------------------------------------------------------

export interface ChatRequest {
  message: string;
  session_id?: string;
  language?: Language;
  customer_email?: string;
}

export type Priority = 'urgent' | 'high' | 'normal' | 'low';

export interface ChatResponse {
  response: string;
  session_id: string;
  intent: Intent;
  confidence: number;
  language: Language;
  escalated: boolean;
  escalation?: { reason: EscalationReason; priority: Priority; ticket_id: string | null; ticket_error?: string };
  blocked: boolean;
  processing_time_ms: number;
  agents_involved: string[];
  trace_id: string;
}

// ---- A2A envelope (both transports) ----------------------------------------------------------------------

export interface A2AMessage<T = unknown> {
  messageId: string;
  role: 'user' | 'agent';
  parts: { kind: 'data'; data: T }[];
  contextId: string;
}

// ---- intent ---------------------------------------------------------------------------------------------------

export interface Entities {
  /** Normalised order numbers without prefix, e.g. "10234" for "#10234" or "ORD-10234". */
  orderNumbers: string[];
  emails: string[];
  phones: string[];
  amounts: number[];
  /** Product titles from the catalogue that the message names. */
  products: string[];
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface IntentResult {
  language: Language;
  intent: Intent;
  confidence: number;
  alternatives: { intent: Intent; score: number }[];
  entities: Entities;
  sentiment: { score: number; label: SentimentLabel };
  /** Swearing or insults aimed at the shop: escalated, never blocked. */
  profanity: boolean;
}

// ---- guardrails (critic/supervisor) ------------------------------------------------------------------------

export type InputThreat =
  | 'prompt_injection'
  | 'jailbreak'
  | 'system_prompt_extraction'
  | 'other_customer_data'
  | 'harmful'
  | 'encoded_payload';
export type OutputThreat = 'other_customer_pii' | 'card_number' | 'system_prompt_leak' | 'invented_number';

export interface GuardrailResult<C extends string = string> {
  tripwireTriggered: boolean;
  info: { categories: C[]; reason: string };
}

// ---- shop domain (normalised from Shopify / Zendesk shapes) ------------------------------------------------

export interface Variant {
  id: number;
  title: string;
  price: number;
  sku: string;
  inventory: number;
}

export interface Product {
  id: number;
  title: string;
  handle: string;
  type: string;
  vendor: string;
  tags: string[];
  description: string;
  status: string;
  variants: Variant[];
}

export interface Customer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  phone?: string;
  tags: string[];
  country?: string;
  loyalty?: { points: number; tier: string };
  autoDelivery: boolean;
}

export type ShipmentStatus = 'confirmed' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'failure' | 'attempted_delivery' | 'label_printed';

export interface Fulfillment {
  status: string;
  carrier?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  shipmentStatus?: ShipmentStatus | string;
  createdAt: string;
  /** When the carrier reported delivery (Shopify: updated_at of a delivered fulfillment). */
  updatedAt?: string;
}

export interface OrderItem {
  /** The order line's id (Shopify line_items[].id): what a refund's lines refer to. */
  id?: number;
  title: string;
  quantity: number;
  price: number;
  productId?: number;
  variantId?: number;
  sku?: string;
}

export interface Order {
  id: number;
  /** Display name, e.g. "#10234". */
  name: string;
  orderNumber: number;
  email: string;
  customerId?: number;
  createdAt: string;
  financialStatus: string;
  fulfillmentStatus: string | null;
  cancelledAt: string | null;
  currency: string;
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
  items: OrderItem[];
  fulfillments: Fulfillment[];
  refunds: {
    createdAt: string;
    amount: number;
    note?: string;
    /** The order lines the refund was for and how many of each (Shopify refund_line_items), when it names them. */
    lineItems?: { lineItemId: number; quantity: number }[];
  }[];
}

export interface Ticket {
  id: number;
  subject: string;
  status: string;
  priority: Priority | null;
  requesterEmail?: string;
  tags: string[];
  createdAt: string;
}

/**
 * A change to an existing ticket: what a later, more serious escalation in the same conversation adds (Zendesk:
 * PUT /api/v2/tickets/{id}.json). The note is internal: the requester does not see it.
 */
export interface TicketUpdate {
  /** The new subject; the ticket keeps its own when absent. */
  subject?: string;
  /** The new priority; the ticket keeps its own when absent. */
  priority?: Priority;
  /** Tags added to the ticket's (its other tags stay). */
  addTags?: string[];
  /** The team the ticket moves to, when it changes hands. */
  group?: 'support' | 'sales';
  /** An internal note: why the ticket changed and the customer's message, passed as NewTicket.comment is. */
  note: string;
}

export interface NewTicket {
  subject: string;
  /** The conversation so far, PII tokenised where it leaves for a third party. */
  comment: string;
  priority: Priority;
  tags: string[];
  requester?: { email: string; name?: string };
  group?: 'support' | 'sales';
}

export interface ShopPolicy {
  returnWindowDays: number;
  autoApproveReturnLimit: number;
  freeShippingThreshold: number;
  loyalty: { pointsPerDollar: number; redeemPoints: number; redeemValue: number; tiers: { name: string; minPoints: number }[] };
  giftCards: { min: number; max: number };
}

export interface Shop {
  name: string;
  currency: string;
  supportEmail?: string;
  supportPhone?: string;
  /** The shop's IANA time zone (shop.json `timezone`): the calendar return deadlines are counted on. */
  timeZone?: string;
  policy: ShopPolicy;
}

// ---- knowledge -------------------------------------------------------------------------------------------------

export interface KbHit {
  /** Path of the source document relative to the KB folder, e.g. "returns.md". */
  source: string;
  title: string;
  heading: string;
  text: string;
  language: Language;
  score: number;
}

export interface KnowledgeResult {
  kb: KbHit[];
  orders: Order[];
  products: Product[];
  customer?: Customer;
  tickets: Ticket[];
  /** Why a lookup was not done or found nothing (e.g. "anonymous", "order_not_found"). */
  notes: string[];
}

// ---- escalation --------------------------------------------------------------------------------------------------

export type EscalationReason =
  | 'safety'
  | 'threat'
  | 'frustration'
  | 'explicit_request'
  | 'lost_or_stolen'
  | 'defect'
  | 'return_over_limit'
  | 'return_outside_window'
  | 'b2b'
  | 'low_confidence';

export interface EscalationDecision {
  escalate: boolean;
  reason?: EscalationReason;
  priority?: Priority;
  team?: 'support' | 'sales';
  ticketId?: string | null;
  /**
   * Set when the ticket could not be created (ticketId null) or, for the conversation's existing ticket (ticketId
   * set), could not be updated with this more serious request: reported as such, never as escalated.
   */
  ticketError?: string;
  /** The ticket's priority and reasons after this turn: what the session keeps (SessionFacts.ticketPriority…). */
  ticketPriority?: Priority;
  ticketReasons?: EscalationReason[];
}

// ---- events ----------------------------------------------------------------------------------------------------------

export interface BusEvent<T = Record<string, unknown>> {
  id: string;
  subject: string;
  type: string;
  ts: string;
  data: T;
}

// ---- response ---------------------------------------------------------------------------------------------------

export interface ReturnDecision {
  order: Order;
  status: 'approved' | 'needs_review' | 'not_eligible';
  reason: 'within_policy' | 'over_limit' | 'outside_window' | 'not_delivered' | 'cancelled' | 'already_refunded';
  /**
   * Goods value considered against the auto-approve limit: the lines this request covers (less units already
   * refunded) plus the order's other lines already approved for return.
   */
  amount: number;
  /** Of `amount`, the value of the order's lines approved for return by earlier requests, when there are any. */
  approvedBefore?: number;
  /**
   * Last day a return is accepted (ISO date), when the order was delivered: the delivery's calendar day in the
   * shop's time (the UTC offset the delivery timestamp carries) plus the return window; the day itself included.
   */
  deadline?: string;
  /** Return authorisation number, only when approved. */
  rma?: string;
}

/** What the assistant is waiting for from the customer on the next turn. */
export type Awaiting = 'order_reference' | 'email' | 'clarification' | 'return_items';

export interface ResponseContext {
  language: Language;
  /** The customer's message this turn answers (a model strategy reads it; PII tokenised before it leaves). */
  message?: string;
  intent: IntentResult;
  knowledge: KnowledgeResult;
  escalation: EscalationDecision;
  shop: Shop;
  /** The identified customer (from customer_email), if any. */
  customer?: Customer;
  now: Date;
  /** The intent carried over from the previous turn when this turn answers a question we asked. */
  previousIntent?: Intent;
  returnDecision?: ReturnDecision;
  /** The shipping destination the message names ("canada", "mexico", "spain", "france"), if any. */
  destination?: string;
}

export interface ComposedReply {
  text: string;
  awaiting?: Awaiting;
}

// ---- agent actions: the data parts of the A2A requests the pipeline sends (services.ts) -----------------------

/** What an agent needs to know about the conversation (the session itself stays with the pipeline). */
export interface SessionFacts {
  id: string;
  /** The order the conversation is about. */
  orderNumber?: string;
  /** The identified customer (customer_email). */
  customerEmail?: string;
  /** An email the customer typed (not verified). */
  statedEmail?: string;
  /** The conversation's escalation ticket, once opened. */
  ticketId?: string;
  /** That ticket's priority and the reasons it was escalated for, so far (EscalationDecision.ticketPriority…). */
  ticketPriority?: Priority;
  ticketReasons?: EscalationReason[];
}

export interface RetrieveRequest {
  message: string;
  /** The message with PII masked: what search sees. */
  masked: string;
  intent: IntentResult;
  language: Language;
  session: SessionFacts;
}

export interface RetrieveReply {
  knowledge: KnowledgeResult;
  /** The shipping destination the question is about, if any. */
  destination?: string;
}

export interface EscalateRequest {
  message: string;
  intent: IntentResult;
  orders: Order[];
  returnDecision?: ReturnDecision;
  session: SessionFacts;
  customer?: Customer;
}

/** ResponseContext on the wire: a date travels as its ISO string. */
export type ComposeRequest = Omit<ResponseContext, 'now'> & { now: string };
