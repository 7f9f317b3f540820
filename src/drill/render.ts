// Renders a DrillReport as Markdown and as one self-contained HTML page, and writes both next to the JSON.
// The HTML is opened from disk, often offline or attached to a ticket: no scripts, no external styles, fonts or URLs.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DrillReport, DrillStep, PolicyResult, RestorePointResult as RestorePoint } from './report.js';

/** 0.8s, 12.3s, 5m, 4m 05s, 4h, 1h 02m — precise for short steps, coarse for long ones. */
export function formatDuration(seconds: number): string {
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  const tenths = Math.round(seconds * 10) / 10;
  if (tenths < 60) return Number.isInteger(tenths) ? `${tenths}s` : `${tenths.toFixed(1)}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const whole = Math.round(seconds);
  if (whole < 3600) return whole % 60 === 0 ? `${whole / 60}m` : `${Math.floor(whole / 60)}m ${pad(whole % 60)}s`;
  const minutes = Math.round(seconds / 60);
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
}

/** Seconds from the drill's start; 0 for an unparsable time so one bad timestamp cannot break the chart. */
function offsetOf(r: DrillReport, iso: string): number {
  const s = (Date.parse(iso) - Date.parse(r.startedAt)) / 1000;
  return Number.isFinite(s) ? s : 0;
}

const stepDuration = (s: DrillStep) => {
  const d = (Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000;
  return Number.isFinite(d) ? d : 0;
};
const offsetLabel = (seconds: number) => `+${seconds.toFixed(1)}s`;
const measured = (p: PolicyResult) => (p.measuredSeconds === null ? 'not measured' : formatDuration(p.measuredSeconds));

// ---------------------------------------------------------------- Markdown

// A `|` ends a table cell and a newline ends the row; `<` would let a renderer treat a detail as raw HTML.
const mdText = (s: string) => s.replace(/\r?\n/g, ' ').replace(/</g, '\\<');
const mdCell = (s: string) => mdText(s).replace(/\|/g, '\\|');
const mdRow = (cells: string[]) => `| ${cells.map(mdCell).join(' | ')} |`;

export function drillMarkdown(r: DrillReport): string {
  const out: string[] = [];
  out.push(`# DR drill — ${mdText(r.environment)} (${r.target}), run ${mdText(r.runId)}`, '');
  out.push(`**Verdict: ${r.verdict}** — ${r.startedAt} → ${r.endedAt} (${formatDuration(offsetOf(r, r.endedAt))})`, '');
  for (const reason of r.reasons) out.push(`- ${mdText(reason)}`);
  if (r.reasons.length > 0) out.push('');
  if (r.halt) {
    const h = r.halt;
    out.push(`## Halted at ${mdText(h.step)}`, '', mdText(h.summary), '');
    out.push(`- Destroyed and not back (${h.destroyed.length}): ${h.destroyed.length ? h.destroyed.map(mdText).join(', ') : 'none'}`);
    out.push(`- Rebuilt (${h.rebuilt.length}): ${h.rebuilt.length ? h.rebuilt.map(mdText).join(', ') : 'none'}`, '', 'Next:', '');
    h.next.forEach((n, i) => out.push(`${i + 1}. \`${n.replace(/`/g, "'")}\``));
    out.push('');
  }
  if (r.destroyedAt || r.recoveredAt) {
    const parts: string[] = [];
    if (r.destroyedAt) parts.push(`destroyed at ${r.destroyedAt} (${offsetLabel(offsetOf(r, r.destroyedAt))})`);
    if (r.recoveredAt) parts.push(`recovered at ${r.recoveredAt} (${offsetLabel(offsetOf(r, r.recoveredAt))})`);
    if (r.destroyedAt && r.recoveredAt) parts.push(`down for ${formatDuration(offsetOf(r, r.recoveredAt) - offsetOf(r, r.destroyedAt))}`);
    out.push(`Environment ${parts.join(', ')}.`, '');
  }

  out.push('## Policies', '', '| Policy | Target | Measured | Verdict |', '|---|---:|---:|---|');
  for (const p of r.policies) out.push(mdRow([p.policy, formatDuration(p.targetSeconds), measured(p), p.verdict]));

  out.push('', '## Steps', '', '| Step | Start | Duration | Status | Detail |', '|---|---:|---:|---|---|');
  for (const s of r.steps) {
    out.push(mdRow([s.name, offsetLabel(offsetOf(r, s.startedAt)), formatDuration(stepDuration(s)), s.status, s.detail ?? '']));
  }

  const c = r.canaries;
  if (c) {
    out.push('', '## Canaries', '');
    out.push(`- Written ${c.written}, survived ${c.survived}, lost ${c.lost}`);
    if (c.newestSurvivingAt) out.push(`- Newest surviving canary written at ${c.newestSurvivingAt}`);
    if (c.oldestLostAt) out.push(`- Oldest lost canary written at ${c.oldestLostAt}`);
    if (c.restoredBackupAt) out.push(`- Restored backup taken at ${c.restoredBackupAt}`);
    // Losing a canary older than the backup means the restore itself lost data: make it stand out.
    out.push(`- Lost although written before the backup: ${c.lostBeforeBackup === 0 ? '0' : `**${c.lostBeforeBackup}**`}`);
  }
  if (r.restorePoint) out.push('', '## Cosmos DB restore point', '', ...restorePointLines(r.restorePoint).map((l) => `- ${mdText(l)}`));
  if (r.infrastructure) {
    const i = r.infrastructure;
    out.push('', '## Terraform resources', '', `- Before ${i.before.length}, after ${i.after.length}`);
    out.push(`- Missing after the rebuild: ${i.missing.length ? `**${i.missing.map(mdText).join(', ')}**` : 'none'}`);
    out.push(`- Added: ${i.added.length ? i.added.map(mdText).join(', ') : 'none'}`);
  }

  out.push('', '## State before / after', '', '| Key | Before | After | |', '|---|---|---|---|');
  for (const d of r.stateDiff) out.push(`${mdRow([d.key, d.before, d.after])} ${d.same ? 'same' : '**changed**'} |`);
  return out.join('\n') + '\n';
}

/** The restore point as lines of text (Markdown and HTML). */
function restorePointLines(p: RestorePoint): string[] {
  const lines = [
    `Point ${p.id}: ${p.accountName} restorable to ${p.timestamp} (captured ${p.capturedAt})`,
    `Source ${p.restorableSourceId}`,
  ];
  const f = p.restoredFrom;
  if (f) lines.push(`Rebuilt account: createMode ${f.createMode}${f.source ? `, restored from ${f.source} at ${f.timestamp ?? '?'}` : ''}`);
  return lines;
}

// ---------------------------------------------------------------- HTML

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
const num = (n: number) => String(Math.round(n * 10) / 10);
const tr = (cells: string[], cls = '') => `<tr${cls ? ` class="${cls}"` : ''}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;

/** A tick step giving at most ~10 ticks, on round numbers of seconds. */
function tickStep(span: number): number {
  for (const step of [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]) if (span / step <= 10) return step;
  return Math.ceil(span / 10 / 3600) * 3600;
}

/** Gantt-like chart: one row per step, bars on a shared seconds axis, dashed lines at destroy and recovery. */
function timelineSvg(r: DrillReport): string {
  const W = 960, LABEL = 130, RIGHT = 24, TOP = 36, ROW = 24, AXIS = 30;
  const rowsBottom = TOP + r.steps.length * ROW;
  const H = rowsBottom + AXIS;
  const markers = [
    { name: 'destroyed', at: r.destroyedAt },
    { name: 'recovered', at: r.recoveredAt },
  ].flatMap((m) => (m.at ? [{ name: m.name, t: offsetOf(r, m.at) }] : []));
  const span = Math.max(1, offsetOf(r, r.endedAt), ...r.steps.map((s) => offsetOf(r, s.endedAt)), ...markers.map((m) => m.t));
  const x = (t: number) => LABEL + (Math.min(Math.max(t, 0), span) / span) * (W - LABEL - RIGHT);

  const parts: string[] = [];
  const step = tickStep(span);
  for (let t = 0; t <= span + 1e-9; t += step) {
    parts.push(
      `<line class="grid" x1="${num(x(t))}" y1="${TOP}" x2="${num(x(t))}" y2="${rowsBottom + 4}"/>`,
      `<text class="tick" x="${num(x(t))}" y="${rowsBottom + 18}" text-anchor="middle">${t}s</text>`,
    );
  }
  parts.push(`<line class="axis" x1="${LABEL}" y1="${rowsBottom}" x2="${W - RIGHT}" y2="${rowsBottom}"/>`);
  r.steps.forEach((s, i) => {
    const y = TOP + i * ROW;
    const start = offsetOf(r, s.startedAt);
    const end = Math.max(start, offsetOf(r, s.endedAt));
    const tip = `${s.name} (${s.status}): ${offsetLabel(start)}, ${formatDuration(stepDuration(s))}${s.detail ? ` — ${s.detail}` : ''}`;
    parts.push(
      `<text class="label" x="${LABEL - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${esc(s.name)}</text>`,
      // At least 2px wide so instant and skipped steps still show.
      `<rect class="bar ${s.status}" x="${num(x(start))}" y="${y + 4}" width="${num(Math.max(2, x(end) - x(start)))}" height="${ROW - 8}"><title>${esc(tip)}</title></rect>`,
    );
  });
  // Labels grow towards the middle so they are never clipped, each on its own line so close markers do not collide.
  markers.forEach((m, i) => {
    const mx = x(m.t);
    const toLeft = mx > (LABEL + W - RIGHT) / 2;
    parts.push(
      `<line class="marker ${m.name}" x1="${num(mx)}" y1="${12 + i * 14}" x2="${num(mx)}" y2="${rowsBottom}"/>`,
      `<text class="marker-label" x="${num(mx + (toLeft ? -4 : 4))}" y="${10 + i * 14}" text-anchor="${toLeft ? 'end' : 'start'}">${m.name} ${offsetLabel(m.t)}</text>`,
    );
  });
  // No xmlns: inline SVG in HTML does not need it, and the page must not mention any URL.
  return `<svg class="timeline" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Timeline of the drill steps">\n${parts.join('\n')}\n</svg>`;
}

const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1000px; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
.verdict { font-size: 1.2rem; font-weight: 600; padding: .6rem 1rem; border-radius: 6px; }
.verdict.PASS { background: #dafbe1; color: #116329; } .verdict.FAIL { background: #ffebe9; color: #a40e26; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num { text-align: right; white-space: nowrap; }
.PolicyMet, .ok { color: #116329; } .PolicyBreached, .failed { color: #a40e26; font-weight: 600; } .skipped { color: #656d76; }
tr.changed td { background: #fff8c5; }
svg.timeline { font-size: 12px; } svg .label, svg .tick, svg .marker-label { fill: #1f2328; }
svg .grid { stroke: #eaeef2; } svg .axis { stroke: #8c959f; }
svg .bar.ok { fill: #2da44e; } svg .bar.failed { fill: #cf222e; } svg .bar.skipped { fill: #afb8c1; }
svg .marker { stroke-width: 1.5; stroke-dasharray: 4 3; } svg .marker.destroyed { stroke: #cf222e; } svg .marker.recovered { stroke: #0969da; }
.legend span { display: inline-block; width: .8rem; height: .8rem; margin: 0 .3rem 0 1rem; vertical-align: middle; }
`;

export function drillHtml(r: DrillReport): string {
  const title = `DR drill — ${r.environment} (${r.target}), run ${r.runId}`;
  const c = r.canaries;
  const when = (label: string, iso?: string) => (iso ? `<li>${label} ${esc(iso)} (${offsetLabel(offsetOf(r, iso))})</li>` : '');
  const body: string[] = [];
  body.push(`<h1>${esc(title)}</h1>`);
  body.push(`<p class="verdict ${r.verdict}">Verdict: ${r.verdict}</p>`);
  if (r.reasons.length > 0) body.push(`<ul class="reasons">${r.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
  body.push(`<p>${esc(r.startedAt)} → ${esc(r.endedAt)} (${formatDuration(offsetOf(r, r.endedAt))})</p>`);
  if (r.halt) {
    const h = r.halt;
    const list = (xs: string[]) => (xs.length ? xs.map(esc).join(', ') : 'none');
    body.push(`<h2>Halted at ${esc(h.step)}</h2>`, `<p>${esc(h.summary)}</p>`);
    body.push(`<ul><li>Destroyed and not back (${h.destroyed.length}): ${list(h.destroyed)}</li><li>Rebuilt (${h.rebuilt.length}): ${list(h.rebuilt)}</li></ul>`);
    body.push(`<p>Next:</p><ol>${h.next.map((n) => `<li><code>${esc(n)}</code></li>`).join('')}</ol>`);
  }

  body.push('<h2>Policies</h2>', '<table><tr><th>Policy</th><th>Target</th><th>Measured</th><th>Verdict</th></tr>');
  for (const p of r.policies) {
    body.push(tr([esc(p.policy), formatDuration(p.targetSeconds), measured(p), `<span class="${p.verdict}">${p.verdict}</span>`]));
  }
  body.push('</table>');

  body.push('<h2>Timeline</h2>', timelineSvg(r));
  body.push(`<p class="legend"><span style="background:#2da44e"></span>ok<span style="background:#cf222e"></span>failed<span style="background:#afb8c1"></span>skipped</p>`);
  if (r.destroyedAt || r.recoveredAt) body.push(`<ul>${when('Destroyed at', r.destroyedAt)}${when('Recovered at', r.recoveredAt)}</ul>`);

  body.push('<h2>Steps</h2>', '<table><tr><th>Step</th><th>Start</th><th>Duration</th><th>Status</th><th>Detail</th></tr>');
  for (const s of r.steps) {
    body.push(
      `<tr><td>${esc(s.name)}</td><td class="num">${offsetLabel(offsetOf(r, s.startedAt))}</td><td class="num">${formatDuration(stepDuration(s))}</td>` +
        `<td class="${s.status}">${s.status}</td><td>${esc(s.detail ?? '')}</td></tr>`,
    );
  }
  body.push('</table>');

  if (c) {
    body.push('<h2>Canaries</h2>', '<ul>');
    body.push(`<li>Written ${c.written}, survived ${c.survived}, lost ${c.lost}</li>`);
    if (c.newestSurvivingAt) body.push(`<li>Newest surviving canary written at ${esc(c.newestSurvivingAt)}</li>`);
    if (c.oldestLostAt) body.push(`<li>Oldest lost canary written at ${esc(c.oldestLostAt)}</li>`);
    if (c.restoredBackupAt) body.push(`<li>Restored backup taken at ${esc(c.restoredBackupAt)}</li>`);
    body.push(`<li${c.lostBeforeBackup > 0 ? ' class="failed"' : ''}>Lost although written before the backup: ${c.lostBeforeBackup}</li>`, '</ul>');
  }
  if (r.restorePoint) body.push('<h2>Cosmos DB restore point</h2>', `<ul>${restorePointLines(r.restorePoint).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`);
  if (r.infrastructure) {
    const i = r.infrastructure;
    const list = (xs: string[]) => (xs.length ? xs.map(esc).join(', ') : 'none');
    body.push('<h2>Terraform resources</h2>', `<ul><li>Before ${i.before.length}, after ${i.after.length}</li>`);
    body.push(`<li${i.missing.length ? ' class="failed"' : ''}>Missing after the rebuild: ${list(i.missing)}</li><li>Added: ${list(i.added)}</li></ul>`);
  }

  body.push('<h2>State before / after</h2>', '<table><tr><th>Key</th><th>Before</th><th>After</th><th></th></tr>');
  for (const d of r.stateDiff) body.push(tr([esc(d.key), esc(d.before), esc(d.after), d.same ? 'same' : '<strong>changed</strong>'], d.same ? '' : 'changed'));
  body.push('</table>');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

// ---------------------------------------------------------------- Files

/** Writes report.json, report.md and report.html into `dir`, readable by the owner only (states can hold customer data). */
export async function writeDrillReport(dir: string, r: DrillReport): Promise<{ json: string; markdown: string; html: string }> {
  const root = path.resolve(dir);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const files = {
    json: [path.join(root, 'report.json'), `${JSON.stringify(r, null, 2)}\n`],
    markdown: [path.join(root, 'report.md'), drillMarkdown(r)],
    html: [path.join(root, 'report.html'), drillHtml(r)],
  } as const;
  await Promise.all(
    Object.values(files).map(async ([file, text]) => {
      await writeFile(file, text, { mode: 0o600 });
      await chmod(file, 0o600); // `mode` applies only on creation; a rerun into the same dir must not keep looser bits.
    }),
  );
  return { json: files.json[0], markdown: files.markdown[0], html: files.html[0] };
}
