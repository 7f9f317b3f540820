// Commerce lookups cached for a short time and dropped as soon as a Shopify webhook says the data changed,
// so a conversation's follow-up questions cost no extra round trip and answers are never older than the
// last webhook. Misses are cached too (an unknown email is asked about again and again by bots).
import { LRUCache } from 'lru-cache';
import type { EventBus } from './bus.js';
import type { Customer, Order, Ticket } from './contracts.js';
import type { Commerce, Helpdesk } from './ports.js';

type Entry = { value: Promise<Order | Order[] | Customer | undefined> };

/** `subscriber` names the bus subscriptions (one per subject family: on JetStream each name is a durable consumer). */
export function cachedCommerce(inner: Commerce, bus: EventBus, ttlMs = 60_000, subscriber = 'commerce-cache'): Commerce & { clear(): void } {
  const cache = new LRUCache<string, Entry>({ max: 20_000, ttl: ttlMs });
  // The promise is cached, so concurrent questions about the same customer share one round trip.
  const memo = <T extends Order | Order[] | Customer>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> => {
    const hit = cache.get(key);
    if (hit) return hit.value as Promise<T | undefined>;
    const value = load();
    cache.set(key, { value });
    value.catch(() => cache.delete(key)); // a failure is not remembered
    return value;
  };
  // Any order or customer change may alter several keys (an order belongs to an email): drop them all.
  for (const family of ['orders', 'refunds', 'customers']) bus.subscribe(`events.shopify.${family}.>`, `${subscriber}-${family}`, () => cache.clear());
  return {
    orderByNumber: (n) => memo(`order:${n}`, () => inner.orderByNumber(n)),
    ordersByEmail: async (email) => (await memo(`orders:${email.toLowerCase()}`, () => inner.ordersByEmail(email))) ?? [],
    customer: (email) => memo(`customer:${email.toLowerCase()}`, () => inner.customer(email)),
    listProducts: () => inner.listProducts(),
    clear: () => cache.clear(),
  };
}

/**
 * Helpdesk ticket lookups cached the same way: for `ttlMs`, dropped on every Zendesk webhook event (a ticket
 * created, updated or solved, a user created: its requester is not always in the event). With
 * `ticketsOpenedElsewhere`, every escalation event drops them too.
 *
 * A ticket created through this client is added to its requester's lookups for `ttlMs` instead of dropping them:
 * the customer's very next answer knows of it without a new search, and Zendesk's search, which may take a moment
 * to index a new ticket, cannot hide it. What the search returns for the same ticket wins (it may have moved on).
 *
 * A ticket updated through this client (a later, more serious escalation) is replaced, in the cached lookups that
 * hold it, by the ticket Zendesk answered the update with: its new priority and tags are known at once, without a
 * new search that Zendesk's index could still answer with the old ticket. A failed update drops those lookups (it may
 * have been applied all the same): the next one asks Zendesk.
 */
export function cachedHelpdesk(
  inner: Helpdesk,
  bus: EventBus,
  opts: { ttlMs?: number; subscriber?: string; ticketsOpenedElsewhere?: boolean } = {},
): Helpdesk & { clear(): void } {
  const { ttlMs = 60_000, subscriber = 'helpdesk-cache' } = opts;
  const cache = new LRUCache<string, { value: Promise<Ticket[]> }>({ max: 20_000, ttl: ttlMs });
  // Per requester, the tickets created here in the last `ttlMs`, newest first.
  const createdHere = new LRUCache<string, { ticket: Ticket; at: number }[]>({ max: 20_000, ttl: ttlMs });
  const createdFor = (key: string, now = Date.now()) => (createdHere.get(key) ?? []).filter((c) => now - c.at < ttlMs);
  const keyOf = (email: string) => `tickets:${email.trim().toLowerCase()}`;
  // Which cached lookup holds a ticket (tickets are looked up by requester: one each), for updateTicket.
  const holderOf = new LRUCache<number, string>({ max: 20_000, ttl: ttlMs });
  for (const family of ['tickets', 'users']) bus.subscribe(`events.zendesk.${family}.>`, `${subscriber}-${family}`, () => cache.clear());
  // A ticket the escalation agent opened in another process (one container per agent) is not seen by createTicket
  // here: the escalation event announces it before Zendesk's webhook does.
  if (opts.ticketsOpenedElsewhere) bus.subscribe('events.platform.escalations.created', `${subscriber}-escalations`, () => cache.clear());
  return {
    ticketsByRequesterEmail(email) {
      const key = keyOf(email);
      const hit = cache.get(key);
      if (hit) return hit.value;
      // Read once the search answers: a creation that finished meanwhile is in createdHere by then.
      const value = inner.ticketsByRequesterEmail(email).then((found) => {
        const tickets = withCreated(found, createdFor(key).map((c) => c.ticket));
        for (const t of tickets) holderOf.set(t.id, key);
        return tickets;
      });
      cache.set(key, { value });
      value.catch(() => cache.delete(key)); // a failure is not remembered
      return value;
    },
    async createTicket(ticket) {
      const requester = ticket.requester?.email;
      let created: Ticket;
      try {
        created = await inner.createTicket(ticket);
      } catch (err) {
        // It may exist all the same (Zendesk made it, the answer was lost): the next lookup asks Zendesk.
        if (requester) cache.delete(keyOf(requester));
        throw err;
      }
      if (requester) {
        const key = keyOf(requester);
        holderOf.set(created.id, key);
        const now = Date.now();
        createdHere.set(key, [{ ticket: created, at: now }, ...createdFor(key, now)]);
        // The cached lookup (done, or still waiting on Zendesk) gets it too, keeping its age.
        const hit = cache.get(key);
        if (hit) {
          const value = hit.value.then((found) => withCreated(found, [created]));
          cache.set(key, { value }, { noUpdateTTL: true });
          value.catch(() => cache.delete(key));
        }
      }
      return created;
    },
    async updateTicket(id, update) {
      const key = holderOf.get(id);
      let updated: Ticket;
      try {
        updated = await inner.updateTicket(id, update);
      } catch (err) {
        if (key) cache.delete(key);
        throw err;
      }
      if (key) {
        // Zendesk's answer has no requester email: the cached copy's stays.
        const replace = (t: Ticket): Ticket => (t.id === id ? { ...updated, ...(t.requesterEmail ? { requesterEmail: t.requesterEmail } : {}) } : t);
        const created = createdHere.get(key);
        if (created?.some((c) => c.ticket.id === id)) {
          createdHere.set(key, created.map((c) => ({ ...c, ticket: replace(c.ticket) })), { noUpdateTTL: true });
        }
        const hit = cache.get(key);
        if (hit) {
          const value = hit.value.then((found) => found.map(replace));
          cache.set(key, { value }, { noUpdateTTL: true });
          value.catch(() => cache.delete(key));
        }
      }
      return updated;
    },
    clear: () => {
      cache.clear();
      createdHere.clear();
      holderOf.clear();
    },
  };
}

/** The tickets a search found, plus those created here that it does not have (yet), newest first. */
function withCreated(found: Ticket[], created: readonly Ticket[]): Ticket[] {
  if (created.length === 0) return found;
  const known = new Set(found.map((t) => t.id));
  const missing = created.filter((t) => !known.has(t.id));
  if (missing.length === 0) return found;
  const all = [...missing, ...found];
  const at = new Map(all.map((t) => [t, Date.parse(t.createdAt)]));
  return all.sort((a, b) => at.get(b)! - at.get(a)!);
}
