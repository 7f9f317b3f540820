// Spans as JSON lines: every stage's inputs, outputs and reasoning go through the redactor on the way out, so a trace
// holds no raw PII even when a caller forgot to mask.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maskPii } from '../../../src/agents/pii/redact.js';
import { createTracing, startRoot, withSpan, type TraceRecord } from '../../../src/agents/runtime/tracing.js';
import { tempDir } from '../../helpers/cli.js';

describe('JSONL traces', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-tracing-')));
  afterEach(() => cleanup());

  async function traceOneStage(inputs: unknown, outputs: unknown, reasoning: string): Promise<{ line: string; record: TraceRecord }> {
    const tracing = createTracing({ dir, redact: maskPii });
    const { span, ctx } = startRoot(tracing.tracer, 'chat', { session_id: 's-1' });
    await withSpan(tracing.tracer, ctx, { agent: 'intent-classifier', action: 'classify_intent', inputs }, () => ({ value: 1, outputs, reasoning }));
    span.end();
    await tracing.flush();
    await tracing.shutdown();
    const text = (await Promise.all((await readdir(dir)).map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
    const line = text.split('\n').find((l) => l.includes('"classify_intent"'))!;
    return { line, record: JSON.parse(line) as TraceRecord };
  }

  it('masks PII in inputs and outputs that follows a line break or a tab, and numbers that are PII', async () => {
    const raw = 'call me:\n514-555-0123\tor\t4111111111111111';
    const { line, record } = await traceOneStage({ message: raw, card: 4111111111111111 }, { lines: [raw] }, raw);
    for (const secret of ['514-555-0123', '4111111111111111']) expect(line).not.toContain(secret);
    expect(record.inputs).toEqual({ message: 'call me:\n[PHONE]\tor\t[CARD]', card: '[CARD]' });
    expect(record.outputs).toEqual({ lines: ['call me:\n[PHONE]\tor\t[CARD]'] });
    expect(record.reasoning).toBe('call me:\n[PHONE]\tor\t[CARD]');
  });

  it('keeps the shape of what it records: numbers, booleans, nulls and a "__proto__" member', async () => {
    const { record } = await traceOneStage({ n: 3, ok: true, none: null, ['__proto__']: 'x' }, JSON.parse('{"__proto__": {"a": 1}}'), 'top greeting');
    const inputs = record.inputs as Record<string, unknown>;
    expect(Object.keys(inputs)).toEqual(['n', 'ok', 'none', '__proto__']);
    expect([inputs.n, inputs.ok, inputs.none, Object.getOwnPropertyDescriptor(inputs, '__proto__')?.value]).toEqual([3, true, null, 'x']);
    expect(Object.keys(record.outputs as object)).toEqual(['__proto__']);
  });
});
