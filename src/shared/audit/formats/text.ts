/** The human output's lines: a summary line, then one block per user (severity, rule, message, fix), then seats. */
import { Messages } from '@salesforce/core';
import type { AuditResult } from '../policy.js';
import { SEVERITIES, type Finding, type SeatUsage } from '../types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'integration.user.audit');

export type TextBlock = { title: string; lines: string[] };

export function summaryLine(result: AuditResult): string {
  const s = result.summary;
  const counts = [...SEVERITIES]
    .reverse()
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `${s.bySeverity[sev]} ${sev}`)
    .join(', ');
  return messages.getMessage('human.summary', [s.findings, counts || '0', s.usersExamined, s.suppressed, s.allowed]);
}

/** One block per user in the order of their worst finding; org-level findings last. */
export function findingBlocks(result: AuditResult): TextBlock[] {
  const groups = new Map<string | null, Finding[]>();
  for (const f of [...result.findings.filter((x) => x.user !== null), ...result.findings.filter((x) => x.user === null)]) {
    groups.set(f.user, [...(groups.get(f.user) ?? []), f]);
  }
  const width = Math.max(...SEVERITIES.map((s) => s.length));
  return [...groups].map(([user, findings]) => ({
    title: user ?? messages.getMessage('human.orgLevel'),
    lines: findings.flatMap((f) => [
      `${f.severity.toUpperCase().padEnd(width)}  ${f.ruleId}  ${f.message}`,
      `${' '.repeat(width)}  ${' '.repeat(f.ruleId.length)}  ${messages.getMessage('human.fix', [f.remediation])}`,
    ]),
  }));
}

export function seatLines(result: AuditResult): string[] {
  return [result.seats.integrationUserLicense, result.seats.apiIntegrationPsl]
    .filter((x): x is NonNullable<SeatUsage> => x !== null)
    .map((x) => messages.getMessage('human.seats', [x.name, x.used, x.total, x.available]));
}
