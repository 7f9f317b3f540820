// The response generator's message catalogue: one implementation per language (en.ts, fr.ts, es.ts).
//
// Rules for every catalogue:
// - No digit ever appears in catalogue text. Every number in a reply comes from the context (order, policy,
//   product, customer, KB) and reaches the catalogue already formatted by compose.ts (money, dates, counts).
// - Functions receive formatted strings, never raw numbers, so the wording stays in the catalogue and the
//   decision logic stays in compose.ts.
// A missing key or translation is a compile error because each catalogue is typed `Messages`.
import type { Intent, Priority } from '../../runtime/contracts.js';

/** Product tags that we can turn into a short "why you'd like it" phrase. */
export const PRODUCT_REASONS = [
  'espresso-capable',
  'no-electricity',
  'universal-voltage',
  'temperature-control',
  'ultralight',
  'travel',
  'camping',
  'insulated',
  'induction',
  'gift',
  'reusable',
  'decaf',
  'caffeine-free',
  'rechargeable',
  'timer',
  'manual',
  'electric',
  'pour-over',
  'french-press',
  'moka',
  'loose-leaf',
  'medium-roast',
  'black-tea',
  'bulk',
  'cast-iron',
  'enamel',
  'auto-delivery-eligible',
] as const;
export type ProductReason = (typeof PRODUCT_REASONS)[number];

/** Financial statuses we can put into words; anything else is shown as the store reports it. */
export const FINANCIAL_STATUSES = [
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
  'voided',
] as const;
export type FinancialStatus = (typeof FINANCIAL_STATUSES)[number];

/** Helpdesk (Zendesk) ticket statuses we can put into words; anything else is shown as the helpdesk reports it. */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface Locales {
  /** Intl locale for numbers and money. */
  number: string;
  /** Intl locale for dates. */
  date: string;
  /** Intl locale for lists ("a, b and c"). */
  list: string;
}

export interface Messages {
  locales: Locales;

  /** Localised tier name; shows the shop's own name too when it differs (e.g. "Argent (Silver)"). */
  tierName(name: string): string;
  /** Short noun phrases for clarifying questions ("tracking an order"). */
  topics: Record<Intent, string>;
  reasons: Record<ProductReason, string>;
  financial: Record<FinancialStatus, string>;
  /**
   * KB sentences matching this are never quoted: our replies are formal (vous / usted), so a KB written in the
   * informal register (tu / tú) is summarised from the catalogue instead of quoted.
   */
  kbAvoid?: RegExp;
  /** Introduces a list quoted from the knowledge base (title of the KB document, when it can be shown). */
  kbIntro(title?: string): string;
  /** "2 × Title" (qty is already formatted). */
  quantity(qty: string, title: string): string;

  greeting: {
    hello(firstName?: string): string;
    intro(shop: string): string;
    offer: string;
  };

  clarify: {
    /** topics is an already-joined list ("a, b or c"). */
    question(topics: string): string;
  };

  contact: {
    reach(shop: string, email?: string): string;
    phone(phone: string): string;
    assistant: string;
    anythingElse: string;
  };

  orders: {
    askNumberAndEmail: string;
    askNumber: string;
    /** The customer gave an order number but we don't know who they are yet. */
    askEmail: string;
    /** We looked the order up for this email and found nothing: never confirms it exists for someone else. */
    notFound: string;
    noneForCustomer: string;
    header(name: string, items: string, placed: string): string;
    preparing: string;
    partial: string;
    shippedNoDetail: string;
    cancelled(date: string): string;
    labelCreated(date: string, carrier?: string): string;
    inTransit(date: string, carrier?: string): string;
    outForDelivery(carrier?: string): string;
    delivered(date?: string): string;
    attempted(carrier?: string): string;
    failure(carrier?: string): string;
    failureCaseOpened: string;
    failureOffer: string;
    shipped(date: string, carrier?: string): string;
    tracking(number: string, carrier?: string): string;
    trackingUrl(url: string): string;
    refundIssued(amount: string, date: string): string;
    intro(firstName?: string): string;
    introMany(firstName?: string): string;
    whichOrder(list: string): string;
  };

  modification: {
    canChange(name: string): string;
    teamWillDoIt: string;
    howTo: string;
    partial(name: string): string;
    shippedCannot(name: string, windowDays: string): string;
    deliveredCannot(name: string, date: string, windowDays: string): string;
    alreadyCancelled(name: string, date: string): string;
  };

  returns: {
    policySummary(windowDays: string, limit: string): string;
    approved(name: string, rma: string): string;
    approvedNoRma(name: string): string;
    packing: string;
    labelFallback: string;
    deadline(date: string): string;
    overLimit(name: string, amount: string, limit: string): string;
    overLimitNote: string;
    outsideWindow(name: string, windowDays: string, delivered?: string, deadline?: string): string;
    outsideWindowNote: string;
    specialistReview: string;
    notShippedYet(name: string): string;
    inTransitYet(name: string, windowDays: string): string;
    cancelled(name: string, date?: string): string;
    alreadyRefunded(name: string): string;
    whichOrder(list: string): string;
    /** The order is known, the items not: which of them ("A ($119) or B ($36)"), or the whole order. */
    whichItems(order: string, items: string): string;
    /** After answering a question about returns: which order, if the customer wants to start one. */
    startWhich(list: string): string;
  };

  refunds: {
    issued(name: string, amount: string, date: string): string;
    markedRefunded(name: string, status: string): string;
    noneYet(name: string, status: string): string;
    afterReturn: string;
    bankDelay: string;
  };

  exchanges: {
    policy(windowDays: string, limit: string): string;
    /** An approved exchange: the item goes back under this return authorisation. */
    approved(name: string, rma: string): string;
    eligible(name: string, delivered: string): string;
    eligibleUntil(name: string, deadline: string): string;
    outside(name: string, windowDays: string, delivered: string): string;
    notDelivered(name: string, windowDays: string): string;
    cancelled(name: string): string;
    offer: string;
  };

  products: {
    priceOne(title: string, price: string): string;
    priceRange(title: string, min: string, max: string): string;
    inStock: string;
    onlyLeft(count: string): string;
    outOfStock: string;
    backorder: string;
    variantStatus(variant: string, status: string): string;
    availability(list: string): string;
    discontinued(title: string): string;
    askWhich: string;
    infoOutro: string;
    recommendIntro: string;
    recommendLine(title: string, price: string, why?: string): string;
    recommendOutro: string;
    askNeeds: string;
    compareIntro(a: string, b: string): string;
    compareLine(title: string, price: string, details: string): string;
    compareOnlyIn(title: string, reasons: string): string;
    compareAskSecond(title: string): string;
    compareOutro: string;
  };

  shipping: {
    freeThreshold(amount: string): string;
    noKb: string;
    trackingHelp: string;
  };

  loyalty: {
    earn(points: string, perAmount: string, plural: boolean): string;
    redeem(points: string, value: string): string;
    tiers(list: string): string;
    /** `n` is the raw count, only for grammar (singular / plural); print the formatted string. */
    tierItem(name: string, minPoints: string, n: number): string;
    balance(points: string, tier: string, n: number): string;
    nextTier(tier: string, minPoints: string, n: number): string;
    topTier: string;
    noBalance: string;
    askEmail: string;
  };

  subscription: {
    active(firstName?: string): string;
    options: string;
    offer: string;
    notActive: string;
    explain: string;
    askEmail: string;
  };

  giftCards: {
    range(min: string, max: string): string;
    noExpiry: string;
    balance: string;
  };

  account: {
    generic: string;
    emailChange: string;
    neverPassword: string;
  };

  billing: {
    orderLine(name: string, total: string, status: string): string;
    generic: string;
    askDetails: string;
  };

  technical: {
    sorry(product?: string): string;
    /** The opening of a reply to a safety incident (a fire, an injury, a reaction). */
    incident(product?: string): string;
    generic: string;
    nextSteps: string;
  };

  feedback: {
    positive: string;
    neutral: string;
    negative: string;
  };

  complaint: {
    apology(firstName?: string): string;
    askDetails: string;
  };

  escalationRequest: {
    ack: string;
    contact(email?: string): string;
  };

  b2b: {
    thanks: string;
    generic: string;
  };

  outOfScope: {
    polite(shop: string): string;
  };

  /**
   * The customer's support requests (helpdesk tickets). `id` arrives as "#5106", `subject` as the ticket's own
   * subject (any language), `opened` as a formatted date, `status` from `status` below (or the raw status).
   */
  tickets: {
    /** The status as a word or short phrase completing "Your request … is ___". */
    status: Record<TicketStatus, string>;
    /** What happens next, after a request's status sentence. */
    next: Record<TicketStatus, string>;
    /** One request: "Your request #5106 “Subject”, opened on …, is open." */
    one(id: string, subject: string | undefined, opened: string | undefined, status: string): string;
    /** Introduces a list of several requests. */
    manyIntro: string;
    /** One request in that list. */
    item(id: string, subject: string | undefined, opened: string | undefined, status: string): string;
    /** The customer asked about a request and has none under their email. */
    none: string;
    /** The request number they gave is not one of theirs: nothing about it is shared. */
    notFound: string;
    /** The helpdesk could not be reached. */
    unavailable(email?: string): string;
    /** An anonymous customer asked about a request. */
    signIn: string;
    /** They already have an open request about what this turn is about. */
    related(id: string, subject: string | undefined, status: string): string;
  };

  handoff: {
    byPriority: Record<Priority, string>;
    sales: string;
    ticket(id: string): string;
    error(email?: string): string;
    /** The conversation's ticket `id` exists, but this more serious request could not be added to it. */
    updateError(id: string, email?: string): string;
    safety: string;
    frustration: string;
  };
}
