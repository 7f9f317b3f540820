// Tracing: every pipeline stage is an OpenTelemetry span carrying agent, action, inputs, outputs, reasoning,
// latency_ms and cost_usd. Spans are exported as JSONL (one file per day under the traces folder); every string
// passes through the redactor on the way out, so a trace never holds raw PII even if a caller forgot. The redactor
// must be a pure function of its input: its results are remembered.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { SpanStatusCode, trace, ROOT_CONTEXT, type Attributes, type AttributeValue, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { LRUCache } from 'lru-cache';
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

/** Writes spans as JSON lines (TraceRecord), one file per UTC day. */
export class JsonlFileExporter implements SpanExporter {
  private writes: Promise<void> = Promise.resolve();
  private readonly lines: TraceLines;
  private readonly files = new Map<string, string>();
  constructor(
    private readonly dir: string,
    redact: Redactor,
  ) {
    this.lines = new TraceLines(redact);
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const byFile = new Map<string, string[]>();
    for (const span of spans) {
      const start = new Date(hrTimeToMs(span.startTime)).toISOString();
      const file = this.fileOf(start.slice(0, 10));
      let lines = byFile.get(file);
      if (!lines) byFile.set(file, (lines = []));
      lines.push(this.lines.of(span, start));
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

  private fileOf(day: string): string {
    let file = this.files.get(day);
    if (!file) this.files.set(day, (file = path.join(this.dir, `traces-${day}.jsonl`)));
    return file;
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

/** The attributes with a field of their own in a TraceRecord; the others go under `attributes`. */
const RECORD_FIELDS = new Set(['agent', 'action', 'inputs', 'outputs', 'reasoning', 'cost_usd']);

/**
 * A span as its TraceRecord's JSON line, written directly: the line JSON.stringify would give for the record whose
 * strings are redacted and whose `inputs`/`outputs` (JSON text) are parsed, their strings and numbers redacted (text
 * that does not parse stays a string, redacted). Stage spans repeat the same attribute strings ('{"is_safe":true,"threats":[]}', the same
 * reasoning…), so each string's redacted JSON is remembered: the redactor is a pure function of its input.
 */
class TraceLines {
  private readonly texts = new LRUCache<string, string>({ max: 4096 });
  private readonly jsons = new LRUCache<string, string>({ max: 4096 });
  constructor(private readonly redact: Redactor) {}

  of(span: ReadableSpan, start: string): string {
    const a = span.attributes;
    const { traceId, spanId } = span.spanContext();
    const duration = JSON.stringify(round(hrTimeToMs(span.duration)));
    const error = span.status.message ? `,"error":${this.text(span.status.message)}` : '';
    const reasoning = typeof a.reasoning === 'string' ? `,"reasoning":${this.text(a.reasoning)}` : '';
    const cost = typeof a.cost_usd === 'number' ? a.cost_usd : 0;
    return (
      `{"trace_id":${JSON.stringify(traceId)},"span_id":${JSON.stringify(spanId)}${field('parent_span_id', span.parentSpanContext?.spanId)}` +
      `,"name":${JSON.stringify(span.name)},"start":${JSON.stringify(start)},"duration_ms":${duration}` +
      `,"status":${span.status.code === SpanStatusCode.ERROR ? '"error"' : '"ok"'}${error}` +
      `${field('agent', a.agent)}${field('action', a.action)}${this.parsed('inputs', a.inputs)}${this.parsed('outputs', a.outputs)}${reasoning}` +
      `,"latency_ms":${duration},"cost_usd":${JSON.stringify(cost)},"attributes":{${this.others(a)}}}`
    );
  }

  /** The other attributes, strings redacted, in the order JSON.stringify gives an object's keys. */
  private others(a: Attributes): string {
    const members: string[] = [];
    for (const [k, v] of Object.entries(a)) {
      // `__proto__` never became a property of the record's attributes object.
      if (RECORD_FIELDS.has(k) || k === '__proto__') continue;
      const json = typeof v === 'string' ? this.text(v) : JSON.stringify(v);
      if (json !== undefined) members.push(`${JSON.stringify(k)}:${json}`);
    }
    return members.join(',');
  }

  private text(s: string): string {
    let json = this.texts.get(s);
    if (json === undefined) this.texts.set(s, (json = JSON.stringify(this.redact(s))));
    return json;
  }

  /** A JSON-text attribute, parsed and redacted: `,"key":value`, or nothing when absent. */
  private parsed(key: string, v: AttributeValue | undefined): string {
    if (typeof v !== 'string') return field(key, v);
    let json = this.jsons.get(v);
    if (json === undefined) this.jsons.set(v, (json = JSON.stringify(redactValues(safeJson(v), this.redact))));
    return `,"${key}":${json}`;
  }
}

/**
 * Every string and number in a parsed value, redacted. The values are redacted, not the JSON text: in the text a
 * line break is `\n`, and "\n514-555-0123" would then read as a word glued to the number.
 */
function redactValues(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value === 'number') {
    const text = String(value);
    const redacted = redact(text);
    return redacted === text ? value : redacted;
  }
  if (Array.isArray(value)) return value.map((v) => redactValues(v, redact));
  if (value && typeof value === 'object') {
    // No prototype: a "__proto__" member of the parsed text stays a member.
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = redactValues(v, redact);
    return out;
  }
  return value;
}

/** `,"key":<json>`, or nothing when the value has no JSON (undefined), as JSON.stringify leaves such a member out. */
function field(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? '' : `,"${key}":${json}`;
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
  const file = opts.dir ? new JsonlFileExporter(opts.dir, opts.redact) : undefined;
  if (file) {
    processors.push(
      new BatchSpanProcessor(file, {
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
    // The batch processor's flush does not wait for an export its timer already started: the file's writes are
    // awaited too, so what was traced before flush() is on disk after it.
    flush: async () => {
      await provider.forceFlush();
      await file?.forceFlush();
    },
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
