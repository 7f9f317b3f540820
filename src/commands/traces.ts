// mac traces: the decision path of conversations, from the platform's JSONL traces.
import path from 'node:path';
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import type { Conversation } from '../traces/read.js';

export interface TracesOptions {
  conversation?: string;
  last: number;
  dir?: string[];
}

export function tracesCommand(deps: Deps): Command {
  return new Command('traces')
    .description("Show conversations from the platform's traces: each turn's stages, latency, cost and reasoning")
    .option('--conversation <session-id>', 'one conversation, turn by turn')
    .option('--last <n>', 'how many recent conversations to list', (v) => Number.parseInt(v, 10), 20)
    .option('--dir <dir...>', "trace folders (default: the environment's traces, including mac dev's)")
    .addHelpText('after', '\nExamples:\n  $ mac traces\n  $ mac traces --conversation 1a099b89-b9cd-47fe-ad50-9927dba10b9d --json')
    .action(async (_flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as TracesOptions;
      const env = await deps.environment();
      const dirs = opts.dir?.map((d) => path.resolve(deps.cwd, d)) ?? [path.join(env.stateDir, 'traces'), path.join(env.stateDir, 'dev', 'traces')];
      const { readSpans, conversations } = await import('../traces/read.js');
      const { spans, badLines } = await readSpans(dirs);
      if (badLines > 0) deps.io.warn(`${badLines} unreadable trace line(s) skipped.`);
      const all = conversations(spans);
      if (opts.conversation) {
        const c = all.find((x) => x.sessionId === opts.conversation);
        if (!c) throw new UsageError(`No conversation ${opts.conversation} in ${dirs.join(', ')}.`, 'List them with: mac traces');
        return printConversation(c, deps);
      }
      const recent = all.slice(0, opts.last);
      if (deps.io.json) return deps.io.result({ conversations: recent.map(summary) });
      if (recent.length === 0) return deps.io.out(`No traces in ${dirs.join(', ')}. Run the platform (mac dev) and talk to it first.`);
      deps.io.out(
        deps.io.table(recent.map(summary), [
          { header: 'conversation', value: (r) => r.session_id },
          { header: 'turns', value: (r) => r.turns, align: 'right' },
          { header: 'last seen', value: (r) => r.last_seen },
          { header: 'latency ms', value: (r) => r.latency_ms.toFixed(1), align: 'right' },
          { header: 'cost $', value: (r) => r.cost_usd.toFixed(5), align: 'right' },
        ]),
      );
    });
}

function summary(c: Conversation) {
  return {
    session_id: c.sessionId,
    turns: c.turns.length,
    last_seen: c.lastSeen,
    latency_ms: c.turns.reduce((s, t) => s + t.latencyMs, 0),
    cost_usd: c.turns.reduce((s, t) => s + t.costUsd, 0),
  };
}

function printConversation(c: Conversation, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result({ session_id: c.sessionId, turns: c.turns });
  for (const [i, turn] of c.turns.entries()) {
    io.out(`Turn ${i + 1}  ${turn.start}  trace ${turn.traceId}  ${turn.latencyMs.toFixed(1)} ms  $${turn.costUsd.toFixed(5)}`);
    for (const s of turn.stages) {
      const status = s.status === 'error' ? io.style('red', ` ERROR ${s.error ?? ''}`) : '';
      io.out(`  ${`${s.agent}.${s.action}`.padEnd(36)} ${s.latency_ms.toFixed(1).padStart(8)} ms${status}`);
      if (s.outputs !== undefined) io.out(`    → ${JSON.stringify(s.outputs)}`);
      if (s.reasoning) io.out(`    ${io.style('dim', s.reasoning)}`);
    }
  }
}
