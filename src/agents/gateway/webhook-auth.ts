// Who may publish events through the webhook endpoints. Each event drops cached orders, products or tickets, and a
// products event refetches the catalogue, so a webhook is taken only with its sender's signature; a sender whose
// signing secret is not configured has its webhooks refused.
//  - Shopify: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body)), keyed with the app's API secret (or the key the
//    shop's admin shows for webhooks made there).
//  - Zendesk: X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(timestamp + raw body)), keyed with the webhook's
//    signing secret; X-Zendesk-Webhook-Signature-Timestamp must be near this clock and a signature is taken once, so
//    a captured request cannot be replayed. (Shopify signs the body only: its headers cannot be trusted to do that.)
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';

export interface WebhookSecrets {
  shopify?: string;
  zendesk?: string;
}

export type WebhookSender = keyof WebhookSecrets;

/** The Key Vault / local vault secret that holds each sender's signing secret. */
export const WEBHOOK_SECRET_NAMES: Readonly<Record<WebhookSender, string>> = {
  shopify: 'shopify-webhook-secret',
  zendesk: 'zendesk-webhook-secret',
};

/** The signing secrets a secret store holds (absent ones undefined: that sender's webhooks are refused). */
export async function webhookSecretsFrom(get: (name: string) => Promise<string | undefined | null>): Promise<WebhookSecrets> {
  return { shopify: (await get(WEBHOOK_SECRET_NAMES.shopify)) ?? undefined, zendesk: (await get(WEBHOOK_SECRET_NAMES.zendesk)) ?? undefined };
}

/** How far a Zendesk signature timestamp may be from this clock. */
export const ZENDESK_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  now: Date;
}

/** A webhook's verdict: refused (why, never quoting a signature or the secret), or taken — once. */
export type WebhookCheck = { refused: string } | { refused?: undefined; duplicate: boolean };

/** Checks webhook signatures against the configured secrets, remembering Zendesk signatures while they are fresh. */
export class WebhookVerifier {
  // A replay inside the tolerance carries a signature seen before; it is answered like the first delivery (a sender
  // retrying after a lost answer must not see a failure) but publishes nothing. Bounded: the oldest are forgotten.
  private readonly seen = new LRUCache<string, true>({ max: 50_000, ttl: 2 * ZENDESK_TIMESTAMP_TOLERANCE_MS });

  constructor(private readonly secrets: WebhookSecrets = {}) {}

  check(sender: WebhookSender, req: WebhookRequest): WebhookCheck {
    const secret = this.secrets[sender];
    if (!secret) return { refused: `${sender} webhooks are not accepted: no signing secret is configured (secret ${WEBHOOK_SECRET_NAMES[sender]})` };
    const refused = sender === 'shopify' ? shopifyRefusal(secret, req) : zendeskRefusal(secret, req);
    if (refused) return { refused };
    if (sender === 'shopify') return { duplicate: false };
    // By the signature's bytes: base64 decoding forgives padding and stray characters, the text would not repeat.
    const signature = Buffer.from(header(req.headers, 'x-zendesk-webhook-signature'), 'base64').toString('hex');
    if (this.seen.has(signature)) return { duplicate: true };
    this.seen.set(signature, true);
    return { duplicate: false };
  }
}

function shopifyRefusal(secret: string, req: WebhookRequest): string | undefined {
  const given = header(req.headers, 'x-shopify-hmac-sha256');
  if (!given) return 'missing X-Shopify-Hmac-Sha256 signature';
  return matches(given, hmac(secret, req.raw)) ? undefined : 'invalid webhook signature';
}

function zendeskRefusal(secret: string, req: WebhookRequest): string | undefined {
  const given = header(req.headers, 'x-zendesk-webhook-signature');
  const timestamp = header(req.headers, 'x-zendesk-webhook-signature-timestamp');
  if (!given || !timestamp) return 'missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp';
  const at = parseTimestamp(timestamp);
  if (at === undefined) return 'X-Zendesk-Webhook-Signature-Timestamp is not a date (expected ISO 8601, e.g. 2026-11-27T10:00:00Z)';
  if (Math.abs(req.now.getTime() - at) > ZENDESK_TIMESTAMP_TOLERANCE_MS) {
    return `webhook signature timestamp is more than ${ZENDESK_TIMESTAMP_TOLERANCE_MS / 60_000} minutes from this server's clock`;
  }
  return matches(given, hmac(secret, Buffer.concat([Buffer.from(timestamp, 'utf8'), req.raw]))) ? undefined : 'invalid webhook signature';
}

function hmac(secret: string, data: Buffer): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

function matches(givenBase64: string, expected: Buffer): boolean {
  const got = Buffer.from(givenBase64, 'base64');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
}

/** ISO 8601 (what Zendesk sends); plain digits are read as Unix seconds. */
function parseTimestamp(text: string): number | undefined {
  const ms = /^\d{1,12}$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}
