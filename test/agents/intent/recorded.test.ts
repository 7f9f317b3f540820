// Entities and sentiment of the dev set and the shipped scenarios' messages, in every language, against a record
// of what they were. Both now read per-token records (tokens.ts), so comparing them with themselves proves nothing:
// the record was made by the code before those fast paths. A deliberate change of results is recorded again with
//   MAC_RECORD_INTENT=1 npx vitest run test/agents/intent/recorded.test.ts
// and the fixture's diff reviewed like code.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractEntities, indexProducts } from '../../../src/agents/intent/entities.js';
import { analyzeSentiment } from '../../../src/agents/intent/sentiment.js';
import { LANGUAGES } from '../../../src/agents/runtime/contracts.js';
import { demoProducts, devSet } from './helpers.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/entities-sentiment.json');
const root = path.resolve(import.meta.dirname, '../../..');

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);

function recordedTexts(): string[] {
  const scenarios = JSON.parse(readFileSync(path.join(root, 'scenarios/demo-shop.json'), 'utf8')) as { scenarios: { turns: { message: string }[] }[] };
  const texts = [...devSet().map((d) => d.text), ...scenarios.scenarios.flatMap((s) => s.turns.map((t) => t.message))];
  return [...new Set(texts)];
}

/** Per text (by digest): the digest of its entities and sentiment in each language. */
function current(): Record<string, string> {
  const ctx = { products: indexProducts(demoProducts()) };
  const out: Record<string, string> = {};
  for (const text of recordedTexts()) {
    out[digest(text)] = digest(LANGUAGES.map((lang) => ({ entities: extractEntities(text, lang, ctx), sentiment: analyzeSentiment(text, lang) })));
  }
  return out;
}

describe('intent entities and sentiment', () => {
  it('are what the record says for every dev-set and scenario message in every language', () => {
    const now = current();
    if (process.env.MAC_RECORD_INTENT) writeFileSync(FIXTURE, `${JSON.stringify(now, null, 1)}\n`);
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string>;
    expect(Object.keys(now).length).toBeGreaterThan(900);
    expect(recordedTexts().filter((text) => recorded[digest(text)] !== now[digest(text)])).toEqual([]);
  });
});
