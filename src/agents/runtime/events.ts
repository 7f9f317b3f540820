// The platform's event catalogue: 12 event types on 21 subjects. Webhooks, schedules and the pipeline publish;
// analytics (and anything else) subscribe, off the request path.

export const EVENT_TYPES = [
  'order',
  'refund',
  'product',
  'customer',
  'inventory',
  'ticket',
  'helpdesk_user',
  'report',
  'kb_reindex',
  'news',
  'conversation_turn',
  'escalation',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Subject → event type. */
export const SUBJECTS: Record<string, EventType> = {
  'events.shopify.orders.created': 'order',
  'events.shopify.orders.updated': 'order',
  'events.shopify.orders.fulfilled': 'order',
  'events.shopify.orders.cancelled': 'order',
  'events.shopify.orders.paid': 'order',
  'events.shopify.refunds.created': 'refund',
  'events.shopify.products.created': 'product',
  'events.shopify.products.updated': 'product',
  'events.shopify.customers.created': 'customer',
  'events.shopify.customers.updated': 'customer',
  'events.shopify.inventory_levels.updated': 'inventory',
  'events.zendesk.tickets.created': 'ticket',
  'events.zendesk.tickets.updated': 'ticket',
  'events.zendesk.tickets.solved': 'ticket',
  'events.zendesk.users.created': 'helpdesk_user',
  'events.scheduled.reports.daily': 'report',
  'events.scheduled.reports.weekly': 'report',
  'events.scheduled.kb.reindex': 'kb_reindex',
  'events.rss.company_news.updated': 'news',
  'events.platform.conversations.turn': 'conversation_turn',
  'events.platform.escalations.created': 'escalation',
};

/** Shopify webhook topics (`orders/create`, …) → our subjects. */
export const SHOPIFY_TOPICS: Record<string, string> = {
  'orders/create': 'events.shopify.orders.created',
  'orders/updated': 'events.shopify.orders.updated',
  'orders/fulfilled': 'events.shopify.orders.fulfilled',
  'orders/cancelled': 'events.shopify.orders.cancelled',
  'orders/paid': 'events.shopify.orders.paid',
  'refunds/create': 'events.shopify.refunds.created',
  'products/create': 'events.shopify.products.created',
  'products/update': 'events.shopify.products.updated',
  'customers/create': 'events.shopify.customers.created',
  'customers/update': 'events.shopify.customers.updated',
  'inventory_levels/update': 'events.shopify.inventory_levels.updated',
};

/** Zendesk trigger/webhook event names → our subjects. */
export const ZENDESK_EVENTS: Record<string, string> = {
  'ticket.created': 'events.zendesk.tickets.created',
  'ticket.updated': 'events.zendesk.tickets.updated',
  'ticket.solved': 'events.zendesk.tickets.solved',
  'user.created': 'events.zendesk.users.created',
};

/**
 * The event a Zendesk webhook body names: a trigger's own JSON (`{"event": "ticket.updated"}`, or `type`), or one of
 * Zendesk's event-subscription payloads (`{"type": "zen:event-type:ticket.status_changed", "detail": {…}, "event":
 * {…}}`): a ticket that changes status to solved is `ticket.solved`, any other change to a ticket `ticket.updated`.
 */
export function zendeskEventName(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const { event, type, detail } = body as { event?: unknown; type?: unknown; detail?: { status?: unknown } };
  if (typeof event === 'string') return event;
  const name = typeof type === 'string' ? type : '';
  const m = /^zen:event-type:(ticket|user)\.([a-z_]+)$/.exec(name);
  if (!m) return name;
  const [, family, change] = m;
  if (change === 'created') return `${family}.created`;
  if (family === 'user') return name;
  return change === 'status_changed' && String(detail?.status ?? '').toLowerCase() === 'solved' ? 'ticket.solved' : 'ticket.updated';
}

export const RETENTION_DAYS = 7;
/** Redelivery delays in seconds, then the dead-letter subject. */
export const RETRY_DELAYS_S = [1, 2, 4, 8, 16] as const;
export const deadLetterSubject = (subject: string) => `dlq.${subject}`;
