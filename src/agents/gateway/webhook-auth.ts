// Who may publish events through the webhook endpoints. Each event drops cached orders, products or tickets, and a
// products event refetches the catalogue, so a webhook is accepted only when it carries the sender's signature — or,
// when no signing secret is configured, when it comes from this machine (a local environment's own tools and tests).
//  - Shopify: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body)), keyed with the app's API secret.
//  - Zendesk: X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(timestamp + raw body)), keyed with the webhook's
//    signing secret; X-Zendesk-Webhook-Signature-Timestamp must be near this clock, so a captured request cannot be
//    replayed later.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

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

/** How far a Zendesk signature timestamp may be from this clock. */
export const ZENDESK_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The peer's address, as the socket reports it. */
  remoteAddress: string | undefined;
  now: Date;
}

/** Why the request is refused, or undefined when it may publish. Never quotes a signature or the secret. */
export function webhookRefusal(sender: WebhookSender, secrets: WebhookSecrets, req: WebhookRequest): string | undefined {
  const secret = secrets[sender];
  if (!secret) {
    return isLoopback(req.remoteAddress)
      ? undefined
      : `webhooks from other machines need a signing secret: none is configured (secret ${WEBHOOK_SECRET_NAMES[sender]})`;
  }
  return sender === 'shopify' ? shopifyRefusal(secret, req) : zendeskRefusal(secret, req);
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

/** 127.0.0.0/8 (also IPv4-mapped: ::ffff:127.0.0.1) and ::1, as Node reports a peer's address. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}
