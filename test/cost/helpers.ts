// Synthetic JSONL traces: one root span per turn (with attributes.session_id) and child stage spans.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SpanRecord } from '../../src/traces/read.js';

let seq = 0;
const id = (n: number) => (++seq).toString(16).padStart(n, '0');

export function turnSpans(sessionId: string, start: string, costUsd = 0): SpanRecord[] {
  const traceId = id(32);
  const rootId = id(16);
  const base = { trace_id: traceId, start, duration_ms: 10, status: 'ok' as const, latency_ms: 10 };
  return [
    { ...base, span_id: rootId, name: 'chat', cost_usd: 0, attributes: { session_id: sessionId, turn: 1 } },
    { ...base, span_id: id(16), parent_span_id: rootId, name: 'intent-classifier.classify_intent', agent: 'intent-classifier', action: 'classify_intent', cost_usd: costUsd, attributes: {} },
    { ...base, span_id: id(16), parent_span_id: rootId, name: 'response-generator-en.generate', agent: 'response-generator-en', action: 'generate', cost_usd: 0, attributes: {} },
  ];
}

export async function writeTraces(dir: string, spans: SpanRecord[], file = 'traces-2026-11-10.jsonl'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, file), spans.map((s) => JSON.stringify(s)).join('\n') + '\n');
}
