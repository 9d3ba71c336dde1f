/**
 * The human output: a summary line, then one block per user (each rule and source once, with its messages
 * and one fix), then the seats. Plain text unless `ansi` is set: the command sets it only when stdout is a
 * terminal, so pipes and CI logs (where sf's colour library turns colours on when CI is set) get no escape codes.
 */
import { Messages } from '@salesforce/core';
import type { AuditResult } from '../policy.js';
import { SEVERITIES, type SeatUsage } from '../types.js';
import { groupFindings } from './group.js';
import { summaryParts } from './summary.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

export type TextBlock = { title: string; lines: string[] };


export function summaryLine(result: AuditResult): string {
  return messages.getMessage('human.summary', [summaryParts(result, { severities: true }).join('; ')]);
}

/** One block per user in the order of their worst finding; org-level findings last. */
export function findingBlocks(result: AuditResult): TextBlock[] {
  const width = Math.max(...SEVERITIES.map((s) => s.length));
  return groupFindings(result.findings).map(({ user, entries }) => ({
    title: user ?? messages.getMessage('human.orgLevel'),
    lines: entries.flatMap((entry) => {
      const indent = `${' '.repeat(width)}  ${' '.repeat(entry.ruleId.length)}  `;
      return [
        `${entry.severity.toUpperCase().padEnd(width)}  ${entry.ruleId}  ${entry.messages[0]}`,
        ...entry.messages.slice(1).map((m) => `${indent}${m}`),
        `${indent}${messages.getMessage('human.fix', [entry.remediation])}`,
      ];
    }),
  }));
}

export function seatLines(result: AuditResult): string[] {
  return [result.seats.integrationUserLicense, result.seats.apiIntegrationPsl]
    .filter((x): x is NonNullable<SeatUsage> => x !== null)
    .map((x) => messages.getMessage('human.seats', [x.name, x.used, x.total, x.available]));
}

/** Every line of the human report; block titles as sf's styled headers, in bold only with `ansi`. */
export function textReport(result: AuditResult, options: { ansi: boolean }): string[] {
  const bold = (s: string): string => (options.ansi ? `\u001b[1m${s}\u001b[22m` : s);
  const dim = (s: string): string => (options.ansi ? `\u001b[2m${s}\u001b[22m` : s);
  const lines = [summaryLine(result)];
  for (const block of findingBlocks(result)) lines.push('', `${dim('===')} ${bold(block.title)}`, ...block.lines);
  const seats = seatLines(result);
  if (seats.length > 0) lines.push('', ...seats);
  return lines;
}
