// Reads the platform's JSONL traces back: conversations (sessions), their turns (traces) and each turn's stages.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { TraceRecord } from '../agents/runtime/tracing.js';

/** One line of a trace file, as the runtime's exporter writes it. */
export type SpanRecord = TraceRecord;

export interface Turn {
  traceId: string;
  start: string;
  latencyMs: number;
  costUsd: number;
  stages: SpanRecord[];
}

export interface Conversation {
  sessionId: string;
  turns: Turn[];
  lastSeen: string;
}

/** Every span in the trace folders, oldest file first; unreadable lines are counted, not fatal. */
export async function readSpans(dirs: string[]): Promise<{ spans: SpanRecord[]; badLines: number; files: string[] }> {
  const spans: SpanRecord[] = [];
  const files: string[] = [];
  let badLines = 0;
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => /^traces-.*\.jsonl$/.test(n)).sort()) {
      const file = path.join(dir, name);
      files.push(file);
      const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line.trim()) continue;
        try {
          spans.push(JSON.parse(line) as SpanRecord);
        } catch {
          badLines += 1;
        }
      }
    }
  }
  return { spans, badLines, files };
}

/** Groups spans into conversations: a root span ("chat") carries the session id; its children are the stages. */
export function conversations(spans: SpanRecord[]): Conversation[] {
  const byTrace = new Map<string, SpanRecord[]>();
  for (const s of spans) byTrace.set(s.trace_id, [...(byTrace.get(s.trace_id) ?? []), s]);
  const bySession = new Map<string, Turn[]>();
  for (const [traceId, group] of byTrace) {
    const root = group.find((s) => !s.parent_span_id);
    const sessionId = typeof root?.attributes.session_id === 'string' ? root.attributes.session_id : undefined;
    if (!root || !sessionId) continue;
    const stages = group.filter((s) => s !== root).sort((a, b) => a.start.localeCompare(b.start));
    const turn: Turn = {
      traceId,
      start: root.start,
      latencyMs: root.latency_ms,
      costUsd: stages.reduce((sum, s) => sum + (s.cost_usd ?? 0), 0),
      stages,
    };
    bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), turn]);
  }
  return [...bySession.entries()]
    .map(([sessionId, turns]) => {
      turns.sort((a, b) => a.start.localeCompare(b.start));
      return { sessionId, turns, lastSeen: turns[turns.length - 1]?.start ?? '' };
    })
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}
