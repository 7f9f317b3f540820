// The JetStream event bus against a real nats-server: delivery, retries and dead letters, durability across a
// subscriber's restart, and what is stored in the stream.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../../src/agents/runtime/bus.js';
import type { BusEvent } from '../../../src/agents/runtime/contracts.js';
import { createNatsBus, NATS_EVENT_STREAM, type NatsBusOptions } from '../../../src/agents/runtime/nats-bus.js';
import { connectNats } from '../../../src/agents/runtime/nats-transport.js';
import { hasNatsServer, noNatsServerReason, startNatsServer, type NatsServer } from '../../helpers/nats.js';

if (!hasNatsServer) console.warn(`SKIPPING the JetStream event bus tests: ${noNatsServerReason}`);

/** A promise and the function that settles it. */
function signal<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe.skipIf(!hasNatsServer)('JetStream event bus', () => {
  let server: NatsServer;
  const cleanup: (() => Promise<unknown>)[] = [];
  const busErrors: Error[] = [];
  let unique = 0;
  const name = (base: string) => `${base}-${++unique}`;

  async function conn(): Promise<NatsConnection> {
    const nc = await connectNats(server.url, 'bus-test');
    cleanup.push(() => nc.close());
    return nc;
  }
  async function bus(opts: NatsBusOptions = {}): Promise<EventBus> {
    const b = await createNatsBus(await conn(), { onError: (e) => void busErrors.push(e), ...opts });
    cleanup.unshift(() => b.close());
    return b;
  }

  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
    expect(busErrors.splice(0).map((e) => e.message)).toEqual([]); // nothing went wrong off the caller's path
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('delivers each event to the subscribers whose wildcard pattern matches it', async () => {
    const b = await bus();
    const orders: string[] = [];
    const everything: string[] = [];
    const shopifyCreated: string[] = [];
    b.subscribe('events.shopify.orders.*', name('orders'), (e) => void orders.push(e.subject));
    b.subscribe('events.>', name('all'), (e) => void everything.push(e.subject));
    b.subscribe('events.shopify.*.created', name('created'), (e) => void shopifyCreated.push(e.subject));
    b.publish('events.shopify.orders.created', { order_id: 1001 });
    b.publish('events.zendesk.tickets.created', { ticket_id: 7 });
    b.publish('events.shopify.products.created', { product_id: 3 });
    await b.drain();
    expect(orders).toEqual(['events.shopify.orders.created']);
    expect(everything).toEqual(['events.shopify.orders.created', 'events.zendesk.tickets.created', 'events.shopify.products.created']);
    expect(shopifyCreated).toEqual(['events.shopify.orders.created', 'events.shopify.products.created']);
  });

  it('hands the handler the event it published, and stores that same JSON in the 7-day stream', async () => {
    const nc = await conn();
    const b = await createNatsBus(nc, { onError: (e) => void busErrors.push(e) });
    cleanup.unshift(() => b.close());
    const got: BusEvent[] = [];
    b.subscribe('events.platform.escalations.created', name('analytics'), (e) => void got.push(e));
    const published = b.publish('events.platform.escalations.created', { ticket_id: 'ZD-1', reason: 'frustration' });
    expect(published).toEqual({ id: expect.any(String), subject: 'events.platform.escalations.created', type: 'escalation', ts: expect.any(String), data: { ticket_id: 'ZD-1', reason: 'frustration' } });
    await b.drain();
    expect(got).toEqual([published]);

    const jsm = await jetstreamManager(nc);
    const stored = await jsm.streams.getMessage(NATS_EVENT_STREAM, { last_by_subj: 'events.platform.escalations.created' });
    expect(stored!.json()).toEqual(published);
    const info = await jsm.streams.info(NATS_EVENT_STREAM);
    expect(info.config.max_age).toBe(7 * 86_400 * 1e9);
    expect(info.config.storage).toBe('file');
  });

  it('refuses a subject outside the catalogue', async () => {
    const b = await bus();
    expect(() => b.publish('events.shopify.orders.exploded', {})).toThrow(/unknown event subject "events\.shopify\.orders\.exploded"/);
    expect(() => b.publish('orders.created', {})).toThrow(/unknown event subject/);
  });

  it('retries a failing handler, then dead-letters the event with the subscriber and the error', async () => {
    const b = await bus({ retryDelaysS: [0.05, 0.1, 0.2] });
    const subscriber = name('mailchimp-sync');
    let attempts = 0;
    b.subscribe('events.shopify.customers.created', subscriber, () => {
      attempts++;
      throw new Error('Mailchimp answered 503');
    });
    const dead = signal<BusEvent>();
    b.subscribe('dlq.>', name('dlq-watch'), (e) => dead.resolve(e));
    const published = b.publish('events.shopify.customers.created', { customer_id: 42 });

    const letter = await dead.promise;
    expect(letter.subject).toBe('dlq.events.shopify.customers.created');
    expect(letter.type).toBe('dead_letter');
    expect(letter.data).toEqual({ event: published, subscriber, error: 'Mailchimp answered 503' });
    expect(attempts).toBe(4); // the first delivery and one per retry delay
  });

  it('delivers normally once a handler recovers within its retries, without a dead letter', async () => {
    const b = await bus({ retryDelaysS: [0.05, 0.05, 0.05] });
    let attempts = 0;
    const done = signal<BusEvent>();
    b.subscribe('events.zendesk.tickets.updated', name('flaky'), (e) => {
      if (++attempts < 3) throw new Error('not yet');
      done.resolve(e);
    });
    const letters: BusEvent[] = [];
    b.subscribe('dlq.events.zendesk.tickets.updated', name('dlq-watch'), (e) => void letters.push(e));
    const published = b.publish('events.zendesk.tickets.updated', { ticket_id: 9 });
    expect(await done.promise).toEqual(published);
    await b.drain();
    expect(attempts).toBe(3);
    expect(letters).toEqual([]);
  });

  it('delivers an event published while the subscriber was down once it subscribes again (durable)', async () => {
    const subscriber = name('analytics');
    const first = await bus();
    const seenFirst: unknown[] = [];
    first.subscribe('events.scheduled.reports.*', subscriber, (e) => void seenFirst.push(e.data));
    first.publish('events.scheduled.reports.daily', { day: 'monday' });
    await first.drain();
    await first.close(); // the analytics process goes away

    const publisher = await bus();
    publisher.publish('events.scheduled.reports.daily', { day: 'tuesday' });
    publisher.publish('events.scheduled.reports.weekly', { week: 12 });
    await publisher.drain();

    const restarted = await bus();
    const seenAfter: unknown[] = [];
    restarted.subscribe('events.scheduled.reports.*', subscriber, (e) => void seenAfter.push(e.data));
    await restarted.drain();
    expect(seenFirst).toEqual([{ day: 'monday' }]);
    expect(seenAfter).toEqual([{ day: 'tuesday' }, { week: 12 }]); // each once, none replayed
  });

  it('shares the events between processes subscribed under one name: each event handled once', async () => {
    const subscriber = name('analytics');
    const handled: number[] = [];
    const buses = [await bus(), await bus()];
    for (const b of buses) b.subscribe('events.shopify.orders.paid', subscriber, (e) => void handled.push(e.data.n as number));
    for (let n = 0; n < 40; n++) buses[0]!.publish('events.shopify.orders.paid', { n });
    await Promise.all(buses.map((b) => b.drain()));
    expect(handled.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, n) => n));
  });

  it('drain waits for slow handlers and for events their handlers publish', async () => {
    const b = await bus();
    const turns: unknown[] = [];
    const reports: unknown[] = [];
    b.subscribe('events.platform.conversations.turn', name('analytics'), async (e) => {
      await new Promise((r) => setTimeout(r, 20));
      turns.push(e.data.turn);
      if (e.data.turn === 9) b.publish('events.scheduled.reports.daily', { turns: 10 });
    });
    b.subscribe('events.scheduled.reports.daily', name('reporter'), (e) => void reports.push(e.data));
    for (let turn = 0; turn < 10; turn++) b.publish('events.platform.conversations.turn', { turn });
    await b.drain();
    expect(turns).toHaveLength(10);
    expect(reports).toEqual([{ turns: 10 }]);
  });

  it('brings an existing stream of that name to 7-day retention over events.> and dlq.>, keeping its messages', async () => {
    const own = await startNatsServer();
    const nc = await connectNats(own.url, 'upgrade');
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: NATS_EVENT_STREAM, subjects: ['events.>'], max_age: 3600 * 1e9 });
      await jetstream(nc).publish('events.shopify.orders.created', JSON.stringify({ id: 'old', subject: 'events.shopify.orders.created', type: 'order', ts: new Date().toISOString(), data: {} }));
      const b = await createNatsBus(nc);
      b.publish('dlq.events.shopify.orders.created', { note: 'dead letters are kept too' });
      await b.drain();
      await b.close();
      const info = await jsm.streams.info(NATS_EVENT_STREAM);
      expect(info.config.subjects).toEqual(['events.>', 'dlq.>']);
      expect(info.config.max_age).toBe(7 * 86_400 * 1e9);
      expect(info.state.messages).toBe(2);
    } finally {
      await nc.close();
      await own.stop();
    }
  });

  it('throws to the publisher when the data is not JSON-serialisable', async () => {
    const b = await bus();
    expect(() => b.publish('events.shopify.orders.created', { total: 10n })).toThrow(/BigInt/);
  });

  it('says so when the server has no JetStream', async () => {
    const plain = await startNatsServer({ jetstream: false });
    try {
      const nc = await connectNats(plain.url, 'no-js');
      try {
        await expect(createNatsBus(nc)).rejects.toThrow(/JetStream is not available.*-js/);
      } finally {
        await nc.close();
      }
    } finally {
      await plain.stop();
    }
  });
});
