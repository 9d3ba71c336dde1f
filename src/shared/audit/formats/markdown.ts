/**
 * Markdown for pull-request comments: summary table, findings by user (each rule and source one row, with
 * its messages and one fix: group.ts), rules not evaluated, seats.
 */
import { Messages } from '@salesforce/core';
import type { AuditResult } from '../policy.js';
import { SEVERITIES } from '../types.js';
import { stripControl } from './context.js';
import { groupFindings } from './group.js';
import { summaryParts } from './summary.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

/** Tables with more rows than this are collapsed in a <details> block. */
export const COLLAPSE_AFTER_ROWS = 5;

/** Escapes a table cell: `|`, HTML and newlines. */
export function cell(text: string): string {
  return stripControl(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function collapsible(summary: string, lines: string[], rows: number): string[] {
  return rows > COLLAPSE_AFTER_ROWS
    ? ['<details>', `<summary>${cell(summary)}</summary>`, '', ...lines, '', '</details>']
    : lines;
}

function status(result: AuditResult): string {
  if (result.summary.exitCode === 0) return messages.getMessage('report.passed');
  return result.summary.exitCode === 3 ? messages.getMessage('report.failed') : messages.getMessage('report.partial');
}

export function formatMarkdown(result: AuditResult): string {
  const s = result.summary;
  const out: string[] = [`## ${messages.getMessage('report.title')}`, ''];
  out.push(
    messages.getMessage('report.summary', [summaryParts(result, { severities: false }).join('; '), s.failOn, status(result), s.exitCode]),
    ''
  );
  // The severity table only when there is something to break down.
  if (result.findings.length > 0) {
    out.push(
      ...table(
        [messages.getMessage('report.severity'), messages.getMessage('report.count')],
        [...SEVERITIES].reverse().map((sev) => [sev, String(s.bySeverity[sev])])
      ),
      ''
    );
  }

  if (result.findings.length === 0) out.push(messages.getMessage('report.noFindings'), '');
  for (const { user, findings, entries } of groupFindings(result.findings)) {
    const heading = user ?? messages.getMessage('report.orgLevel');
    out.push(`### ${cell(heading)} (${findings.length})`, '');
    const rows = entries.map((e) => [e.severity, e.ruleId, e.messages.join('\n'), e.remediation]);
    const lines = table(
      ['report.severity', 'report.rule', 'report.message', 'report.fix'].map((k) => messages.getMessage(k)),
      rows
    );
    out.push(...collapsible(heading, lines, rows.length), '');
  }

  if (result.rulesNotEvaluated.length > 0) {
    out.push(`### ${messages.getMessage('report.notEvaluated')} (${result.rulesNotEvaluated.length})`, '');
    const rows = result.rulesNotEvaluated.map((r) => [r.ruleId, r.reason, r.requiredPermission]);
    const lines = table(
      ['report.rule', 'report.reason', 'report.requiredPermission'].map((k) => messages.getMessage(k)),
      rows
    );
    out.push(...collapsible(messages.getMessage('report.notEvaluated'), lines, rows.length), '');
  }

  const seats = [result.seats.integrationUserLicense, result.seats.apiIntegrationPsl].flatMap((x) => (x ? [x] : []));
  if (seats.length > 0) {
    out.push(`### ${messages.getMessage('report.seats')}`, '');
    out.push(
      ...table(
        ['report.license', 'report.used', 'report.total', 'report.available'].map((k) => messages.getMessage(k)),
        seats.map((x) => [x.name, String(x.used), String(x.total), String(x.available)])
      ),
      ''
    );
  }
  return out.join('\n');
}
