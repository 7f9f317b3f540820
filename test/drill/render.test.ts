import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drillHtml, drillMarkdown, formatDuration, writeDrillReport } from '../../src/drill/render.js';
import type { DrillReport, DrillStep } from '../../src/drill/report.js';

const START = Date.parse('2025-03-14T09:00:00.000Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();
const step = (name: string, from: number, to: number, detail: string, status: DrillStep['status'] = 'ok'): DrillStep => ({
  name,
  startedAt: at(from),
  endedAt: at(to),
  status,
  detail,
});

const STEP_NAMES = ['preflight', 'record-state', 'canaries', 'destroy', 'rebuild', 'restore', 'redeploy', 'smoke', 'verify'];

/** A staging drill on Azure: destroyed at +70s, green again at +1245s, 25 canaries written after the backup lost. */
function passReport(): DrillReport {
  const before = { schema_version: '14', tickets: '1532', kb_documents: '27', app_revision: 'mac-api--6', intent_model: 'sha256:ab12|en,es,fr' };
  const after = { ...before, app_revision: 'mac-api--7' };
  return {
    runId: 'drill-20250314-0900-7f3a',
    environment: 'staging',
    target: 'azure',
    startedAt: at(0),
    endedAt: at(1260),
    verdict: 'PASS',
    reasons: [],
    steps: [
      step('preflight', 0, 4.2, 'subscription and quota ok'),
      step('record-state', 4.2, 9, '5 keys recorded'),
      step('canaries', 9, 70, '120 canaries written every 0.5s'),
      step('destroy', 70, 250, 'resource group rg-mac-staging deleted'),
      step('rebuild', 250, 910, 'terraform apply: 23 added, 0 changed'),
      step('restore', 910, 1030, 'backup 2025-03-14T09:00:58Z restored, checksum ok'),
      step('redeploy', 1030, 1210, '4 container apps at revision 7'),
      step('smoke', 1210, 1245, '12/12 checks green'),
      step('verify', 1245, 1260, 'state matches except the expected revision'),
    ],
    policies: [
      { policy: 'RTO', targetSeconds: 4 * 3600, measuredSeconds: 1175, verdict: 'PolicyMet' },
      { policy: 'RPO', targetSeconds: 300, measuredSeconds: 12.3, verdict: 'PolicyMet' },
    ],
    canaries: {
      written: 120,
      survived: 95,
      lost: 25,
      newestSurvivingAt: at(57.7),
      oldestLostAt: at(58.2),
      restoredBackupAt: at(58),
      lostBeforeBackup: 0,
    },
    destroyedAt: at(70),
    recoveredAt: at(1245),
    stateBefore: before,
    stateAfter: after,
    stateDiff: Object.keys(before).map((key) => {
      const b = before[key as keyof typeof before];
      const a = after[key as keyof typeof after];
      return { key, before: b, after: a, same: a === b };
    }),
  };
}

/** The same drill restored from an old backup: RPO breached, and an error body echoed into a step detail. */
function failReport(): DrillReport {
  const r = passReport();
  r.verdict = 'FAIL';
  r.reasons = ['RPO breached: 12m 35s of data lost, target 5m', '3 canaries written before the backup were lost'];
  r.policies[1] = { policy: 'RPO', targetSeconds: 300, measuredSeconds: 754.5, verdict: 'PolicyBreached' };
  r.canaries = { ...r.canaries!, survived: 80, lost: 40, lostBeforeBackup: 3 };
  r.steps[8] = step('verify', 1245, 1260, 'canary API answered 500: <script>alert(1)</script> & "retry"', 'failed');
  return r;
}

describe('formatDuration', () => {
  it('is precise for short spans and coarse for long ones', () => {
    expect(formatDuration(0.8)).toBe('0.8s');
    expect(formatDuration(12.34)).toBe('12.3s');
    expect(formatDuration(30)).toBe('30s');
    expect(formatDuration(245)).toBe('4m 05s');
    expect(formatDuration(300)).toBe('5m');
    expect(formatDuration(3720)).toBe('1h 02m');
    expect(formatDuration(4 * 3600)).toBe('4h');
  });
});

describe('drillMarkdown', () => {
  it('shows the verdict, both policies, every step and the changed state key', () => {
    const md = drillMarkdown(passReport());
    expect(md).toMatch(/^# DR drill — staging \(azure\), run drill-20250314-0900-7f3a$/m);
    expect(md).toContain('**Verdict: PASS**');
    expect(md).toContain('| RTO | 4h | 19m 35s | PolicyMet |');
    expect(md).toContain('| RPO | 5m | 12.3s | PolicyMet |');
    for (const name of STEP_NAMES) expect(md).toMatch(new RegExp(`^\\| ${name} \\| \\+[\\d.]+s \\|`, 'm'));
    expect(md).toContain('| restore | +910.0s | 2m | ok | backup 2025-03-14T09:00:58Z restored, checksum ok |');
    expect(md).toContain('| app_revision | mac-api--6 | mac-api--7 | **changed** |');
    expect(md).toContain('| tickets | 1532 | 1532 | same |');
    expect(md).toContain('down for 19m 35s');
    expect(md).toContain('- Written 120, survived 95, lost 25');
  });

  it('escapes | so a value cannot split a table cell', () => {
    expect(drillMarkdown(passReport())).toContain('| intent_model | sha256:ab12\\|en,es,fr | sha256:ab12\\|en,es,fr | same |');
  });

  it('on FAIL lists the reasons, the breached RPO and the canaries lost before the backup', () => {
    const md = drillMarkdown(failReport());
    expect(md).toContain('**Verdict: FAIL**');
    expect(md).toContain('- RPO breached: 12m 35s of data lost, target 5m');
    expect(md).toContain('| RPO | 5m | 12m 35s | PolicyBreached |');
    expect(md).toContain('| RTO | 4h | 19m 35s | PolicyMet |');
    expect(md).toMatch(/^\| verify \| .* \| failed \| /m);
    expect(md).toContain('before the backup: **3**');
  });
});

describe('drillHtml', () => {
  it('is one self-contained page: charset, title, inline style, nothing fetched', () => {
    const html = drillHtml(passReport());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>DR drill — staging (azure), run drill-20250314-0900-7f3a</title>');
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/http/i);
  });

  it('shows the verdict, policies, steps and the changed state key', () => {
    const html = drillHtml(failReport());
    expect(html).toContain('Verdict: FAIL');
    expect(html).toContain('RPO breached: 12m 35s of data lost, target 5m');
    expect(html).toMatch(/<td>RPO<\/td><td>5m<\/td><td>12m 35s<\/td><td><span class="PolicyBreached">PolicyBreached<\/span><\/td>/);
    for (const name of STEP_NAMES) expect(html).toContain(`<tr><td>${name}</td>`);
    expect(html).toContain('<tr class="changed"><td>app_revision</td><td>mac-api--6</td><td>mac-api--7</td><td><strong>changed</strong></td></tr>');
  });

  it('escapes step details: an echoed <script> stays text', () => {
    const html = drillHtml(failReport());
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('canary API answered 500: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;retry&quot;');
    expect(html).not.toMatch(/<script/i);
  });

  it('draws one bar per step, left to right, coloured by status, with destroy and recovery markers', () => {
    const html = drillHtml(failReport());
    const bars = [...html.matchAll(/<rect class="bar (ok|failed|skipped)" x="([\d.]+)"/g)];
    expect(bars).toHaveLength(9);
    const xs = bars.map((b) => Number(b[2]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(bars.map((b) => b[1])).toEqual([...Array(8).fill('ok'), 'failed']);
    expect(html).toMatch(/<line class="marker destroyed"/);
    expect(html).toMatch(/<line class="marker recovered"/);
    expect(html).toContain('destroyed +70.0s');
    expect(html).toContain('recovered +1245.0s');
    expect(html).toMatch(/<text class="tick"[^>]*>0s<\/text>/);
  });

  it('draws no markers when the drill stopped before destroying anything', () => {
    const r = passReport();
    delete r.destroyedAt;
    delete r.recoveredAt;
    r.steps = r.steps.slice(0, 3).concat(r.steps.slice(3).map((s) => ({ ...s, endedAt: s.startedAt, status: 'skipped' as const })));
    const html = drillHtml(r);
    expect(html).not.toContain('class="marker');
    expect([...html.matchAll(/<rect class="bar skipped"/g)]).toHaveLength(6);
  });
});

/** An azure drill halted at the rebuild: no canaries, a restore point, the resources, and the halt's state report. */
function haltedAzureReport(): DrillReport {
  const r = passReport();
  delete r.canaries;
  delete r.recoveredAt;
  r.verdict = 'FAIL';
  r.reasons = ['Step rebuild failed: terraform apply failed', 'The environment is partly destroyed: the drill stopped at rebuild.'];
  r.restorePoint = {
    id: '20250314T085800Z-1f2e3d4c',
    accountName: 'cosmos-mac-staging',
    restorableSourceId: '/subscriptions/s/providers/Microsoft.DocumentDB/locations/eastus/restorableDatabaseAccounts/1f2e3d4c',
    timestamp: '2025-03-14T08:58:00Z',
    capturedAt: at(9),
  };
  r.infrastructure = { before: ['module.cosmos.azurerm_cosmosdb_account.this', 'azurerm_key_vault.main'], after: ['azurerm_key_vault.main'], missing: ['module.cosmos.azurerm_cosmosdb_account.this'], added: [] };
  r.halt = {
    step: 'rebuild',
    summary: 'The environment is partly destroyed: the drill stopped at rebuild.',
    destroyed: ['module.cosmos.azurerm_cosmosdb_account.this'],
    rebuilt: ['azurerm_key_vault.main'],
    next: ['mac infra apply -e staging   (the <armed> restore)', 'rm .mac/staging/cosmos-restore.tfvars.json'],
  };
  return r;
}

describe('an azure report', () => {
  it('Markdown: the halt with what was destroyed, rebuilt and what to run next; the restore point and resources; no canaries', () => {
    const md = drillMarkdown(haltedAzureReport());
    expect(md).toContain('## Halted at rebuild\n\nThe environment is partly destroyed: the drill stopped at rebuild.\n');
    expect(md).toContain('- Destroyed and not back (1): module.cosmos.azurerm_cosmosdb_account.this');
    expect(md).toContain('- Rebuilt (1): azurerm_key_vault.main');
    expect(md).toContain('1. `mac infra apply -e staging   (the <armed> restore)`\n2. `rm .mac/staging/cosmos-restore.tfvars.json`');
    expect(md).toContain('- Point 20250314T085800Z-1f2e3d4c: cosmos-mac-staging restorable to 2025-03-14T08:58:00Z');
    expect(md).toContain('- Missing after the rebuild: **module.cosmos.azurerm_cosmosdb_account.this**');
    expect(md).not.toContain('## Canaries');
  });

  it('HTML: the same sections, escaped', () => {
    const html = drillHtml(haltedAzureReport());
    expect(html).toContain('<h2>Halted at rebuild</h2>');
    expect(html).toContain('<li><code>mac infra apply -e staging   (the &lt;armed&gt; restore)</code></li>');
    expect(html).toContain('<h2>Cosmos DB restore point</h2>');
    expect(html).toContain('<li class="failed">Missing after the rebuild: module.cosmos.azurerm_cosmosdb_account.this</li>');
    expect(html).not.toContain('<h2>Canaries</h2>');
  });
});

describe('writeDrillReport', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('writes report.json, report.md and report.html readable by the owner only', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mac-drill-'));
    const r = failReport();
    const out = await writeDrillReport(path.join(dir, 'drills', r.runId), r);
    expect(Object.values(out).every((p) => path.isAbsolute(p))).toBe(true);
    expect(Object.values(out).map((p) => path.basename(p))).toEqual(['report.json', 'report.md', 'report.html']);
    expect((await stat(path.dirname(out.json))).mode & 0o777).toBe(0o700);
    for (const file of Object.values(out)) expect((await stat(file)).mode & 0o777).toBe(0o600);

    const json = await readFile(out.json, 'utf8');
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(r);
    expect(await readFile(out.markdown, 'utf8')).toBe(drillMarkdown(r));
    expect(await readFile(out.html, 'utf8')).toBe(drillHtml(r));
  });
});
