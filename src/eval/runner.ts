// Runs scenarios against a gateway over HTTP and checks each turn's expectations.
import type { ChatResponse } from '../agents/runtime/contracts.js';
import type { Expectation, Scenario } from './scenarios.js';

export interface TurnResult {
  message: string;
  failures: string[];
  response?: Pick<ChatResponse, 'response' | 'intent' | 'confidence' | 'language' | 'escalated' | 'blocked'>;
}

export interface ScenarioResult {
  id: string;
  priority: string;
  passed: boolean;
  turns: TurnResult[];
}

export interface EvalReport {
  url: string;
  total: number;
  passed: number;
  pass_rate: number;
  by_priority: Record<string, { total: number; passed: number; pass_rate: number }>;
  failures: { id: string; turn: number; message: string; failures: string[] }[];
  results: ScenarioResult[];
}

export function check(expect: Expectation, r: ChatResponse): string[] {
  const failures: string[] = [];
  const text = r.response.toLowerCase();
  if (expect.intent) {
    const allowed = Array.isArray(expect.intent) ? expect.intent : [expect.intent];
    if (!allowed.includes(r.intent)) failures.push(`intent ${r.intent}, expected ${allowed.join(' or ')}`);
  }
  if (expect.min_confidence !== undefined && r.confidence < expect.min_confidence) {
    failures.push(`confidence ${r.confidence} < ${expect.min_confidence}`);
  }
  for (const s of expect.contains ?? []) if (!text.includes(s.toLowerCase())) failures.push(`response lacks "${s}"`);
  for (const s of expect.not_contains ?? []) if (text.includes(s.toLowerCase())) failures.push(`response contains "${s}"`);
  if (expect.escalated !== undefined && r.escalated !== expect.escalated) failures.push(`escalated ${r.escalated}, expected ${expect.escalated}`);
  if (expect.blocked !== undefined && r.blocked !== expect.blocked) failures.push(`blocked ${r.blocked}, expected ${expect.blocked}`);
  if (expect.language && r.language !== expect.language) failures.push(`language ${r.language}, expected ${expect.language}`);
  return failures;
}

async function runScenario(url: string, s: Scenario, runId: string): Promise<ScenarioResult> {
  const sessionId = `eval-${runId}-${s.id}`.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 128);
  const turns: TurnResult[] = [];
  for (const turn of s.turns) {
    const body = { message: turn.message, session_id: sessionId, customer_email: s.customer_email, language: s.language };
    try {
      const res = await fetch(new URL('/v1/chat', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      if (!res.ok) {
        turns.push({ message: turn.message, failures: [`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`] });
        continue;
      }
      const r = (await res.json()) as ChatResponse;
      const { response, intent, confidence, language, escalated, blocked } = r;
      turns.push({ message: turn.message, failures: check(turn.expect, r), response: { response, intent, confidence, language, escalated, blocked } });
    } catch (err) {
      turns.push({ message: turn.message, failures: [`request failed: ${(err as Error).message}`] });
    }
  }
  return { id: s.id, priority: s.priority, passed: turns.every((t) => t.failures.length === 0), turns };
}

export async function runScenarios(url: string, scenarios: Scenario[], opts: { concurrency?: number; onResult?: (r: ScenarioResult) => void } = {}): Promise<EvalReport> {
  const runId = Date.now().toString(36);
  const results: ScenarioResult[] = new Array(scenarios.length);
  let next = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const i = next++;
      const r = await runScenario(url, scenarios[i] as Scenario, runId);
      results[i] = r;
      opts.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, scenarios.length) }, worker));
  const by: EvalReport['by_priority'] = {};
  for (const r of results) {
    const b = (by[r.priority] ??= { total: 0, passed: 0, pass_rate: 0 });
    b.total += 1;
    if (r.passed) b.passed += 1;
  }
  for (const b of Object.values(by)) b.pass_rate = round(b.passed / b.total);
  const passed = results.filter((r) => r.passed).length;
  return {
    url,
    total: results.length,
    passed,
    pass_rate: round(passed / results.length),
    by_priority: Object.fromEntries(Object.entries(by).sort(([a], [b]) => a.localeCompare(b))),
    failures: results.flatMap((r) =>
      r.turns.flatMap((t, i) => (t.failures.length > 0 ? [{ id: r.id, turn: i + 1, message: t.message, failures: t.failures }] : [])),
    ),
    results,
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
