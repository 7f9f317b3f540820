// The event bus at scale: NATS JetStream. Events live in one file-backed stream (MAC_EVENTS: `events.>` and `dlq.>`,
// kept 7 days); each subscriber name is a durable pull consumer, so an event published while a subscriber is down is
// delivered when it subscribes again, and several processes subscribing under one name share the events (each event
// is handled once per name). A failing handler is retried after 1, 2, 4, 8 and 16 s (the consumer's `backoff` and
// `max_deliver` 6; a failed delivery is left unacknowledged), then the event goes to the dead-letter subject
// `dlq.<subject>` as {event, subscriber, error}. The message payload is the BusEvent JSON {id, subject, type, ts,
// data}, as the SQLite bus stores it.
import { createHash, randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { EventBus, Handler } from './bus.js';
import type { BusEvent } from './contracts.js';
import { deadLetterSubject, RETENTION_DAYS, RETRY_DELAYS_S, SUBJECTS } from './events.js';

export const NATS_EVENT_STREAM = 'MAC_EVENTS';
const NATS_EVENT_SUBJECTS = ['events.>', 'dlq.>'] as const;

export interface NatsBusOptions {
  /** Stream name; default MAC_EVENTS. */
  stream?: string;
  /** Redelivery delays in seconds (each > 0), then the dead-letter subject; default 1, 2, 4, 8, 16. */
  retryDelaysS?: readonly number[];
  now?: () => number;
  /** Problems off the caller's path (a publish not acknowledged, a consumer that could not be set up, a payload that
   *  is not a BusEvent). Default: a line on stderr. They also make the next `drain()` reject. */
  onError?: (err: Error) => void;
}

const NANOS_PER_S = 1_000_000_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function knownType(subject: string): string | undefined {
  return SUBJECTS[subject] ?? (subject.startsWith('dlq.') ? 'dead_letter' : undefined);
}

/** A durable consumer name: NATS forbids `.`, `*`, `>`, whitespace and path separators. A name that had to be
 *  rewritten gets a short hash so two different names never share a consumer. */
function durableName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe === name && safe.length > 0) return safe;
  return `${safe.slice(0, 48)}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

async function ensureStream(jsm: JetStreamManager, name: string): Promise<void> {
  const maxAge = RETENTION_DAYS * 86_400 * NANOS_PER_S;
  try {
    const info = await jsm.streams.info(name);
    const subjects = info.config.subjects ?? [];
    const missing = NATS_EVENT_SUBJECTS.filter((s) => !subjects.includes(s));
    if (missing.length > 0 || info.config.max_age !== maxAge) {
      await jsm.streams.update(name, { ...info.config, subjects: [...subjects, ...missing], max_age: maxAge });
    }
  } catch (err) {
    if (!isApiError(err, JetStreamApiCodes.StreamNotFound)) throw err;
    await jsm.streams.add({ name, subjects: [...NATS_EVENT_SUBJECTS], max_age: maxAge, storage: StorageType.File });
  }
}

interface Sub {
  pattern: string;
  name: string;
  durable: string;
  handler: Handler;
  messages?: ConsumerMessages;
  stopped: boolean;
  /** Highest stream sequence this process has received for the consumer (drain compares it with the server's). */
  seen: number;
}

/**
 * An EventBus on JetStream over an open NATS connection, which the caller owns (`close()` stops this bus's
 * consumers and waits for its handlers and publishes; it does not close the connection). Rejects when JetStream is
 * not enabled on the server or the stream cannot be created.
 */
export async function createNatsBus(nc: NatsConnection, opts: NatsBusOptions = {}): Promise<EventBus> {
  const stream = opts.stream ?? NATS_EVENT_STREAM;
  const now = opts.now ?? Date.now;
  const delays = opts.retryDelaysS ?? RETRY_DELAYS_S;
  if (delays.length === 0 || delays.some((d) => !(d > 0))) throw new Error('retryDelaysS: every delay must be > 0 s');
  const maxDeliver = delays.length + 1;
  // The server's ack wait is the first backoff step; a handler still running keeps its message with `working()`.
  const heartbeatMs = Math.max(10, (Math.min(...delays) * 1000) / 2);
  const onError = opts.onError ?? ((err: Error) => process.stderr.write(`event bus (NATS): ${err.message}\n`));

  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (err) {
    throw new Error(`JetStream is not available on the NATS server (is nats-server started with -js?): ${(err as Error).message}`, { cause: err });
  }
  await ensureStream(jsm, stream);
  const js: JetStreamClient = jetstream(nc);

  const subs = new Set<Sub>();
  const setups = new Set<Promise<void>>();
  const publishes = new Set<Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  const failures: Error[] = [];
  let sendChain: Promise<void> = Promise.resolve();
  let closed = false;

  function fail(err: Error): void {
    // drain() rethrows the first failure since the last drain; a long-running process keeps only a few.
    if (failures.length < 10) failures.push(err);
    onError(err);
  }

  function track(set: Set<Promise<void>>, p: Promise<void>): void {
    set.add(p);
    // Both outcomes handled here: a rejection reaches drain() through allSettled, never the process.
    p.then(
      () => set.delete(p),
      () => set.delete(p),
    );
  }

  /** Acks and heartbeats on a connection that closed meanwhile throw: the server redelivers, nothing to do here. */
  const quietly = (f: () => void) => {
    try {
      f();
    } catch {
      // connection closed or draining
    }
  };

  /** Sends in publish order, after any consumer still being set up exists (so a subscriber added just before a
   *  publish receives it); resolves when the stream has acknowledged the event. */
  function send(event: BusEvent): Promise<void> {
    const payload = encoder.encode(JSON.stringify(event)); // data that is not JSON throws here, to the publisher
    const pendingSetups = setups.size > 0 ? Promise.allSettled([...setups]) : undefined;
    let acked: Promise<unknown> = Promise.resolve();
    const issued = sendChain.then(async () => {
      if (pendingSetups) await pendingSetups;
      acked = js.publish(event.subject, payload, { msgID: event.id });
    });
    sendChain = issued.catch(() => undefined);
    const p = issued
      .then(() => acked)
      .then(
        () => undefined,
        (err: unknown) => fail(new Error(`publish ${event.subject} (${event.id}) was not acknowledged: ${(err as Error).message}`, { cause: err })),
      );
    track(publishes, p);
    return p;
  }

  function publish(subject: string, data: Record<string, unknown>): BusEvent {
    const type = knownType(subject);
    if (!type) throw new Error(`unknown event subject "${subject}"`);
    const event: BusEvent = { id: randomUUID(), subject, type, ts: new Date(now()).toISOString(), data };
    void send(event);
    return event;
  }

  function parseEvent(msg: JsMsg): BusEvent | undefined {
    try {
      const e = JSON.parse(decoder.decode(msg.data)) as Partial<BusEvent>;
      if (e && typeof e.id === 'string' && typeof e.subject === 'string' && typeof e.type === 'string' && typeof e.ts === 'string') {
        return { ...e, data: e.data ?? {} } as BusEvent;
      }
    } catch {
      // fall through
    }
    return undefined;
  }

  async function handle(sub: Sub, msg: JsMsg): Promise<void> {
    const event = parseEvent(msg);
    if (!event) {
      quietly(() => msg.term());
      fail(new Error(`message ${msg.seq} on ${msg.subject} is not a BusEvent; dropped for subscriber "${sub.name}"`));
      return;
    }
    const heartbeat = setInterval(() => quietly(() => msg.working()), heartbeatMs);
    heartbeat.unref();
    try {
      try {
        await sub.handler(event);
      } catch (err) {
        const attempt = msg.info.deliveryCount;
        if (attempt < maxDeliver) {
          // Left unacknowledged on purpose: the server redelivers once this delivery's ack wait, which is the
          // consumer's backoff step for it, has run out counting from now. A delayed NAK is not used: nats-server
          // 2.9 adds the backoff step to the NAK's delay (observed: 1, 3, 7, 15 s instead of 1, 2, 4, 8 s).
          quietly(() => msg.working());
          return;
        }
        if (!event.subject.startsWith('dlq.')) {
          const dead: BusEvent = {
            id: randomUUID(),
            subject: deadLetterSubject(event.subject),
            type: 'dead_letter',
            ts: new Date(now()).toISOString(),
            data: { event, subscriber: sub.name, error: (err as Error)?.message ?? String(err) },
          };
          await send(dead);
        }
        quietly(() => msg.term());
        return;
      }
      await msg.ackAck().catch(() => false); // not acknowledged: the server redelivers it later
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function attach(sub: Sub): Promise<void> {
    const config: Partial<ConsumerConfig> = {
      durable_name: sub.durable,
      filter_subject: sub.pattern,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ack_wait: Math.round(delays[0]! * NANOS_PER_S),
      backoff: delays.map((d) => Math.round(d * NANOS_PER_S)),
      max_deliver: maxDeliver,
    };
    let info: ConsumerInfo;
    try {
      info = await jsm.consumers.info(stream, sub.durable);
      const c = info.config;
      const same =
        c.filter_subject === config.filter_subject &&
        c.max_deliver === config.max_deliver &&
        JSON.stringify(c.backoff ?? []) === JSON.stringify(config.backoff);
      if (!same) {
        try {
          info = await jsm.consumers.update(stream, sub.durable, { filter_subject: sub.pattern, ack_wait: config.ack_wait, backoff: config.backoff, max_deliver: maxDeliver });
        } catch {
          // this server cannot change that in place: start the subscriber afresh
          await jsm.consumers.delete(stream, sub.durable);
          info = await jsm.consumers.add(stream, config);
        }
      }
    } catch (err) {
      if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
      info = await jsm.consumers.add(stream, config);
    }
    sub.seen = info.delivered.stream_seq;
    if (sub.stopped) return;
    const consumer = await js.consumers.get(stream, sub.durable);
    if (sub.stopped) return;
    sub.messages = await consumer.consume({
      callback: (msg) => {
        sub.seen = Math.max(sub.seen, msg.info.streamSequence);
        track(inFlight, handle(sub, msg));
      },
    });
    if (sub.stopped) await sub.messages.close();
  }

  async function stop(sub: Sub): Promise<void> {
    sub.stopped = true;
    subs.delete(sub);
    if (sub.messages) await sub.messages.close().catch(() => undefined);
  }

  /** Whether every consumer has handed out every matching event, and this process has received what it was handed.
   *  'elsewhere': some copy was handed to another process sharing the subscriber name, which has not acked it yet
   *  (or to this one, and it is still on the wire). */
  async function caughtUp(): Promise<'yes' | 'pending' | 'elsewhere'> {
    let result: 'yes' | 'pending' | 'elsewhere' = 'yes';
    for (const sub of subs) {
      if (!sub.messages) continue;
      const info = await jsm.consumers.info(stream, sub.durable);
      if (info.num_pending > 0) return 'pending';
      if (sub.seen < info.delivered.stream_seq && info.num_ack_pending > 0) result = 'elsewhere';
    }
    return result;
  }

  return {
    publish,

    subscribe(pattern, name, handler) {
      const sub: Sub = { pattern, name, durable: durableName(name), handler, stopped: false, seen: 0 };
      subs.add(sub);
      track(
        setups,
        attach(sub).catch((err: unknown) => {
          subs.delete(sub);
          fail(new Error(`subscriber "${name}" on ${pattern} could not start: ${(err as Error).message}`, { cause: err }));
        }),
      );
      return () => void stop(sub);
    },

    async drain() {
      // A copy delivered to our connection may still be on the wire when the server reports it delivered; a copy
      // delivered to another process sharing a subscriber name never reaches us: that wait is bounded.
      let elsewhereSince: number | undefined;
      for (;;) {
        while (setups.size > 0 || publishes.size > 0 || inFlight.size > 0) {
          await Promise.allSettled([...setups, ...publishes, ...inFlight]);
        }
        if (failures.length > 0) {
          const [first] = failures.splice(0);
          throw first;
        }
        const state = await caughtUp();
        if (setups.size > 0 || publishes.size > 0 || inFlight.size > 0) continue;
        if (state === 'yes') break;
        if (state === 'elsewhere') {
          elsewhereSince ??= Date.now();
          if (Date.now() - elsewhereSince > 2_000) break;
        } else {
          elsewhereSince = undefined;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      await nc.flush();
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...setups]);
      await Promise.all([...subs].map(stop));
      await Promise.allSettled([...inFlight]);
      await Promise.allSettled([...publishes]);
      if (!nc.isClosed()) await nc.flush().catch(() => undefined);
    },
  };
}
