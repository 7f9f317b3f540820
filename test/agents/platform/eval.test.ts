// The shipped scenarios, end to end against the real platform: the bar is a 95 % pass rate.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../../src/eval/runner.js';
import { loadScenarioFile } from '../../../src/eval/scenarios.js';
import { DEMO_TODAY, demoPlatform } from './helpers.js';

let p: Awaited<ReturnType<typeof demoPlatform>>;
beforeAll(async () => {
  p = await demoPlatform();
});
afterAll(() => p.cleanup());

describe('shipped scenarios', () => {
  it('pass at 95 % or more', async () => {
    const { scenarios, today } = await loadScenarioFile(path.resolve(import.meta.dirname, '../../../scenarios/demo-shop.json'));
    expect(today).toBe(DEMO_TODAY.toISOString().slice(0, 10));
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    const report = await runScenarios(p.url, scenarios, { concurrency: 4 });
    const failures = report.failures.map((f) => `${f.id}#${f.turn}: ${f.failures.join('; ')}`);
    expect(report.pass_rate, failures.join('\n')).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
