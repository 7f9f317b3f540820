// Integrations: real clients for Shopify Admin REST, Zendesk, Mailchimp and GA4, the shop data folder, and mocks.

export * from './http.js';
export * from './shopify.js';
export * from './zendesk.js';
export * from './mailchimp.js';
export * from './ga4.js';
export * from './shop-data.js';
export type * from './wire.js';
