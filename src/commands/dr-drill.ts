// mac dr-drill: the disaster-recovery drill, for real — destroy the environment (local: its live data; azure: terraform
// destroy), rebuild, restore the data, redeploy, smoke-test, and measure RTO and RPO against their targets. Asks first.
import path from 'node:path';
import { Command } from 'commander';
import type { ResolvedEnvironment } from '../config/load.js';
import type { Deps } from '../deps.js';
import type { AzureTarget } from '../targets/azure/target.js';
import { DrillFailedError, UsageError } from '../errors.js';

export interface DrDrillOptions {
  rto: string;
  rpo: string;
  wait?: string;
  readyTimeout: number;
  reportDir?: string;
  confirm?: string;
  allowProduction?: boolean;
}

/**
 * The drill's safety checks, before any prompt and before anything reaches a target or Azure: an azure environment
 * needs `--confirm <its name>`; an environment marked `production: true` (either target) needs `--allow-production`.
 * Both refusals are usage errors (exit 2): the command line lacks a flag, nothing was touched.
 */
export function checkDrillSafety(env: ResolvedEnvironment, o: Pick<DrDrillOptions, 'confirm' | 'allowProduction'>): void {
  if (env.config.production && !o.allowProduction) {
    throw new UsageError(
      `${env.name} is marked production: true in mac.yaml; mac dr-drill destroys its live data, so it refuses a production environment by default.`,
      `If this really is intended, run again with --allow-production${env.config.target === 'azure' ? ` --confirm ${env.name}` : ''}.`,
    );
  }
  if (env.config.target === 'azure' && o.confirm !== env.name) {
    throw new UsageError(
      o.confirm === undefined
        ? `mac dr-drill on the azure environment ${env.name} runs terraform destroy on it: it needs --confirm ${env.name}.`
        : `--confirm ${o.confirm} does not match the environment: the drill would destroy ${env.name}, so it needs --confirm ${env.name}.`,
      `Run again with --confirm ${env.name} (the environment's name, typed out).`,
    );
  }
}

export function drDrillCommand(deps: Deps): Command {
  return new Command('dr-drill')
    .description('Disaster-recovery drill: destroy the environment, rebuild it, restore its data, redeploy, measure RTO/RPO — asks first')
    .option('--rto <duration>', 'recovery time objective: destroy → smoke test green (s, m, h, d)', '4h')
    .option('--rpo <duration>', 'recovery point objective: data loss tolerated (local: destroy − newest surviving write; azure: destroy − restore timestamp)', '1h')
    .option('--wait <duration>', 'pause between the destroy and the rebuild, counted in the RTO (default: azure 5m as in the seed\'s drill, local 0)')
    .option('--ready-timeout <seconds>', 'how long the redeployed platform may take to answer /ready', (v) => Number.parseFloat(v), 90)
    .option('--report-dir <dir>', 'where the report goes (default .mac/<env>/drills/<run-id>)')
    .option('--confirm <env-name>', "azure environments: the environment's name, typed out (required)")
    .option('--allow-production', 'drill an environment marked production: true in mac.yaml (refused otherwise)')
    .addHelpText(
      'after',
      `
local: the drill keeps writing canary conversations while it waits for the platform's next scheduled backup, then
stops everything and deletes the live data (database and secrets vault; the backups survive, as Azure's do),
rebuilds, restores the latest backup, redeploys and smoke-tests. RPO = destroy − the newest canary that survived.

azure: the drill records Terraform's resources and the container groups, captures the Cosmos DB restore point
(restorable account and latest restorable timestamp) BEFORE anything is destroyed, runs terraform destroy, waits
(--wait), arms the restore and runs terraform apply, which creates the Cosmos DB account in restore mode from that
point; it recovers soft-deleted Key Vault secrets, redeploys the container groups, smoke-tests, and removes the
armed restore. RPO = destroy − the restore timestamp. If a step fails the drill halts and reports what was
destroyed, what was rebuilt and what to run next (the restore stays armed until a rebuild succeeds).

RTO = destroy → smoke green. The report (JSON, Markdown, HTML with a timeline) goes to .mac/<env>/drills/<run-id>/.
Exit code 6 when the verdict is FAIL (a policy breached, a smoke test failed after the rebuild, a step halted).

Safety, checked before anything is asked or touched: an azure environment needs --confirm <env-name> equal to its
name, and an environment marked production: true in mac.yaml (local or azure) is refused unless --allow-production.
Either refusal exits 2 (usage) with nothing changed.

Examples:
  $ mac dr-drill                                  asks, then drills the local environment
  $ mac dr-drill -e local --yes --rto 5m --rpo 2m
  $ mac dr-drill --yes --json | tail -1 | jq .data.verdict
  $ mac dr-drill -e staging --confirm staging --yes                 azure: destroy, restore, rebuild staging
  $ mac dr-drill -e staging --confirm staging --yes --wait 10m --rto 2h
  $ mac dr-drill -e prod --confirm prod --allow-production --yes   a production environment, deliberately`,
    )
    .action(async (_flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as DrDrillOptions;
      const { io } = deps;
      const { parseDuration } = await import('../secrets/status.js');
      const rtoSeconds = parseDuration(opts.rto, '--rto') / 1000;
      const rpoSeconds = parseDuration(opts.rpo, '--rpo') / 1000;
      const waitMs = opts.wait === undefined ? undefined : /^\s*0+(\.0*)?\s*[smhdw]?\s*$/.test(opts.wait) ? 0 : parseDuration(opts.wait, '--wait');
      if (!(opts.readyTimeout > 0)) throw new UsageError(`--ready-timeout: expected a number of seconds above 0, got ${opts.readyTimeout}.`);
      const env = await deps.environment();
      checkDrillSafety(env, opts);
      const azure = env.config.target === 'azure';
      const what = azure
        ? `run terraform destroy on ${env.name} (every Azure resource, the Cosmos DB data included), then rebuild it with terraform apply, restoring Cosmos DB to the point captured just before`
        : `destroy the live data of ${env.name} (stop the platform, delete its database and secrets vault; the backups are kept) and restore it from the latest backup`;
      if (!deps.yes) {
        if (!io.promptsAllowed) throw new UsageError(`mac dr-drill would ${what}.`, 'Run again with --yes to confirm.');
        if (!(await deps.prompter.confirm({ message: `This will ${what}. Continue?`, flag: '--yes', default: false }))) {
          io.info('Nothing changed.');
          return;
        }
      }
      io.streaming = true;
      const { formatDuration } = await import('../drill/render.js');
      const target = await deps.target(env);
      const drillOptions = {
        rtoSeconds,
        rpoSeconds,
        readyTimeoutMs: opts.readyTimeout * 1000,
        ...(opts.reportDir ? { reportDir: path.resolve(deps.cwd, opts.reportDir) } : {}),
        now: () => deps.clock.now(),
      };
      const { report, files } =
        target.kind === 'azure'
          ? await import('../drill/azure.js').then(({ runAzureDrill, AZURE_DEFAULT_WAIT_MS }) =>
              runAzureDrill(target as AzureTarget, io, { ...drillOptions, waitMs: waitMs ?? AZURE_DEFAULT_WAIT_MS }),
            )
          : await import('../drill/drill.js').then(({ runDrill }) => runDrill(target, io, { ...drillOptions, ...(waitMs ? { waitMs } : {}) }));

      if (io.json) io.result({ ...report, files });
      else {
        const pass = report.verdict === 'PASS';
        io.out(`${pass ? io.style('green', 'PASS') : io.style('red', 'FAIL')} — DR drill ${report.runId} of ${report.environment} (${report.target})`);
        for (const p of report.policies) {
          const measured = p.measuredSeconds === null ? 'not measured' : formatDuration(p.measuredSeconds);
          const mark = p.verdict === 'PolicyMet' ? io.style('green', p.verdict) : io.style('red', p.verdict);
          io.out(`  ${p.policy}  ${measured.padEnd(12)} target ${formatDuration(p.targetSeconds).padEnd(8)} ${mark}`);
        }
        const c = report.canaries;
        if (c) {
          io.out(
            `  Canaries: ${c.written} written, ${c.survived} survived, ${c.lost} lost` +
              (c.restoredBackupAt ? ` (restored backup of ${c.restoredBackupAt}; lost although older: ${c.lostBeforeBackup})` : ''),
          );
        }
        const rp = report.restorePoint;
        if (rp) io.out(`  Cosmos DB: ${rp.accountName} restored to ${rp.timestamp} (point ${rp.id})`);
        const infra = report.infrastructure;
        if (infra) io.out(`  Terraform resources: ${infra.before.length} before, ${infra.after.length} after (${infra.missing.length} missing, ${infra.added.length} added)`);
        for (const reason of report.reasons) io.out(`  - ${reason}`);
        const h = report.halt;
        if (h) {
          if (h.destroyed.length) io.out(`  Destroyed and not back: ${h.destroyed.join(', ')}`);
          if (h.rebuilt.length) io.out(`  Rebuilt: ${h.rebuilt.join(', ')}`);
          io.out('  Next:');
          h.next.forEach((n, i) => io.out(`    ${i + 1}. ${n}`));
        }
        io.out(`  Report: ${files.html}`);
        io.out(`          ${files.markdown}`);
        io.out(`          ${files.json}`);
      }
      if (report.verdict === 'FAIL') {
        throw new DrillFailedError(`DR drill verdict FAIL: ${report.reasons[0] ?? 'see the report'}`, `See the report: ${files.html}`);
      }
    });
}
