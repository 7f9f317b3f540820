// Shared fixtures for the intent agent's tests: the dev set (measured, never trained on) and the demo catalogue.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Intent, Language, Product } from '../../../src/agents/runtime/contracts.js';

const root = path.resolve(import.meta.dirname, '../../..');

export interface Example {
  text: string;
  intent: Intent;
  language: Language;
}

export function devSet(): Example[] {
  const dev = JSON.parse(readFileSync(path.join(root, 'src/agents/intent/corpus/dev.json'), 'utf8')) as Record<Intent, Record<Language, string[]>>;
  const out: Example[] = [];
  for (const [intent, byLang] of Object.entries(dev) as [Intent, Record<Language, string[]>][])
    for (const language of ['en', 'fr', 'es'] as const) for (const text of byLang[language]) out.push({ text, intent, language });
  return out;
}

interface RawProduct {
  id: number;
  title: string;
  handle: string;
  product_type: string;
  vendor: string;
  tags: string;
  status: string;
}

/** The demo shop's 28 products, in the runtime's Product shape. */
export function demoProducts(): Product[] {
  const raw = JSON.parse(readFileSync(path.join(root, 'data/demo-shop/shopify/products.json'), 'utf8')) as { products: RawProduct[] };
  return raw.products.map((p) => ({
    id: p.id,
    title: p.title,
    handle: p.handle,
    type: p.product_type,
    vendor: p.vendor,
    tags: p.tags.split(',').map((t) => t.trim()).filter(Boolean),
    description: '',
    status: p.status,
    variants: [],
  }));
}
