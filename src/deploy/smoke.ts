// The smoke test: what a customer would notice first. The gateway is healthy, a greeting gets a greeting back, and
// an order-status question about a real order of the environment's data gets that order's tracking number — which
// exercises intent, the live order lookup through the Shopify client, the response and the output guardrail. Without
// a data folder (an azure release serving a shop mac has no copy of) that last check is reported as skipped: not run,
// so not passed either.
import { loadDataFolder } from '../agents/integrations/shop-data.js';

export interface SmokeCheck {
  name: 'health' | 'greeting' | 'order-status';
  /** Passed. A skipped check did not pass (ok false) and did not fail. */
  ok: boolean;
  /** Not run: there was nothing to check it against (e.g. no shop data folder). */
  skipped?: boolean;
  detail: string;
  ms: number;
}

export interface SmokeResult {
  ok: boolean;
  url: string;
  checks: SmokeCheck[];
  /** The first failing check, when any. */
  failed?: SmokeCheck;
}

interface ChatReply {
  response?: string;
  intent?: string;
  blocked?: boolean;
}

/** An order whose customer can ask about it and whose answer is checkable: it has an email and a tracking number. */
export function smokeOrder(dataDir: string): { number: string; email: string; tracking: string } | undefined {
  const orders = loadDataFolder(dataDir).shopify.orders;
  for (const o of [...orders].reverse()) {
    const tracking = o.fulfillments?.find((f) => f.tracking_number)?.tracking_number;
    const email = o.email ?? o.customer?.email;
    if (tracking && typeof email === 'string' && email && !o.cancelled_at) return { number: String(o.name), email, tracking: String(tracking) };
  }
  return undefined;
}

/** Runs the checks against a gateway; the order-status check needs the shop's data folder and is skipped without. */
export async function runSmoke(url: string, dataDir: string | undefined, timeoutMs = 15_000): Promise<SmokeResult> {
  const checks: SmokeCheck[] = [];
  const check = async (name: SmokeCheck['name'], fn: () => Promise<string>) => {
    const started = performance.now();
    try {
      checks.push({ name, ok: true, detail: await fn(), ms: Math.round(performance.now() - started) });
    } catch (err) {
      checks.push({ name, ok: false, detail: (err as Error).message, ms: Math.round(performance.now() - started) });
    }
  };
  const chat = async (body: Record<string, unknown>): Promise<ChatReply> => {
    const res = await fetch(new URL('/v1/chat', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_id: `smoke-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, ...body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`POST /v1/chat answered HTTP ${res.status}`);
    return (await res.json()) as ChatReply;
  };

  await check('health', async () => {
    const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`GET /health answered HTTP ${res.status}`);
    return 'GET /health 200';
  });
  await check('greeting', async () => {
    const reply = await chat({ message: 'Hello!' });
    if (reply.blocked || !reply.response) throw new Error('the greeting got no answer');
    if (reply.intent !== 'greeting') throw new Error(`"Hello!" was classified as ${reply.intent}, not greeting`);
    return `answered as greeting (${reply.response.length} chars)`;
  });
  if (dataDir === undefined) {
    checks.push({ name: 'order-status', ok: false, skipped: true, detail: 'skipped: the release has no shop data folder to pick an order from (shop.data)', ms: 0 });
  } else {
    await check('order-status', async () => {
      const order = smokeOrder(dataDir);
      if (!order) throw new Error(`the shop data (${dataDir}) has no order with an email and a tracking number to ask about`);
      const reply = await chat({ message: `Where is my order ${order.number}?`, customer_email: order.email });
      if (!reply.response?.includes(order.tracking)) {
        throw new Error(`the answer about order ${order.number} does not give its tracking number (intent ${reply.intent ?? '?'})`);
      }
      return `order ${order.number}: tracking number given`;
    });
  }
  const failed = checks.find((c) => !c.ok && !c.skipped);
  return { ok: !failed, url, checks, ...(failed ? { failed } : {}) };
}
