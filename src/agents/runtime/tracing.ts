// Tracing: every pipeline stage is an OpenTelemetry span carrying agent, action, inputs, outputs, reasoning,
// latency_ms and cost_usd. Spans are exported as JSONL (one file per day under the traces folder); every string
// passes through the redactor on the way out, so a trace never holds raw PII even if a caller forgot.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { SpanStatusCode, trace, ROOT_CONTEXT, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

export type Redactor = (text: string) => string;

/** What a stage's span says before it runs; outputs, reasoning and cost come from the stage's result. */
export interface StageRecord {
  agent: string;
  action: string;
  inputs?: unknown;
}

/** Writes spans as JSON lines, one file per UTC day. */
export class JsonlFileExporter implements SpanExporter {
  private writes: Promise<void> = Promise.resolve();
  constructor(
    private readonly dir: string,
    private readonly redact: Redactor,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const byFile = new Map<string, string[]>();
    for (const span of spans) {
      const line = JSON.stringify(spanToRecord(span, this.redact));
      const day = new Date(hrTimeToMs(span.startTime)).toISOString().slice(0, 10);
      const file = path.join(this.dir, `traces-${day}.jsonl`);
      byFile.set(file, [...(byFile.get(file) ?? []), line]);
    }
    this.writes = this.writes
      .then(async () => {
        await mkdir(this.dir, { recursive: true });
        for (const [file, lines] of byFile) await appendFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
      })
      .then(
        () => done({ code: ExportResultCode.SUCCESS }),
        (error: Error) => done({ code: ExportResultCode.FAILED, error }),
      );
  }

  async shutdown(): Promise<void> {
    await this.writes;
  }

  async forceFlush(): Promise<void> {
    await this.writes;
  }
}

export interface TraceRecord {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  start: string;
  duration_ms: number;
  status: 'ok' | 'error';
  error?: string;
  agent?: string;
  action?: string;
  inputs?: unknown;
  outputs?: unknown;
  reasoning?: string;
  latency_ms: number;
  cost_usd: number;
  attributes: Record<string, unknown>;
}

const hrTimeToMs = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;

function spanToRecord(span: ReadableSpan, redact: Redactor): TraceRecord {
  const a = span.attributes;
  const duration = hrTimeToMs(span.duration);
  const parse = (v: unknown) => (typeof v === 'string' ? safeJson(redact(v)) : v);
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) {
    if (!['agent', 'action', 'inputs', 'outputs', 'reasoning', 'cost_usd'].includes(k)) rest[k] = typeof v === 'string' ? redact(v) : v;
  }
  return {
    trace_id: span.spanContext().traceId,
    span_id: span.spanContext().spanId,
    parent_span_id: span.parentSpanContext?.spanId,
    name: span.name,
    start: new Date(hrTimeToMs(span.startTime)).toISOString(),
    duration_ms: round(duration),
    status: span.status.code === SpanStatusCode.ERROR ? 'error' : 'ok',
    error: span.status.message ? redact(span.status.message) : undefined,
    agent: a.agent as string | undefined,
    action: a.action as string | undefined,
    inputs: parse(a.inputs),
    outputs: parse(a.outputs),
    reasoning: typeof a.reasoning === 'string' ? redact(a.reasoning) : undefined,
    latency_ms: round(duration),
    cost_usd: typeof a.cost_usd === 'number' ? a.cost_usd : 0,
    attributes: rest,
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export interface Tracing {
  tracer: Tracer;
  /** Spans kept in memory as well (tests, `mac dev` summaries). */
  memory?: InMemorySpanExporter;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function createTracing(opts: { dir?: string; redact: Redactor; keepInMemory?: boolean }): Tracing {
  const processors = [];
  if (opts.dir) {
    processors.push(
      new BatchSpanProcessor(new JsonlFileExporter(opts.dir, opts.redact), {
        maxQueueSize: 8192,
        maxExportBatchSize: 1024,
        scheduledDelayMillis: 500,
      }),
    );
  }
  const memory = opts.keepInMemory ? new InMemorySpanExporter() : undefined;
  if (memory) processors.push(new BatchSpanProcessor(memory, { scheduledDelayMillis: 50 }));
  const provider = new BasicTracerProvider({ spanProcessors: processors });
  return {
    tracer: provider.getTracer('mac-platform'),
    memory,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** A request's root span, and the context its stages hang under. */
export function startRoot(tracer: Tracer, name: string, attributes: Attributes): { span: Span; ctx: Context } {
  const span = tracer.startSpan(name, { attributes }, ROOT_CONTEXT);
  return { span, ctx: trace.setSpan(ROOT_CONTEXT, span) };
}

/**
 * Runs one stage inside a span that always ends, records errors, and carries the stage record.
 * `fn` returns the value and (optionally) the record's outputs/reasoning/cost.
 */
export async function withSpan<T>(
  tracer: Tracer,
  parent: Context,
  record: StageRecord,
  fn: () => Promise<{ value: T; outputs?: unknown; reasoning?: string; cost_usd?: number }> | { value: T; outputs?: unknown; reasoning?: string; cost_usd?: number },
): Promise<T> {
  const span = tracer.startSpan(`${record.agent}.${record.action}`, undefined, parent);
  span.setAttribute('agent', record.agent);
  span.setAttribute('action', record.action);
  if (record.inputs !== undefined) span.setAttribute('inputs', JSON.stringify(record.inputs));
  try {
    const result = await fn();
    if (result.outputs !== undefined) span.setAttribute('outputs', JSON.stringify(result.outputs));
    if (result.reasoning) span.setAttribute('reasoning', result.reasoning);
    span.setAttribute('cost_usd', result.cost_usd ?? 0);
    return result.value;
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
