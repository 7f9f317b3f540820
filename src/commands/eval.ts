// mac eval: run scenario files against a gateway (or an in-process platform on the demo shop) and report.
import path from 'node:path';
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import { FailedError, UsageError } from '../errors.js';
import type { EvalReport } from '../eval/runner.js';

export interface EvalOptions {
  scenarios: string;
  url?: string;
  data?: string;
  minPassRate: number;
  concurrency: number;
}

export function evalCommand(deps: Deps, run = evalRun): Command {
  return new Command('eval')
    .description('Run conversation scenarios against a gateway and report the pass rate, overall and by priority')
    .requiredOption('--scenarios <file>', 'scenario file ({scenarios: [{id, priority, turns: [{message, expect}]}]})')
    .option('--url <url>', 'gateway to test (default: start the platform in-process on --data)')
    .option('--data <dir>', 'shop data folder for the in-process platform (default: the demo shop)')
    .option('--min-pass-rate <rate>', 'exit 1 below this pass rate (0–1)', parseRate, 0.95)
    .option('--concurrency <n>', 'scenarios run at once', (v) => Number.parseInt(v, 10), 8)
    .addHelpText('after', '\nExamples:\n  $ mac eval --scenarios scenarios/demo-shop.json\n  $ mac eval --scenarios my.json --url http://127.0.0.1:8080 --json')
    .action(async (_flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as EvalOptions;
      const report = await run(opts, deps);
      print(report, deps);
      if (report.pass_rate < opts.minPassRate) {
        throw new FailedError(`Pass rate ${pct(report.pass_rate)} is below ${pct(opts.minPassRate)}.`, 'See the failing turns above.');
      }
    });
}

function parseRate(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new UsageError(`--min-pass-rate: expected a number between 0 and 1, got "${v}".`);
  return n;
}

export async function evalRun(opts: EvalOptions, deps: Deps): Promise<EvalReport> {
  const [{ loadScenarioFile }, { runScenarios }] = await Promise.all([import('../eval/scenarios.js'), import('../eval/runner.js')]);
  const { scenarios, today } = await loadScenarioFile(path.resolve(deps.cwd, opts.scenarios));
  const progress = (id: string, passed: boolean) => {
    if (!deps.io.json) deps.io.info(`${passed ? deps.io.style('green', '✓') : deps.io.style('red', '✗')} ${id}`);
  };
  if (opts.url) return runScenarios(opts.url, scenarios, { concurrency: opts.concurrency, onResult: (r) => progress(r.id, r.passed) });

  const { startDevPlatform } = await import('../dev/platform.js');
  const step = deps.io.step('Starting the platform in-process');
  // The platform runs on the day the scenarios were written for, so date-dependent answers stay stable.
  const now = today ? () => new Date(`${today}T18:00:00Z`) : undefined;
  const platform = await startDevPlatform({ deps, data: opts.data, port: 0, quiet: true, now });
  step.done(platform.url);
  try {
    return await runScenarios(platform.url, scenarios, { concurrency: opts.concurrency, onResult: (r) => progress(r.id, r.passed) });
  } finally {
    await platform.close();
  }
}

function print(report: EvalReport, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result(report);
  for (const f of report.failures) {
    io.out(`${io.style('red', '✗')} ${f.id} turn ${f.turn}: ${f.message}`);
    for (const why of f.failures) io.out(`    ${why}`);
  }
  io.out(
    io.table(
      [...Object.entries(report.by_priority).map(([priority, b]) => ({ priority, ...b })), { priority: 'all', total: report.total, passed: report.passed, pass_rate: report.pass_rate }],
      [
        { header: 'priority', value: (r) => r.priority },
        { header: 'passed', value: (r) => `${r.passed}/${r.total}`, align: 'right' },
        { header: 'pass rate', value: (r) => pct(r.pass_rate), align: 'right' },
      ],
    ),
  );
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
