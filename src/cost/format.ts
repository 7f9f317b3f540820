// Renders a cost estimate as csv (RFC 4180) or markdown.
import type { CostEstimate } from './estimate.js';

/** One RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function estimateCsv(e: CostEstimate): string {
  return toCsv([['service', 'line', 'monthly_usd', 'basis'], ...e.lines.map((l) => [l.service, l.line, l.monthlyUsd.toFixed(2), l.basis])]);
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

export function estimateMarkdown(e: CostEstimate, environment: string): string {
  const out: string[] = [];
  out.push(`## Projected Azure cost — ${environment}, ${e.month}`, '');
  out.push('| Service | Line | Monthly (USD) | Basis |', '|---|---|---:|---|');
  for (const l of e.lines) out.push(`| ${mdCell(l.service)} | ${mdCell(l.line)} | ${l.monthlyUsd.toFixed(2)} | ${mdCell(l.basis)} |`);
  out.push(`| **Total** | | **${e.totalUsd.toFixed(2)}** | |`, '');
  out.push('| Service | Monthly (USD) |', '|---|---:|');
  for (const s of e.services) out.push(`| ${mdCell(s.service)} | ${s.monthlyUsd.toFixed(2)} |`);
  out.push('');
  out.push(`Budget $${e.budget.amountUsd.toFixed(2)}: projection is ${e.budget.percentOfBudget}% of it.`, '');
  for (const t of e.budget.thresholds) out.push(`- ${t.percent}% ($${t.amountUsd.toFixed(2)}): ${t.fires ? '**would fire**' : 'would not fire'}`);
  out.push('', '### Notes', '');
  for (const n of e.notes) out.push(`- ${n}`);
  return out.join('\n') + '\n';
}
