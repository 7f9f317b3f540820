// mac logs: the platform's log lines, by process or agent, since a time, optionally following new lines.
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import type { LogLine } from '../targets/target.js';

export function logsCommand(deps: Deps): Command {
  return new Command('logs')
    .description("Show the platform's logs (every process, or the one hosting an agent)")
    .argument('[name]', 'a process (platform, integrations) or an agent (e.g. intent-classifier)')
    .option('--since <duration>', 'only lines from the last duration, e.g. 10m, 2h, 1d')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .addHelpText('after', '\nExamples:\n  $ mac logs --since 10m\n  $ mac logs intent-classifier --follow\n  $ mac logs platform --json')
    .action(async (name: string | undefined, _flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as { since?: string; follow?: boolean };
      const { io } = deps;
      const { parseDuration } = await import('../secrets/status.js');
      let since: Date | undefined;
      if (opts.since) {
        const ms = parseDuration(opts.since, '--since');
        since = new Date(deps.clock.now().getTime() - ms);
      }
      const env = await deps.environment();
      const target = await deps.target(env);
      const print = (lines: LogLine[]) => {
        for (const l of lines) {
          if (io.json && opts.follow) io.event('log', { ...l });
          else if (!io.json) io.out(`${io.style('dim', l.process.padEnd(12))} ${l.text}`);
        }
      };
      const first = await target.logs({ name, since });
      if (!opts.follow) {
        if (io.json) return io.result({ environment: env.name, lines: first });
        if (!first.length) io.info(`No log lines${since ? ` since ${since.toISOString()}` : ''}.`);
        return print(first);
      }
      if (io.json) io.streaming = true;
      print(first);
      let seen = new Set(first.map((l) => `${l.process}\0${l.text}`));
      let last = first.at(-1)?.ts ? new Date(first.at(-1)!.ts!) : since;
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        while (!stop.signal.aborted) {
          await new Promise((r) => setTimeout(r, 500));
          const lines = (await target.logs({ name, since: last })).filter((l) => !seen.has(`${l.process}\0${l.text}`));
          if (lines.length) {
            print(lines);
            last = lines.at(-1)?.ts ? new Date(lines.at(-1)!.ts!) : last;
            seen = new Set(lines.map((l) => `${l.process}\0${l.text}`));
          }
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
