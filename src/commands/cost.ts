// mac cost report: what this environment's configuration and workload would cost per month on Azure.
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Deps } from '../deps.js';
import { BudgetBreachedError, UsageError } from '../errors.js';
import type { CostEstimate } from '../cost/estimate.js';
import { costEstimateCommand, failOnPercent, nonNegative } from './cost-estimate.js';
import { costBudgetCommand } from './cost-budget.js';

export interface CostReportOptions {
  month?: string;
  format?: 'table' | 'json' | 'markdown' | 'csv';
  failOn?: number;
  conversationsPerMonth?: number;
  refresh?: boolean;
  json?: boolean;
}

export function costCommand(deps: Deps): Command {
  const report = new Command('report')
    .description("Projected monthly Azure cost of the environment's configuration and traced workload, against its budget")
    .option('--month <YYYY-MM>', 'the month whose traces to use (default: the current month)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown', 'csv']).default('table'))
    .option('--fail-on <percent>', 'exit 5 when the projection reaches this percent of the budget (1-200)', failOnPercent)
    .option('--conversations-per-month <n>', 'project this many conversations instead of the traced ones', nonNegative('--conversations-per-month'))
    .option('--refresh', 'azure: ask Cost Management again instead of using the answer cached for 4 h')
    .addHelpText(
      'after',
      '\nOn an azure environment the report is the subscription\'s actual month-to-date cost by service (Cost Management),\nAzure\'s forecast to the month\'s end and the budget\'s current/forecast spend, against the same estimated lines;\n--fail-on compares the month-end projection (actual + forecast). Answers are cached 4 h under .mac/<env>/cache/.\nA subscription whose offer Cost Management does not support exits 4.\n' +
        '\nExamples:\n  $ mac cost report\n  $ mac cost report --month 2026-11 --format markdown\n  $ mac cost report --conversations-per-month 3000 --fail-on 93\n  $ mac cost report --format csv > cost.csv\n  $ mac cost report -e prod --fail-on 93\n  $ mac cost report -e prod --refresh --format markdown >> $GITHUB_STEP_SUMMARY',
    )
    .action(async (_flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as CostReportOptions;
      const now = deps.clock.now();
      const month = opts.month ?? now.toISOString().slice(0, 7);
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month expects YYYY-MM, got "${month}".`);
      if (month > now.toISOString().slice(0, 7)) throw new UsageError(`${month} has not started yet.`, 'Pick the current or a past month.');
      const env = await deps.environment();
      if (env.config.target === 'azure') return azureReport(opts, env, month, deps);
      const dirs = [path.join(env.stateDir, 'traces'), path.join(env.stateDir, 'dev', 'traces')];
      const [{ readSpans }, { estimateCost }] = await Promise.all([import('../traces/read.js'), import('../cost/estimate.js')]);
      const { spans, badLines } = await readSpans(dirs);
      if (badLines > 0) deps.io.warn(`${badLines} unreadable trace line(s) skipped.`);
      const estimate = estimateCost({ env: env.config, spans, month, now, conversationsPerMonth: opts.conversationsPerMonth });
      const format = opts.json || deps.io.json ? 'json' : (opts.format ?? 'table');
      await print(estimate, env.name, format, deps);
      if (opts.failOn !== undefined && estimate.budget.percentOfBudget >= opts.failOn)
        throw new BudgetBreachedError(
          `Projected $${estimate.totalUsd.toFixed(2)}/month is ${estimate.budget.percentOfBudget}% of the $${estimate.budget.amountUsd} budget (fail-on ${opts.failOn}%).`,
          'See the notes above for the largest lines to cut.',
        );
    });
  return new Command('cost').description('Cost reports: projected Azure spend against the budget').addCommand(report).addCommand(costEstimateCommand(deps)).addCommand(costBudgetCommand(deps));
}

async function print(e: CostEstimate, environment: string, format: string, deps: Deps): Promise<void> {
  const { io } = deps;
  if (format === 'json') return io.result({ environment, ...e });
  if (format === 'csv') return deps.io.out((await import('../cost/format.js')).estimateCsv(e));
  if (format === 'markdown') return deps.io.out((await import('../cost/format.js')).estimateMarkdown(e, environment));
  const $ = (n: number) => `$${n.toFixed(2)}`;
  io.out(`Environment ${environment} — projected Azure cost for ${e.month} (${e.hoursInMonth} h); actual spend ${$(e.actualSpendUsd)}`);
  io.out(
    `Usage: ${e.usage.observedConversations} conversation(s), ${e.usage.observedTurns} turn(s) traced → ${e.usage.conversationsPerMonth.toFixed(0)} conversations, ${e.usage.turnsPerMonth.toFixed(0)} turns per month`,
  );
  io.out('');
  io.out(
    io.table(e.lines, [
      { header: 'service', value: (l) => l.service },
      { header: 'line', value: (l) => l.line },
      { header: 'monthly', value: (l) => $(l.monthlyUsd), align: 'right' },
      { header: 'basis', value: (l) => l.basis },
    ]),
  );
  io.out('');
  io.out(
    io.table([...e.services, { service: 'TOTAL', monthlyUsd: e.totalUsd }], [
      { header: 'service', value: (s) => s.service },
      { header: 'monthly', value: (s) => $(s.monthlyUsd), align: 'right' },
    ]),
  );
  io.out('');
  const per = (n: number | null) => (n === null ? 'n/a' : `$${n.toFixed(4)}`);
  io.out(`Cost per conversation ${per(e.costPerConversationUsd)}, per turn ${per(e.costPerTurnUsd)}`);
  io.out(`Budget ${$(e.budget.amountUsd)}: projection is ${e.budget.percentOfBudget}% of it`);
  for (const t of e.budget.thresholds) io.out(`  ${t.percent}% (${$(t.amountUsd)}): ${t.fires ? io.style('red', 'would fire') : io.style('green', 'would not fire')}`);
  io.out('');
  io.out('Notes:');
  for (const n of e.notes) io.out(`  - ${n}`);
  io.out('');
  io.out('Prices:');
  io.out(
    io.table(e.prices, [
      { header: 'service', value: (p) => p.service },
      { header: 'meter', value: (p) => p.meter },
      { header: 'price', value: (p) => `$${p.unitPrice}`, align: 'right' },
      { header: 'unit', value: (p) => p.unit },
      { header: 'as of', value: (p) => p.asOf },
      { header: 'source', value: (p) => p.source },
    ]),
  );
}

/** The azure branch of `mac cost report`: actual spend from Cost Management against the same estimated lines. */
async function azureReport(opts: CostReportOptions, env: Awaited<ReturnType<Deps['environment']>>, month: string, deps: Deps): Promise<void> {
  if (env.config.target !== 'azure') return;
  if (opts.conversationsPerMonth !== undefined) throw new UsageError('--conversations-per-month projects a local configuration; an azure report reads actual spend.', `Drop it, or run: mac cost report -e local --conversations-per-month ${opts.conversationsPerMonth}`);
  const config = env.config;
  const now = deps.clock.now();
  const [costs, { readSpans }, { createCredential }] = await Promise.all([import('../cost/azure-costs.js'), import('../traces/read.js'), import('../azure/credential.js')]);
  const { spans, badLines } = await readSpans([path.join(env.stateDir, 'traces'), path.join(env.stateDir, 'dev', 'traces')]);
  if (badLines > 0) deps.io.warn(`${badLines} unreadable trace line(s) skipped.`);
  const data = await costs.monthCosts({
    config,
    credential: createCredential(config.cloud, deps.env),
    month,
    now,
    budgetName: costs.budgetName(env.name, config),
    stateDir: env.stateDir,
    refresh: opts.refresh,
  });
  if (data.fromCache) deps.io.info(`Cost Management answer of ${data.fetchedAt} (cached up to 4 h; --refresh asks again).`);
  const r = costs.buildAzureReport({ environment: env.name, config, costs: data, spans, now });
  const { io } = deps;
  const format = opts.json || io.json ? 'json' : (opts.format ?? 'table');
  if (format === 'json') io.result(r);
  else if (format === 'csv') io.out(costs.azureReportCsv(r));
  else if (format === 'markdown') io.out(costs.azureReportMarkdown(r));
  else {
    const $ = (n: number) => `$${n.toFixed(2)}`;
    io.out(`Environment ${r.environment} — Azure cost of ${r.scope} for ${r.month}, as of ${r.asOf.slice(0, 16).replace('T', ' ')} UTC (${(r.elapsedFraction * 100).toFixed(1)}% of the month)`);
    io.out('');
    io.out(
      io.table([...r.services, { service: 'TOTAL', azureServices: [], estimatedMonthlyUsd: r.estimatedMonthlyUsd, actualUsd: r.actualUsd, runRateUsd: r.actualUsd / (r.elapsedFraction || 1), percentOfEstimate: null }], [
        { header: 'service', value: (s) => s.service },
        { header: 'estimated/month', value: (s) => $(s.estimatedMonthlyUsd), align: 'right' },
        { header: 'actual to date', value: (s) => $(s.actualUsd), align: 'right' },
        { header: 'run rate/month', value: (s) => $(s.runRateUsd), align: 'right' },
        { header: 'vs estimate', value: (s) => (s.percentOfEstimate === null ? '' : `${s.percentOfEstimate}%`), align: 'right' },
      ]),
    );
    io.out('');
    io.out(`Forecast to month end ${$(r.forecastUsd)} → projected ${$(r.projectedUsd)}`);
    const b = r.budget;
    io.out(
      `Budget ${b.name} ${$(b.amountUsd)} (${b.source === 'azure' ? 'Azure' : 'mac.yaml; not in Azure'}): actual ${b.percentActual}%, projected ${b.percentProjected}%` +
        (b.currentSpendUsd !== undefined ? `; Azure's currentSpend ${$(b.currentSpendUsd)}` : '') +
        (b.forecastSpendUsd !== undefined ? `, forecastSpend ${$(b.forecastSpendUsd)}` : ''),
    );
    for (const t of r.thresholds)
      io.out(`  ${t.percent}% (${$(t.amountUsd)}): ${t.fired ? io.style('red', 'fired') : t.willFire ? io.style('yellow', 'will fire (forecast)') : io.style('green', 'not reached')}`);
    const per = (n: number | null) => (n === null ? 'n/a' : `$${n.toFixed(4)}`);
    io.out(`Cost per conversation ${per(r.usage.costPerConversationUsd)}, per request ${per(r.usage.costPerTurnUsd)} (${r.usage.conversations} conversation(s), ${r.usage.turns} request(s) traced)`);
    io.out('');
    io.out('Notes:');
    for (const n of r.notes) io.out(`  - ${n}`);
  }
  if (opts.failOn !== undefined && r.budget.percentProjected >= opts.failOn)
    throw new BudgetBreachedError(
      `Projected $${r.projectedUsd.toFixed(2)} this month (actual $${r.actualUsd.toFixed(2)} + forecast $${r.forecastUsd.toFixed(2)}) is ${r.budget.percentProjected}% of the $${r.budget.amountUsd} budget (fail-on ${opts.failOn}%).`,
      'The services over their estimated line are in the notes above.',
    );
}
