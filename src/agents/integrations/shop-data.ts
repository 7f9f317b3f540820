// A shop's data folder: shop.json (identity + policy numbers) and the raw service exports that seed the mocks.
//
//   shop.json                         required by loadShop
//   shopify/{products,customers,orders}.json   required by loadDataFolder
//   zendesk/{tickets,users}.json, mailchimp/lists.json   optional (missing → empty)
//
// Every problem is reported as a ShopDataError naming the file and the field (e.g.
// `shopify/orders.json: orders[3].line_items[0].price (#10215): Invalid input: expected string, received number`).

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Shop, ShopPolicy } from '../runtime/contracts.js';
import type {
  MailchimpListWire,
  MailchimpMemberWire,
  ShopifyCustomerWire,
  ShopifyOrderWire,
  ShopifyProductWire,
  ZendeskTicketWire,
  ZendeskUserWire,
} from './wire.js';

export class ShopDataError extends Error {
  override readonly name = 'ShopDataError';
  /** Path of the file relative to the data folder (or "policy overrides"). */
  readonly file: string;
  /** Dotted path of the first offending field, when the problem is a field. */
  readonly field: string | undefined;
  readonly issues: { field: string; message: string }[];

  constructor(file: string, issues: { field: string; message: string }[], headline?: string) {
    const shown = issues.slice(0, 5).map((i) => (i.field ? `${i.field}: ${i.message}` : i.message));
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super(`${file}: ${headline ?? shown.join('; ')}${headline ? '' : more}`);
    this.file = file;
    this.field = issues[0]?.field || undefined;
    this.issues = issues;
  }
}

// ---- shop.json ------------------------------------------------------------------------------------------------------

const amount = z.number().finite().nonnegative();

export const shopPolicySchema = z.object({
  returnWindowDays: z.int().nonnegative(),
  autoApproveReturnLimit: amount,
  freeShippingThreshold: amount,
  loyalty: z.object({
    pointsPerDollar: amount,
    redeemPoints: z.int().positive(),
    redeemValue: amount,
    tiers: z
      .array(z.object({ name: z.string().min(1), minPoints: z.int().nonnegative() }))
      .min(1, 'at least one tier is required')
      .refine((tiers) => new Set(tiers.map((t) => t.minPoints)).size === tiers.length, 'two tiers share minPoints'),
  }),
  giftCards: z
    .object({ min: amount, max: amount })
    .refine((g) => g.min <= g.max, { message: 'min is greater than max', path: ['min'] }),
});

export const shopFileSchema = z.looseObject({
  name: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "USD"'),
  supportEmail: z.email().optional(),
  supportPhone: z.string().regex(/^\+?[\d\s().-]{6,20}$/, 'expected a phone number such as "+15095550142"').optional(),
  timezone: z.string().refine(isTimeZone, 'expected an IANA time zone such as "America/Los_Angeles"').optional(),
  policy: shopPolicySchema,
});

type DeepPartial<T> = T extends (infer U)[] ? U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
/** Config-level policy overrides; arrays (loyalty tiers) replace, objects merge. */
export type PolicyOverrides = DeepPartial<ShopPolicy>;

/** Reads and validates `<dataDir>/shop.json`, merging policy overrides (from config) over the file's policy. */
export function loadShop(dataDir: string, policyOverrides?: PolicyOverrides): Shop {
  const file = 'shop.json';
  const raw = readJson(dataDir, file, { required: true });
  const merged =
    policyOverrides && isRecord(raw) ? { ...raw, policy: deepMerge(raw.policy, policyOverrides) } : raw;
  const parsed = shopFileSchema.safeParse(merged);
  if (!parsed.success) {
    // Blame the override when the offending field came from it.
    const fromOverride = (p: PropertyKey[]): boolean =>
      p[0] === 'policy' && policyOverrides !== undefined && hasPath(policyOverrides, p.slice(1));
    const first = parsed.error.issues[0];
    const source = first && fromOverride(first.path) ? 'policy overrides' : file;
    throw new ShopDataError(source, issuesOf(parsed.error, merged));
  }
  const data = parsed.data;
  const policy: ShopPolicy = {
    ...data.policy,
    loyalty: { ...data.policy.loyalty, tiers: [...data.policy.loyalty.tiers].sort((a, b) => a.minPoints - b.minPoints) },
  };
  const shop: Shop = { name: data.name, currency: data.currency, policy };
  if (data.supportEmail) shop.supportEmail = data.supportEmail;
  if (data.supportPhone) shop.supportPhone = data.supportPhone;
  if (data.timezone) shop.timeZone = data.timezone;
  return shop;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// ---- service exports ------------------------------------------------------------------------------------------------

const id = z.int().positive();
const moneyString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string such as "12.50"');
const nullableString = z.string().nullable().optional();

const productsSchema = z.looseObject({
  products: z.array(
    z.looseObject({
      id,
      title: z.string().min(1),
      handle: nullableString,
      tags: nullableString,
      status: nullableString,
      variants: z.array(
        z.looseObject({
          id,
          title: z.string(),
          price: moneyString,
          sku: nullableString,
          inventory_quantity: z.int().nullable().optional(),
        }),
      ),
    }),
  ),
});

const metafieldSchema = z.looseObject({
  namespace: z.string().min(1),
  key: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean()]),
  type: nullableString,
});

const customersSchema = z.looseObject({
  customers: z.array(
    z.looseObject({
      id,
      email: z.string().min(3),
      first_name: nullableString,
      last_name: nullableString,
      tags: nullableString,
      metafields: z.array(metafieldSchema).optional(),
    }),
  ),
});

const ordersSchema = z.looseObject({
  orders: z.array(
    z.looseObject({
      id,
      name: z.string().min(1),
      order_number: z.int(),
      email: z.string(),
      created_at: z.string().min(1),
      closed_at: nullableString,
      cancelled_at: nullableString,
      financial_status: z.string(),
      fulfillment_status: nullableString,
      currency: z.string(),
      subtotal_price: moneyString,
      total_tax: moneyString,
      total_price: moneyString,
      customer: z.looseObject({ id }).nullable().optional(),
      line_items: z.array(z.looseObject({ quantity: z.int().positive(), price: moneyString, title: z.string() })),
      fulfillments: z
        .array(z.looseObject({ created_at: z.string(), shipment_status: nullableString, tracking_number: nullableString }))
        .optional(),
      refunds: z
        .array(
          z.looseObject({
            created_at: z.string(),
            transactions: z.array(z.looseObject({ amount: moneyString })).optional(),
            refund_line_items: z.array(z.looseObject({ subtotal: z.union([moneyString, z.number()]) })).optional(),
          }),
        )
        .optional(),
    }),
  ),
});

const ticketsSchema = z.looseObject({
  tickets: z.array(
    z.looseObject({
      id,
      subject: z.string(),
      status: z.string(),
      priority: z.enum(['urgent', 'high', 'normal', 'low']).nullable().optional(),
      requester_id: id,
      tags: z.array(z.string()).optional(),
      created_at: z.string().min(1),
    }),
  ),
});

const usersSchema = z.looseObject({
  users: z.array(z.looseObject({ id, name: z.string(), email: z.string().nullable().optional(), role: z.string() })),
});

const listsSchema = z.looseObject({
  lists: z.array(
    z.looseObject({
      id: z.string().min(1),
      name: z.string(),
      members: z
        .array(
          z.looseObject({
            email_address: z.string().min(3),
            status: z.enum(['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional', 'archived']),
            merge_fields: z.record(z.string(), z.unknown()).optional(),
          }),
        )
        .optional(),
    }),
  ),
});

export interface MailchimpListSeed extends MailchimpListWire {
  members: MailchimpMemberWire[];
}

/** The raw service exports of a data folder, validated (wire shapes, as the real APIs return them). */
export interface DataFolder {
  dir: string;
  shopify: { products: ShopifyProductWire[]; customers: ShopifyCustomerWire[]; orders: ShopifyOrderWire[] };
  zendesk: { tickets: ZendeskTicketWire[]; users: ZendeskUserWire[] };
  mailchimp: { lists: MailchimpListSeed[] };
}

/** Reads every service export of a data folder (used by the mocks). */
export function loadDataFolder(dataDir: string): DataFolder {
  const dir = path.resolve(dataDir);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new ShopDataError(dataDir, [], `data folder not found (${dir})`);

  const products = parseFile(dir, 'shopify/products.json', productsSchema, true).products as ShopifyProductWire[];
  const customers = parseFile(dir, 'shopify/customers.json', customersSchema, true).customers as ShopifyCustomerWire[];
  const orders = parseFile(dir, 'shopify/orders.json', ordersSchema, true).orders as ShopifyOrderWire[];
  const tickets = (parseFile(dir, 'zendesk/tickets.json', ticketsSchema, false)?.tickets ?? []) as ZendeskTicketWire[];
  const users = (parseFile(dir, 'zendesk/users.json', usersSchema, false)?.users ?? []) as ZendeskUserWire[];
  const lists = (parseFile(dir, 'mailchimp/lists.json', listsSchema, false)?.lists ?? []).map(
    (l) => ({ ...l, members: l.members ?? [] }) as MailchimpListSeed,
  );

  uniqueIds('shopify/products.json', 'products', products);
  uniqueIds(
    'shopify/products.json',
    'variants',
    products.flatMap((p) => p.variants ?? []),
  );
  uniqueIds('shopify/customers.json', 'customers', customers);
  uniqueIds('shopify/orders.json', 'orders', orders);
  uniqueBy('shopify/orders.json', 'orders', orders, 'name', (o) => o.name);
  uniqueIds('zendesk/tickets.json', 'tickets', tickets);
  uniqueIds('zendesk/users.json', 'users', users);
  uniqueBy('mailchimp/lists.json', 'lists', lists, 'id', (l) => l.id);

  return {
    dir,
    shopify: { products, customers, orders },
    zendesk: { tickets, users },
    mailchimp: { lists },
  };
}

// ---- helpers ----------------------------------------------------------------------------------------------------------

function parseFile<S extends z.ZodType>(dir: string, file: string, schema: S, required: true): z.infer<S>;
function parseFile<S extends z.ZodType>(dir: string, file: string, schema: S, required: false): z.infer<S> | undefined;
function parseFile<S extends z.ZodType>(dir: string, file: string, schema: S, required: boolean): z.infer<S> | undefined {
  const raw = readJson(dir, file, { required });
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ShopDataError(file, issuesOf(parsed.error, raw));
  return parsed.data;
}

function readJson(dir: string, file: string, options: { required: boolean }): unknown {
  const full = path.join(dir, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' && !options.required) return undefined;
    throw new ShopDataError(
      file,
      [],
      code === 'ENOENT' ? `file not found in ${path.resolve(dir)}` : `cannot read (${code ?? String(error)})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ShopDataError(file, [], `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function issuesOf(error: z.ZodError, root: unknown): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: formatPath(issue.path) + recordLabel(root, issue.path),
    message: issue.message,
  }));
}

function formatPath(p: PropertyKey[]): string {
  let out = '';
  for (const key of p) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** " (#10215)" / " (olivia@…)" / " (id 5101)" for the top-level record a field belongs to. */
function recordLabel(root: unknown, p: PropertyKey[]): string {
  if (p.length < 3 || typeof p[1] !== 'number' || !isRecord(root)) return '';
  const list = root[String(p[0])];
  const record = Array.isArray(list) ? (list[p[1]] as unknown) : undefined;
  if (!isRecord(record)) return '';
  for (const key of ['name', 'email', 'email_address', 'title']) {
    const value = record[key];
    if (typeof value === 'string' && value) return ` (${value})`;
  }
  return typeof record.id === 'number' || typeof record.id === 'string' ? ` (id ${record.id})` : '';
}

function uniqueIds(file: string, what: string, items: { id: number }[]): void {
  uniqueBy(file, what, items, 'id', (item) => item.id);
}

function uniqueBy<T>(file: string, what: string, items: T[], field: string, key: (item: T) => unknown): void {
  const seen = new Map<unknown, number>();
  items.forEach((item, index) => {
    const value = key(item);
    if (value === undefined || value === null) return;
    const earlier = seen.get(value);
    if (earlier !== undefined) {
      throw new ShopDataError(file, [
        { field: `${what}[${index}].${field}`, message: `duplicate ${field} ${String(value)} (also ${what}[${earlier}])` },
      ]);
    }
    seen.set(value, index);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    out[key] = deepMerge(base[key], value);
  }
  return out;
}

function hasPath(value: unknown, p: PropertyKey[]): boolean {
  let current: unknown = value;
  for (const key of p) {
    if (current === null || typeof current !== 'object') return false;
    if (!(String(key) in (current as object))) return false;
    current = (current as Record<string, unknown>)[String(key)];
  }
  return true;
}
