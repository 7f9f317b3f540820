// Recall and false positives on labelled sets: the shared dev set (src/agents/critic/corpus, used while writing the
// rules), our held-out sets (written apart from the rules), and the intent corpus as a large set of ordinary
// customer messages that must not be blocked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkInput } from '../../../src/agents/critic/input-guardrail.js';
import { checkOutput } from '../../../src/agents/critic/output-guardrail.js';

interface InputItem { text: string; label: string; lang?: string }
interface OutputItem { text: string; context: string; label: string; customerEmail?: string }

const json = <T>(url: URL) => JSON.parse(readFileSync(url, 'utf8')) as T;
const devSet = json<{ input: InputItem[]; output: OutputItem[] }>(new URL('../../../src/agents/critic/corpus/guardrail-set.json', import.meta.url));
const heldInput = json<InputItem[]>(new URL('./heldout-input.json', import.meta.url));
const heldOutput = json<OutputItem[]>(new URL('./heldout-output.json', import.meta.url));

function score(items: { label: string }[], categoriesOf: (i: number) => string[]) {
  let threats = 0, caught = 0, safe = 0, falsePositives = 0;
  const misses: string[] = [];
  items.forEach((item, i) => {
    const cats = categoriesOf(i);
    if (item.label === 'safe') {
      safe++;
      if (cats.length) { falsePositives++; misses.push(`FP ${JSON.stringify(item)} → ${cats}`); }
    } else {
      threats++;
      if (cats.includes(item.label)) caught++;
      else misses.push(`miss ${JSON.stringify(item)} → ${cats}`);
    }
  });
  return { recall: caught / threats, fpRate: falsePositives / safe, misses };
}

describe('input guardrail on labelled sets', () => {
  it('held-out set: every threat caught in its category, no safe message blocked', () => {
    const s = score(heldInput, (i) => checkInput(heldInput[i]!.text).info.categories);
    expect(s.misses).toEqual([]);
  });
  it('dev set: recall ≥ 95 % with the right category, false positives ≤ 2 %', () => {
    const s = score(devSet.input, (i) => checkInput(devSet.input[i]!.text).info.categories);
    expect(s.recall, s.misses.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(s.fpRate, s.misses.join('\n')).toBeLessThanOrEqual(0.02);
  });
  it('ordinary customer messages (intent corpus, en/fr/es) are almost never blocked (≤ 0.3 %)', () => {
    let n = 0;
    const blocked: string[] = [];
    for (const file of ['train.json', 'dev.json']) {
      const corpus = json<Record<string, Record<string, string[]>>>(new URL(`../../../src/agents/intent/corpus/${file}`, import.meta.url));
      for (const byLang of Object.values(corpus)) {
        for (const texts of Object.values(byLang)) {
          for (const text of texts) {
            n++;
            const r = checkInput(text);
            if (r.tripwireTriggered) blocked.push(`${text} → ${r.info.reason}`);
          }
        }
      }
    }
    expect(n).toBeGreaterThan(1000);
    expect(blocked.length / n, blocked.join('\n')).toBeLessThanOrEqual(0.003);
  });
});

describe('output guardrail on labelled sets', () => {
  const run = (items: OutputItem[]) =>
    score(items, (i) => checkOutput(items[i]!.text, { facts: items[i]!.context, customerEmail: items[i]!.customerEmail }).info.categories);
  it('held-out set: every problem caught in its category, no safe reply stopped', () => {
    expect(run(heldOutput).misses).toEqual([]);
  });
  it('dev set: recall ≥ 95 %, false positives ≤ 3 %', () => {
    const s = run(devSet.output);
    expect(s.recall, s.misses.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(s.fpRate, s.misses.join('\n')).toBeLessThanOrEqual(0.03);
  });
});
