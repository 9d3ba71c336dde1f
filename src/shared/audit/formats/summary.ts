/**
 * The audit's summary as the human formats (text, Markdown) word it: how many findings, on how many users
 * and whether on the org (counted from the findings themselves, not from the users examined), how many
 * users were examined, and what the baseline and the configuration suppressed. With a baseline that
 * suppressed findings, the reported ones are "new"; an empty severity breakdown is left out.
 */
import { Messages } from '@salesforce/core';
import type { AuditResult } from '../policy.js';
import { SEVERITIES } from '../types.js';
import { countOf } from '../../model/count.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-integration-user', 'audit');

/** "12 findings (2 high, 10 low) on 6 users and the org", "0 new findings", … (`severities`: the breakdown). */
export function findingsPhrase(result: AuditResult, options: { severities: boolean }): string {
  const s = result.summary;
  const count = s.suppressed > 0 ? countOf(s.findings, 'newFinding') : countOf(s.findings, 'finding');
  if (result.findings.length === 0) return count;
  const breakdown = [...SEVERITIES]
    .reverse()
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `${s.bySeverity[sev]} ${sev}`)
    .join(', ');
  const counted = options.severities && breakdown !== '' ? messages.getMessage('summary.breakdown', [count, breakdown]) : count;
  const users = new Set(result.findings.flatMap((f) => (f.user === null ? [] : [f.user.toLowerCase()]))).size;
  const org = result.findings.some((f) => f.user === null);
  const where =
    users === 0
      ? messages.getMessage('summary.org')
      : org
        ? messages.getMessage('summary.usersAndOrg', [countOf(users, 'user')])
        : countOf(users, 'user');
  return messages.getMessage('summary.on', [counted, where]);
}

/** The summary's parts, to be joined with "; ": findings, users examined, baseline, allowances. */
export function summaryParts(result: AuditResult, options: { severities: boolean }): string[] {
  const s = result.summary;
  return [
    findingsPhrase(result, options),
    messages.getMessage('summary.examined', [countOf(s.usersExamined, 'user')]),
    ...(s.suppressed > 0 ? [messages.getMessage('summary.baseline', [s.suppressed])] : []),
    ...(s.allowed > 0 ? [messages.getMessage('summary.allowed', [s.allowed])] : []),
  ];
}
