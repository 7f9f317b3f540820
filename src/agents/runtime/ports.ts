// What the pipeline needs from each agent and integration — the seams where strategies (offline, Azure OpenAI)
// and clients (real, mock) plug in.
import type {
  ComposedReply,
  Customer,
  GuardrailResult,
  InputThreat,
  IntentResult,
  KbHit,
  Language,
  NewTicket,
  Order,
  OutputThreat,
  Product,
  ResponseContext,
  Ticket,
  TicketUpdate,
} from './contracts.js';

/** `language`: the customer's language, as given; `fallback`: the language when the text shows none ("#10266", "ok"). */
export interface LanguageHint {
  language?: Language;
  fallback?: Language;
}

export interface IntentAgent {
  readonly name: string;
  classify(text: string, hint?: LanguageHint): IntentResult | Promise<IntentResult>;
}

export interface CriticAgent {
  readonly name: string;
  inputGuardrail(text: string, ctx: { customerEmail?: string }): GuardrailResult<InputThreat>;
  outputGuardrail(reply: string, ctx: { facts: string; factParts?: readonly string[]; customerEmail?: string }): GuardrailResult<OutputThreat>;
  refusal(language: Language): string;
}

export interface ResponseAgent {
  readonly name: string;
  /** Offline answers at once; a model strategy (azure-openai) answers asynchronously. */
  compose(ctx: ResponseContext): ComposedReply | Promise<ComposedReply>;
}

export interface KnowledgeSearch {
  search(query: string, opts: { k?: number; language?: Language }): KbHit[];
}

export interface Commerce {
  orderByNumber(orderNumber: string): Promise<Order | undefined>;
  ordersByEmail(email: string): Promise<Order[]>;
  listProducts(): Promise<Product[]>;
  customer(email: string): Promise<Customer | undefined>;
}

export interface Helpdesk {
  createTicket(ticket: NewTicket): Promise<Ticket>;
  /** Changes an existing ticket (priority, tags, group) and adds an internal note; resolves with the ticket as it is now. */
  updateTicket(id: number, update: TicketUpdate): Promise<Ticket>;
  /** The tickets this email requested, newest first (each with its requester's email). */
  ticketsByRequesterEmail(email: string): Promise<Ticket[]>;
}

export interface AnalyticsSink {
  sendEvents(clientId: string, events: { name: string; params: Record<string, unknown> }[]): Promise<unknown>;
}

export interface PiiProtector {
  /** Replaces PII with stable TOKEN_<uuid> tokens kept in the vault (text leaving for a third party). */
  tokenize(text: string): string;
  /** Replaces PII with [KIND] placeholders (logs, traces). */
  mask(text: string): string;
}
