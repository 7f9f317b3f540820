// Wire shapes of the third-party APIs, as far as the clients read them. Every field the services may omit (e.g. with
// `fields=`) or send as null is optional here; the clients normalise defensively. The mocks serve these same shapes.

// ---- Shopify Admin REST ---------------------------------------------------------------------------------------------

export interface ShopifyVariantWire {
  id: number;
  product_id?: number;
  title?: string;
  price?: string | null;
  sku?: string | null;
  inventory_quantity?: number | null;
  inventory_policy?: string | null;
  inventory_management?: string | null;
  [key: string]: unknown;
}

export interface ShopifyProductWire {
  id: number;
  title?: string;
  body_html?: string | null;
  vendor?: string | null;
  product_type?: string | null;
  handle?: string | null;
  tags?: string | null;
  status?: string | null;
  variants?: ShopifyVariantWire[];
  [key: string]: unknown;
}

export interface ShopifyMetafieldWire {
  id?: number;
  namespace: string;
  key: string;
  /** A string for text types; Shopify may send number/boolean/JSON values as native JSON. */
  value: unknown;
  type?: string | null;
  owner_id?: number;
  owner_resource?: string;
  [key: string]: unknown;
}

export interface ShopifyAddressWire {
  country_code?: string | null;
  [key: string]: unknown;
}

export interface ShopifyCustomerWire {
  id: number;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  tags?: string | null;
  note?: string | null;
  orders_count?: number | null;
  total_spent?: string | null;
  locale?: string | null;
  default_address?: ShopifyAddressWire | null;
  addresses?: ShopifyAddressWire[];
  /** Not sent by the REST API; present in data-folder seeds (the mock serves them via metafields.json). */
  metafields?: ShopifyMetafieldWire[];
  [key: string]: unknown;
}

export interface ShopifyLineItemWire {
  id?: number;
  product_id?: number | null;
  variant_id?: number | null;
  title?: string | null;
  variant_title?: string | null;
  name?: string | null;
  quantity?: number;
  price?: string | null;
  sku?: string | null;
  [key: string]: unknown;
}

export interface ShopifyFulfillmentWire {
  id?: number;
  status?: string | null;
  tracking_company?: string | null;
  tracking_number?: string | null;
  tracking_numbers?: string[];
  tracking_url?: string | null;
  tracking_urls?: string[];
  shipment_status?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  /** Not in Shopify's documented REST shape; present in the demo data (equals updated_at when delivered). */
  delivered_at?: string | null;
  [key: string]: unknown;
}

export interface ShopifyRefundWire {
  id?: number;
  created_at?: string | null;
  processed_at?: string | null;
  note?: string | null;
  refund_line_items?: { subtotal?: string | number | null; total_tax?: string | number | null; [key: string]: unknown }[];
  order_adjustments?: { amount?: string | null; tax_amount?: string | null; kind?: string; [key: string]: unknown }[];
  transactions?: { kind?: string; status?: string; amount?: string | null; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface ShopifyMoneySetWire {
  shop_money?: { amount?: string | null; currency_code?: string | null };
}

export interface ShopifyOrderWire {
  id: number;
  name?: string | null;
  order_number?: number | null;
  email?: string | null;
  contact_email?: string | null;
  customer?: { id?: number | null; [key: string]: unknown } | null;
  created_at?: string | null;
  closed_at?: string | null;
  financial_status?: string | null;
  fulfillment_status?: string | null;
  cancelled_at?: string | null;
  currency?: string | null;
  subtotal_price?: string | null;
  total_tax?: string | null;
  total_price?: string | null;
  total_shipping_price_set?: ShopifyMoneySetWire | null;
  shipping_lines?: { price?: string | null; [key: string]: unknown }[];
  line_items?: ShopifyLineItemWire[];
  fulfillments?: ShopifyFulfillmentWire[];
  refunds?: ShopifyRefundWire[];
  [key: string]: unknown;
}

// ---- Zendesk Support API v2 --------------------------------------------------------------------------------------

export interface ZendeskTicketWire {
  id: number;
  url?: string;
  subject?: string | null;
  description?: string | null;
  status?: string | null;
  priority?: string | null;
  type?: string | null;
  requester_id?: number | null;
  submitter_id?: number | null;
  assignee_id?: number | null;
  group_id?: number | null;
  tags?: string[];
  custom_fields?: { id: number; value: unknown }[];
  via?: { channel?: string; [key: string]: unknown };
  created_at?: string | null;
  updated_at?: string | null;
  [key: string]: unknown;
}

export interface ZendeskUserWire {
  id: number;
  name?: string | null;
  email?: string | null;
  role?: string | null;
  [key: string]: unknown;
}

// ---- Mailchimp Marketing API 3.0 --------------------------------------------------------------------------------

export interface MailchimpListWire {
  id: string;
  name?: string;
  stats?: { member_count?: number; unsubscribe_count?: number; [key: string]: unknown };
  [key: string]: unknown;
}

export interface MailchimpMemberWire {
  id?: string;
  email_address: string;
  status?: string;
  language?: string | null;
  merge_fields?: Record<string, unknown>;
  tags?: ({ id?: number; name: string } | string)[];
  list_id?: string;
  [key: string]: unknown;
}
